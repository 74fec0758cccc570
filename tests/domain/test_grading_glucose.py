"""Glucose under both criteria sets, in the unit system reported.

docs/clinical-reference.md section 3; clinical reference, decisions 8 and 9.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from irae_desktop.domain.grading import grade_value

NUDGE = 1e-6
# (US bound, SI bound, grade just below, at, just above) from the glucose table of
# docs/clinical-reference.md
FASTING_HIGH = [(160, 8.9, 1, 1, 2), (250, 13.9, 2, 2, 3), (500, 27.8, 3, 3, 4)]
# non-fasting: above ULN and at or below 250 mg/dL (13.9 mmol/L) has no grade (decision 9)
RANDOM_HIGH = [(250, 13.9, None, None, 3), (500, 27.8, 3, 3, 4)]
HYPO = [(55, 3.0, 2, 1, 1), (40, 2.2, 3, 2, 2), (30, 1.7, 4, 3, 3)]
RANGES = {"US": ("mg/dL", 70.0, 99.0), "SI": ("mmol/L", 3.9, 5.5)}
LABELS = {"ctcae-5.0": "ASCO 2021 / CTCAE v4.03 numeric", "ctcae-6.0": "CTCAE v6.0"}


def _cases(
    table: Sequence[tuple[float, float, int | None, int | None, int]], analytes: tuple[str, ...]
) -> list[tuple[str, str, str, float, int | None, int | None, int]]:
    return [
        (criteria, analyte, system, us if system == "US" else si, below, at, above)
        for criteria in LABELS
        for analyte in analytes
        for system in ("US", "SI")
        for us, si, below, at, above in table
    ]


def _grade(analyte: str, value: float, system: str, criteria: str):
    unit, lln, uln = RANGES[system]
    return grade_value(analyte, value, "", unit, uln, lln, criteria_id=criteria)


@pytest.mark.parametrize(
    ("criteria", "analyte", "system", "bound", "below", "at", "above"),
    _cases(FASTING_HIGH, ("GLUCOSE_FASTING",))
    + _cases(RANDOM_HIGH, ("GLUCOSE", "GLUCOSE_POC"))
    + _cases(HYPO, ("GLUCOSE", "GLUCOSE_FASTING", "GLUCOSE_POC")),
)
def test_absolute_boundaries(
    criteria: str,
    analyte: str,
    system: str,
    bound: float,
    below: int | None,
    at: int | None,
    above: int,
) -> None:
    for factor, expected in ((1 - NUDGE, below), (1.0, at), (1 + NUDGE, above)):
        result = _grade(analyte, bound * factor, system, criteria)
        assert result.grade == expected, (factor, result.reason)
        assert result.criteria_label == LABELS[criteria]
        assert LABELS[criteria] in result.reason


@pytest.mark.parametrize("criteria", list(LABELS))
@pytest.mark.parametrize("system", ["US", "SI"])
def test_fasting_grade_1_starts_above_uln(criteria: str, system: str) -> None:
    _, _, uln = RANGES[system]
    assert _grade("GLUCOSE_FASTING", uln, system, criteria).grade == 0
    assert _grade("GLUCOSE_FASTING", uln * (1 + NUDGE), system, criteria).grade == 1


@pytest.mark.parametrize("criteria", list(LABELS))
@pytest.mark.parametrize("system", ["US", "SI"])
def test_hypoglycemia_grade_1_starts_below_lln(criteria: str, system: str) -> None:
    _, lln, _ = RANGES[system]
    at = _grade("GLUCOSE", lln, system, criteria)
    assert at.grade == 0
    below = _grade("GLUCOSE", lln * (1 - NUDGE), system, criteria)
    assert below.grade == 1 and "hypoglycemia" in below.reason


def test_si_value_is_graded_on_the_si_column() -> None:
    # 8.9 mmol/L converts to 160.3 mg/dL, yet the SI column says grade 1
    # (clinical reference, decision 8)
    si = grade_value("GLUCOSE_FASTING", 8.9, "", "mmol/L", 5.5, 3.9)
    assert si.grade == 1
    us = grade_value("GLUCOSE_FASTING", 8.9 * 18.016, "", "mg/dL", 99, 70)
    assert us.grade == 2


@pytest.mark.parametrize("criteria", list(LABELS))
@pytest.mark.parametrize(
    ("value", "unit", "uln", "lln"),
    [(241, "mg/dL", 140, 70), (250, "mg/dL", 140, 70), (13.9, "mmol/L", 7.8, 3.9)],
)
def test_non_fasting_above_uln_below_grade_3_has_no_grade(
    criteria: str, value: float, unit: str, uln: float, lln: float
) -> None:
    # clinical reference, decision 9: no grade at all, never grade 0
    result = grade_value("GLUCOSE", value, "", unit, uln, lln, criteria_id=criteria)
    assert result.grade is None
    assert "non-fasting: below the grade 3 threshold; grades 1-2 need a fasting value" in (
        result.reason
    )


@pytest.mark.parametrize("value", [70, 100, 140])
def test_non_fasting_within_the_reference_range_is_grade_0(value: float) -> None:
    result = grade_value("GLUCOSE", value, "", "mg/dL", 140, 70)
    assert result.grade == 0
    assert "non-fasting" not in result.reason


def test_non_fasting_without_a_uln_is_not_graded_below_grade_3() -> None:
    result = grade_value("GLUCOSE", 120, "", "mg/dL", None, 70)
    assert result.grade is None
    assert "no ULN reported" in result.reason


def test_censored_glucose_above_600_is_grade_4() -> None:
    result = grade_value("GLUCOSE", 600, ">", "mg/dL", 140, 70)
    assert result.grade == 4
    assert "GLUCOSE >600 mg/dL" in result.reason


def test_glucose_in_grams_per_litre_is_compared_in_mg_dl() -> None:
    assert grade_value("GLUCOSE", 5.5, "", "g/L", 1.4, 0.7).grade == 4


@pytest.mark.parametrize("criteria", list(LABELS))
@pytest.mark.parametrize(
    ("value", "grade", "reason"),
    [
        # 0.30 g/L = 30 mg/dL: "<30 mg/dL" is open, so grade 3 (<40), though 30 mg/dL is
        # 1.67 mmol/L, under the SI column's 1.7
        (0.30, 3, "GLUCOSE_FASTING 0.3 g/L: below 40 mg/dL, hypoglycemia: grade 3"),
        # 0.545 g/L = 54.5 mg/dL: below 55 mg/dL, grade 2, though 3.03 mmol/L is not below 3.0
        (0.545, 2, "GLUCOSE_FASTING 0.545 g/L: below 55 mg/dL, hypoglycemia: grade 2"),
        # 2.502 g/L = 250.2 mg/dL: above 250, grade 3, though 13.89 mmol/L is not above 13.9
        (2.502, 3, "GLUCOSE_FASTING 2.502 g/L: above 250 mg/dL, hyperglycemia: grade 3"),
    ],
)
def test_glucose_in_grams_per_litre_is_graded_on_the_mg_dl_column(
    value: float, grade: int, reason: str, criteria: str
) -> None:
    # g/L is a mass unit: its values are compared with the mg/dL column (1 g/L = 100 mg/dL),
    # never with the mmol/L one (clinical reference, decision 8)
    result = grade_value("GLUCOSE_FASTING", value, "", "g/L", 0.99, 0.70, criteria_id=criteria)
    assert result.grade == grade
    assert result.reason == f"{reason}, {LABELS[criteria]}"


def test_high_glucose_graded_without_a_reference_range() -> None:
    assert grade_value("GLUCOSE", 300, "", "mg/dL", None, None).grade == 3


def test_glucose_whose_grade_depends_on_a_missing_lln_is_not_graded() -> None:
    result = grade_value("GLUCOSE", 100, "", "mg/dL", None, None)
    assert result.grade is None
    assert "no LLN reported and no site default" in result.reason


def test_fasting_glucose_whose_grade_depends_on_a_missing_uln_is_not_graded() -> None:
    result = grade_value("GLUCOSE_FASTING", 120, "", "mg/dL", None, 70)
    assert result.grade is None
    assert "no ULN reported" in result.reason
    # low values are still graded as hypoglycemia
    assert grade_value("GLUCOSE_FASTING", 50, "", "mg/dL", None, 70).grade == 2


@pytest.mark.parametrize(("analyte", "unit"), [("CPEPTIDE", "ng/mL"), ("HBA1C", "%")])
@pytest.mark.parametrize("criteria", list(LABELS))
def test_c_peptide_and_hba1c_are_never_graded(analyte: str, unit: str, criteria: str) -> None:
    result = grade_value(analyte, 0.05, "", unit, 4.0, 1.0, criteria_id=criteria)
    assert result.grade is None
    assert "no CTCAE term" in result.reason
