"""Blood counts under CTCAE v5.0 and v6.0, at every edge of every grade, in every unit a count
is reported in: lymphocytes (ALC), neutrophils (ANC), platelets (PLT) and hemoglobin (anemia).

Every expected grade is read by hand off the tables of docs/clinical-reference.md, section 9
(CTCAE v5.0; v6.0 as pharmaverse admiral's v6.0 metadata writes it). A value "just inside" a
band sits on its closed edge ("<LLN - 800/mm3" includes 800), "just outside" one step past it.
Counts: 1 x10^9/L = 1 x10^3/µL = 1,000 cells/µL = 1,000/mm3.
"""

from __future__ import annotations

import pytest

from irae_desktop.domain.grading import grade_value

V5, V6 = "ctcae-5.0", "ctcae-6.0"

# (value, expected grade) in 10^9/L, with an LLN of 1.0 and a ULN of 4.0 x10^9/L
ALC_V5 = [
    (1.0, 0),  # at the LLN: not below it
    (0.99, 1),
    (0.8, 1),  # "<LLN - 800/mm3": 800 is grade 1
    (0.79, 2),
    (0.5, 2),
    (0.49, 3),
    (0.2, 3),
    (0.19, 4),
    (0.0, 4),
    # lymphocyte count increased: grade 2 ">4,000 - 20,000/mm3", grade 3 ">20,000/mm3"
    (4.0, 0),
    (4.01, 2),
    (20.0, 2),
    (20.01, 3),
]
# with an LLN of 1.8 and a ULN of 7.7 x10^9/L
ANC_V5 = [
    (1.8, 0),
    (1.79, 1),
    (1.5, 1),  # "<LLN - 1,500/mm3"
    (1.49, 2),
    (1.0, 2),
    (0.99, 3),
    (0.5, 3),
    (0.49, 4),
    (0.0, 4),
    (50.0, 0),  # no CTCAE term for a high neutrophil count
]
# v6.0: "<1,500 - 1,000/mm3" is grade 1 whatever the LLN; "<100/mm3" grade 4
ANC_V6 = [
    (1.8, 0),
    (1.7, 0),  # below this LLN of 1.8 but not below 1.5: no grade under v6.0
    (1.5, 0),
    (1.49, 1),
    (1.0, 1),
    (0.99, 2),
    (0.5, 2),
    (0.49, 3),
    (0.1, 3),
    (0.09, 4),
]
# with an LLN of 150 and a ULN of 400 x10^9/L
PLT_V5 = [
    (150.0, 0),
    (149.0, 1),
    (75.0, 1),
    (74.0, 2),
    (50.0, 2),
    (49.0, 3),
    (25.0, 3),
    (24.0, 4),
    (0.0, 4),
    (900.0, 0),
]
# v6.0 thrombocytopenia: grade 3 "<50,000 - 10,000/mm3", grade 4 "<10,000/mm3"
PLT_V6 = [
    (150.0, 0),
    (149.0, 1),
    (75.0, 1),
    (74.0, 2),
    (50.0, 2),
    (49.0, 3),
    (25.0, 3),
    (24.0, 3),  # grade 4 under v5.0
    (10.0, 3),
    (9.0, 4),
]
COUNT_RANGES = {"ALC": (1.0, 4.0), "ANC": (1.8, 7.7), "PLT": (150.0, 400.0)}


def _count_cases(
    analyte: str, criteria: str, rows: list[tuple[float, int]]
) -> list[tuple[str, str, float, str, float, float, int]]:
    """Each row in 10^9/L and its spellings, and per µL and per mm3 (1,000 times the number)."""
    lln, uln = COUNT_RANGES[analyte]
    cases = []
    for value, grade in rows:
        for unit in ("10^9/L", "x10E9/L", "G/L", "K/uL", "10*3/uL"):
            cases.append((analyte, criteria, value, unit, lln, uln, grade))
        for unit in ("cells/uL", "/mm3", "/µL"):
            cases.append(
                (analyte, criteria, round(value * 1000, 6), unit, lln * 1000, uln * 1000, grade)
            )
    return cases


@pytest.mark.parametrize(
    ("analyte", "criteria", "value", "unit", "lln", "uln", "expected"),
    _count_cases("ALC", V5, ALC_V5)
    + _count_cases("ANC", V5, ANC_V5)
    + _count_cases("ANC", V6, ANC_V6)
    + _count_cases("PLT", V5, PLT_V5)
    + _count_cases("PLT", V6, PLT_V6),
)
def test_count_edges(
    analyte: str, criteria: str, value: float, unit: str, lln: float, uln: float, expected: int
) -> None:
    result = grade_value(analyte, value, "", unit, uln, lln, criteria_id=criteria)
    assert result.grade == expected, result.reason


@pytest.mark.parametrize(
    ("analyte", "value", "expected"),
    [
        # with no LLN, grades 2-4 are still certain; grade 0 or 1 cannot be told apart
        ("ALC", 0.79, 2),
        ("ALC", 0.8, None),
        ("ANC", 1.49, 2),
        ("ANC", 1.5, None),
        ("PLT", 74.0, 2),
        ("PLT", 75.0, None),
    ],
)
def test_a_count_without_lln_is_graded_only_where_the_lln_does_not_matter(
    analyte: str, value: float, expected: int | None
) -> None:
    result = grade_value(analyte, value, "", "10^9/L", None, None)
    assert result.grade == expected, result.reason
    if expected is None:
        assert "no LLN reported" in result.reason


def test_neutrophils_under_v6_need_no_lln() -> None:
    assert grade_value("ANC", 1.2, "", "10^9/L", None, None, criteria_id=V6).grade == 1
    assert grade_value("ANC", 1.6, "", "10^9/L", None, None, criteria_id=V6).grade == 0


def test_lymphocytes_are_not_graded_under_v6() -> None:
    """CTCAE v6.0 dropped lymphocyte count decreased (admiral's v6.0 notes): not graded, and
    the reason says why, never grade 0."""
    for value in (0.1, 1.5, 25.0):
        result = grade_value("ALC", value, "", "10^9/L", 4.0, 1.0, criteria_id=V6)
        assert result.grade is None
        assert "no 'Lymphocyte count decreased' term" in result.reason
        assert result.reason.endswith(": not graded")


def test_count_words_name_the_side() -> None:
    low = grade_value("ANC", 0.4, "", "10^9/L", 7.7, 1.8)
    assert low.reason == (
        "ANC 0.4 10^9/L: below 0.5 10^9/L, neutrophil count decreased: grade 4, CTCAE v5.0"
    )
    high = grade_value("ALC", 25.0, "", "10^9/L", 4.0, 1.0)
    assert "lymphocyte count increased: grade 3" in high.reason
    # per µL the words keep the unit reported
    per_ul = grade_value("ANC", 400.0, "", "cells/uL", 7700.0, 1800.0)
    assert per_ul.grade == 4 and per_ul.reason.startswith("ANC 400 /µL: below 0.5 10^9/L")


# hemoglobin: (value, expected) with an LLN of 12.0 g/dL (120 g/L, 7.4 mmol/L), ULN 16 g/dL
HGB_G_DL = [(12.0, 0), (11.9, 1), (10.0, 1), (9.9, 2), (8.0, 2), (7.9, 3), (4.0, 3)]
HGB_G_L = [(120.0, 0), (119.0, 1), (100.0, 1), (99.0, 2), (80.0, 2), (79.0, 3), (40.0, 3)]
HGB_MMOL_L = [(7.4, 0), (7.3, 1), (6.2, 1), (6.1, 2), (4.9, 2), (4.8, 3), (2.5, 3)]
HGB_RANGES = {"g/dL": (12.0, 16.0), "g/L": (120.0, 160.0), "mmol/L": (7.4, 9.9)}


@pytest.mark.parametrize("criteria", [V5, V6])
@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [(v, "g/dL", g) for v, g in HGB_G_DL]
    + [(v, "g/L", g) for v, g in HGB_G_L]
    + [(v, "mmol/L", g) for v, g in HGB_MMOL_L],
)
def test_anemia_edges(criteria: str, value: float, unit: str, expected: int) -> None:
    """Anemia is the same under v5.0 and v6.0 (admiral's v6.0 metadata); no grade 4 from a
    number: it is a clinical grade."""
    lln, uln = HGB_RANGES[unit]
    result = grade_value("HGB", value, "", unit, uln, lln, criteria_id=criteria)
    assert result.grade == expected, result.reason


def test_anemia_in_mmol_per_litre_is_graded_on_the_si_column() -> None:
    """Decision 8: CTCAE's SI column is rounded apart from the g/dL one. 4.92 mmol/L is
    7.93 g/dL (below 8.0: grade 3 in g/dL), yet not below 4.9 mmol/L: grade 2 as reported."""
    in_si = grade_value("HGB", 4.92, "", "mmol/L", 9.9, 7.4)
    in_us = grade_value("HGB", 7.93, "", "g/dL", 16.0, 12.0)
    assert (in_si.grade, in_us.grade) == (2, 3)


def test_a_high_hemoglobin_is_grade_0_for_anemia_and_says_increase_is_not_graded() -> None:
    result = grade_value("HGB", 18.5, "", "g/dL", 16.0, 12.0)
    assert result.grade == 0
    assert "hemoglobin increased is not graded by this product" in result.reason
    worst = grade_value("HGB", 6.0, "", "g/dL", 16.0, 12.0)
    assert worst.grade == 3 and "grade 4 is clinical" in worst.reason
