"""Creatinine, cholesterol and triglycerides under CTCAE v5.0 and v6.0 at every grade edge, in
both unit systems; LDL and eGFR are tracked, never graded.

Expected grades are read by hand off docs/clinical-reference.md, section 9. Creatinine: 1 mg/dL
= 88.4 µmol/L; cholesterol: 1 mmol/L = 38.67 mg/dL; triglycerides: 1 mmol/L = 88.57 mg/dL.
"""

from __future__ import annotations

import pytest

from irae_desktop.domain.criteria import grades_in_reported_unit
from irae_desktop.domain.grading import grade_value

V5, V6 = "ctcae-5.0", "ctcae-6.0"

# creatinine with no baseline, ULN 1.2 mg/dL = 106 µmol/L (grade 1 >ULN - 1.5 xULN,
# 2 >1.5 - 3.0 xULN, 3 >3.0 - 6.0 xULN, 4 >6.0 xULN): the same under v5.0 and v6.0
CREAT_NO_BASELINE = [
    (1.2, "mg/dL", 1.2, 0),
    (1.21, "mg/dL", 1.2, 1),
    (1.8, "mg/dL", 1.2, 1),  # 1.5 x ULN exactly
    (1.81, "mg/dL", 1.2, 2),
    (3.6, "mg/dL", 1.2, 2),
    (3.61, "mg/dL", 1.2, 3),
    (7.2, "mg/dL", 1.2, 3),
    (7.21, "mg/dL", 1.2, 4),
    (106.0, "µmol/L", 106.0, 0),
    (107.0, "µmol/L", 106.0, 1),
    (159.0, "µmol/L", 106.0, 1),  # 1.5 x 106
    (160.0, "µmol/L", 106.0, 2),
    (318.0, "µmol/L", 106.0, 2),
    (319.0, "µmol/L", 106.0, 3),
    (636.0, "µmol/L", 106.0, 3),
    (637.0, "µmol/L", 106.0, 4),
    (12.0, "mg/L", 12.0, 0),  # French reports: mg/L
    (18.1, "mg/L", 12.0, 2),
]


@pytest.mark.parametrize("criteria", [V5, V6])
@pytest.mark.parametrize(("value", "unit", "uln", "expected"), CREAT_NO_BASELINE)
def test_creatinine_by_uln(
    criteria: str, value: float, unit: str, uln: float, expected: int
) -> None:
    result = grade_value("CREAT", value, "", unit, uln, None, criteria_id=criteria)
    assert result.grade == expected, result.reason


# v5.0 "grade 2 >1.5 - 3.0 x baseline; grade 3 >3.0 x baseline", whatever the baseline, beside
# the ULN rule; the higher grade wins. ULN 1.2 mg/dL, LLN 0.6, baseline 0.5 mg/dL (44.2 µmol/L)
CREAT_BASELINE_V5 = [
    (0.75, "mg/dL", 0.5, 0),  # 1.5 x baseline exactly, below the ULN
    (0.76, "mg/dL", 0.5, 2),  # above 1.5 x baseline, though within the reference range
    (1.5, "mg/dL", 0.5, 2),  # 3.0 x baseline exactly
    (1.51, "mg/dL", 0.5, 3),
    (1.3, "mg/dL", 0.5, 2),  # grade 1 by ULN (1.08 x), grade 2 by baseline (2.6 x)
    (7.21, "mg/dL", 0.5, 4),  # grade 4 is by ULN only
    (66.3, "µmol/L", 44.2, 0),  # 1.5 x 44.2 exactly
    (67.0, "µmol/L", 44.2, 2),
    (132.6, "µmol/L", 44.2, 2),  # 3.0 x 44.2 exactly
    (133.0, "µmol/L", 44.2, 3),
    (1.6, "mg/dL", 1.0, 2),  # a normal baseline of 1.0: 1.6 x (grade 1 by ULN)
    (3.1, "mg/dL", 1.0, 3),  # 3.1 x baseline (grade 2 by ULN, 2.6 x)
    (2.9, "mg/dL", 1.0, 2),
]


@pytest.mark.parametrize(("value", "unit", "baseline", "expected"), CREAT_BASELINE_V5)
def test_creatinine_against_baseline_v5(
    value: float, unit: str, baseline: float, expected: int
) -> None:
    uln, lln = (1.2, 0.6) if unit == "mg/dL" else (106.0, 53.0)
    result = grade_value("CREAT", value, "", unit, uln, lln, baseline=baseline)
    assert result.grade == expected, result.reason


# v6.0: the baseline multiples count only "if baseline is below LLN" (LLN 0.6 mg/dL)
CREAT_BASELINE_V6 = [
    (0.76, 0.5, 0.6, 2),  # baseline 0.5 below the LLN 0.6: 1.52 x baseline
    (1.51, 0.5, 0.6, 3),
    (0.75, 0.5, 0.6, 0),
    (1.1, 0.7, 0.6, 0),  # baseline 0.7 not below the LLN: 1.57 x baseline does not count
    (2.2, 0.7, 0.6, 2),  # by ULN (1.83 x); v5.0 would give 3 (3.14 x baseline)
    (0.9, 0.6, 0.6, 0),  # a baseline at the LLN is not below it
    (1.1, 0.5, None, None),  # 2.2 x a baseline that may or may not be below an unknown LLN
    (0.7, 0.5, None, 0),  # 1.4 x baseline: grade 0 whether or not it is below the LLN
    (4.0, 0.5, None, 3),  # 3.3 x ULN: grade 3 whatever the baseline rule says
]


@pytest.mark.parametrize(("value", "baseline", "lln", "expected"), CREAT_BASELINE_V6)
def test_creatinine_against_baseline_v6(
    value: float, baseline: float, lln: float | None, expected: int | None
) -> None:
    result = grade_value("CREAT", value, "", "mg/dL", 1.2, lln, baseline=baseline, criteria_id=V6)
    assert result.grade == expected, result.reason
    if expected is None:
        assert "no LLN reported" in result.reason


def test_creatinine_words_say_which_rule_gave_the_grade() -> None:
    by_baseline = grade_value("CREAT", 1.3, "", "mg/dL", 1.2, 0.6, baseline=0.5)
    assert by_baseline.reason == (
        "CREAT 1.3 mg/dL = 2.6 x baseline (0.5), creatinine increased: grade 2, CTCAE v5.0"
    )
    by_uln = grade_value("CREAT", 1.3, "", "mg/dL", 1.2, 0.6)
    assert by_uln.reason.startswith("CREAT 1.3 mg/dL = 1.1 x ULN (1.2)")
    assert by_uln.grade == 1


def test_the_baseline_result_itself_is_graded_against_the_uln() -> None:
    result = grade_value("CREAT", 0.9, "", "mg/dL", 1.2, 0.6, baseline=0.5, is_baseline=True)
    assert result.grade == 0 and "baseline result, graded against ULN" in result.reason


# cholesterol: grade 1 >ULN - 300 mg/dL (7.75 mmol/L), 2 >300 - 400 (>7.75 - 10.34),
# 3 >400 - 500 (>10.34 - 12.92), 4 >500 (>12.92); ULN 200 mg/dL, 5.2 mmol/L, 2.0 g/L
CHOL = [
    (200.0, "mg/dL", 0),
    (201.0, "mg/dL", 1),
    (300.0, "mg/dL", 1),
    (301.0, "mg/dL", 2),
    (400.0, "mg/dL", 2),
    (401.0, "mg/dL", 3),
    (500.0, "mg/dL", 3),
    (501.0, "mg/dL", 4),
    (5.2, "mmol/L", 0),
    (5.21, "mmol/L", 1),
    (7.75, "mmol/L", 1),
    (7.76, "mmol/L", 2),
    (10.34, "mmol/L", 2),
    (10.35, "mmol/L", 3),
    (12.92, "mmol/L", 3),
    (12.93, "mmol/L", 4),
    (3.0, "g/L", 1),  # 300 mg/dL
    (3.01, "g/L", 2),  # 301 mg/dL
]
CHOL_ULN = {"mg/dL": 200.0, "mmol/L": 5.2, "g/L": 2.0}


@pytest.mark.parametrize("criteria", [V5, V6])
@pytest.mark.parametrize(("value", "unit", "expected"), CHOL)
def test_cholesterol_edges(criteria: str, value: float, unit: str, expected: int) -> None:
    result = grade_value("CHOL", value, "", unit, CHOL_ULN[unit], None, criteria_id=criteria)
    assert result.grade == expected, result.reason


# hypertriglyceridemia: grade 1 150 - 300 mg/dL (1.71 - 3.42 mmol/L), 150 included;
# 2 >300 - 500 (>3.42 - 5.7); 3 >500 - 1,000 (>5.7 - 11.4); 4 >1,000 (>11.4); no ULN needed
TRIG = [
    (149.0, "mg/dL", 0),
    (150.0, "mg/dL", 1),  # "150 - 300" includes 150
    (300.0, "mg/dL", 1),
    (301.0, "mg/dL", 2),
    (500.0, "mg/dL", 2),
    (501.0, "mg/dL", 3),
    (1000.0, "mg/dL", 3),
    (1001.0, "mg/dL", 4),
    (1.7, "mmol/L", 0),  # 150.6 mg/dL, yet below the SI column's 1.71 (decision 8)
    (1.71, "mmol/L", 1),
    (3.42, "mmol/L", 1),
    (3.43, "mmol/L", 2),
    (5.7, "mmol/L", 2),
    (5.71, "mmol/L", 3),
    (11.4, "mmol/L", 3),
    (11.41, "mmol/L", 4),
    (1.5, "g/L", 1),  # 150 mg/dL
    (1.49, "g/L", 0),
]


@pytest.mark.parametrize("criteria", [V5, V6])
@pytest.mark.parametrize(("value", "unit", "expected"), TRIG)
def test_triglyceride_edges(criteria: str, value: float, unit: str, expected: int) -> None:
    result = grade_value("TRIG", value, "", unit, None, None, criteria_id=criteria)
    assert result.grade == expected, result.reason


@pytest.mark.parametrize("criteria", [V5, V6])
@pytest.mark.parametrize(
    ("analyte", "value", "unit", "why"),
    [
        ("LDL", 190.0, "mg/dL", "LDL"),
        ("LDL", 4.9, "mmol/L", "LDL"),
        ("EGFR", 25.0, "mL/min/1.73 m2", "eGFR has no CTCAE"),
    ],
)
def test_ldl_and_egfr_are_tracked_not_graded(
    criteria: str, analyte: str, value: float, unit: str, why: str
) -> None:
    result = grade_value(analyte, value, "", unit, 130.0, None, criteria_id=criteria)
    assert result.grade is None
    assert why in result.reason and result.reason.endswith(": not graded")


def test_the_analytes_graded_in_the_unit_reported() -> None:
    """Decision 8 from the criteria files: CTCAE gives hemoglobin, cholesterol and
    triglyceride bounds in both unit systems; counts only in 10^9/L (the same number in
    10^3/µL) and creatinine only as multiples, so those are graded in the canonical unit."""
    assert [c for c in ("HGB", "CHOL", "TRIG") if grades_in_reported_unit(c)] == [
        "HGB",
        "CHOL",
        "TRIG",
    ]
    for code in ("ALC", "ANC", "PLT", "CREAT", "LDL", "EGFR"):
        assert not grades_in_reported_unit(code)
