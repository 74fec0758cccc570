"""Censored values at, just below and just above every boundary of every graded term, with each
comparator, in both criteria sets and (glucose) both unit systems (clinical reference, decisions
6, 8 and 9). The boundaries and the grade on each side of them are typed from the CTCAE tables;
the expected range of a censored value is read off them by walking the interval."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from irae_desktop.domain.grade_display import result_grade_text
from irae_desktop.domain.grading import grade_value

# (threshold, grade just below it, grade at it, grade just above it); None: no grade
Row = tuple[float, int | None, int | None, int | None]

ALT_NORMAL: list[Row] = [(40, 0, 0, 1), (120, 1, 1, 2), (200, 2, 2, 3), (800, 3, 3, 4)]
# ULN 40, abnormal baseline 100 (x baseline)
ALT_ABNORMAL_V5: list[Row] = [(150, 0, 1, 1), (300, 1, 1, 2), (500, 2, 2, 3), (2000, 3, 3, 4)]
ALT_ABNORMAL_V6: list[Row] = [(100, 0, 1, 1), (150, 1, 1, 2), (200, 2, 2, 3), (400, 3, 3, 4)]
# ULN 1.2 mg/dL; abnormal baseline 2.0 mg/dL
TBILI_NORMAL: list[Row] = [(1.2, 0, 0, 1), (1.8, 1, 1, 2), (3.6, 2, 2, 3), (12, 3, 3, 4)]
TBILI_ABNORMAL_V5: list[Row] = [(2.0, 0, 0, 1), (3.0, 1, 1, 2), (6.0, 2, 2, 3), (20, 3, 3, 4)]
TBILI_ABNORMAL_V6: list[Row] = [(2.0, 0, 1, 1), (3.0, 1, 1, 2), (5.0, 2, 2, 3), (20, 3, 3, 4)]
# ULN 100 U/L; abnormal baseline 200 U/L
ALP_GGT_NORMAL: list[Row] = [(100, 0, 0, 1), (250, 1, 1, 2), (500, 2, 2, 3), (2000, 3, 3, 4)]
ALP_GGT_ABNORMAL_V5: list[Row] = [(400, 0, 1, 1), (500, 1, 1, 2), (1000, 2, 2, 3), (4000, 3, 3, 4)]
GGT_ABNORMAL_V6: list[Row] = [(200, 0, 1, 1), (300, 1, 1, 2), (600, 2, 2, 3), (2000, 3, 3, 4)]
ALP_V6: list[Row] = [(100, 0, 0, 1)]  # grade 1 only: above ULN (and baseline, if known)

# glucose, with LLN 70 / ULN 99 mg/dL (3.9 / 5.5 mmol/L) fasting, ULN 140 (7.8) non-fasting
HYPO_US: list[Row] = [(30, 4, 3, 3), (40, 3, 2, 2), (55, 2, 1, 1), (70, 1, 0, 0)]
HYPO_SI: list[Row] = [(1.7, 4, 3, 3), (2.2, 3, 2, 2), (3.0, 2, 1, 1), (3.9, 1, 0, 0)]
FASTING_US: list[Row] = [(99, 0, 0, 1), (160, 1, 1, 2), (250, 2, 2, 3), (500, 3, 3, 4)]
FASTING_SI: list[Row] = [(5.5, 0, 0, 1), (8.9, 1, 1, 2), (13.9, 2, 2, 3), (27.8, 3, 3, 4)]
RANDOM_US: list[Row] = [(140, 0, 0, None), (250, None, None, 3), (500, 3, 3, 4)]
RANDOM_SI: list[Row] = [(7.8, 0, 0, None), (13.9, None, None, 3), (27.8, 3, 3, 4)]

BOTH = ("ctcae-5.0", "ctcae-6.0")
# (name, criteria sets, analytes, unit, ULN, LLN, baseline, rows)
TERMS: list[tuple[str, tuple[str, ...], tuple[str, ...], str, float, Any, Any, list[Row]]] = [
    ("ALT/AST normal", BOTH, ("ALT", "AST"), "U/L", 40, None, None, ALT_NORMAL),
    ("ALT/AST abn v5", ("ctcae-5.0",), ("ALT", "AST"), "U/L", 40, None, 100, ALT_ABNORMAL_V5),
    ("ALT/AST abn v6", ("ctcae-6.0",), ("ALT", "AST"), "U/L", 40, None, 100, ALT_ABNORMAL_V6),
    ("TBILI normal", BOTH, ("TBILI",), "mg/dL", 1.2, None, None, TBILI_NORMAL),
    ("TBILI abn v5", ("ctcae-5.0",), ("TBILI",), "mg/dL", 1.2, None, 2.0, TBILI_ABNORMAL_V5),
    ("TBILI abn v6", ("ctcae-6.0",), ("TBILI",), "mg/dL", 1.2, None, 2.0, TBILI_ABNORMAL_V6),
    ("ALP/GGT normal v5", ("ctcae-5.0",), ("ALP", "GGT"), "U/L", 100, None, None, ALP_GGT_NORMAL),
    ("GGT normal v6", ("ctcae-6.0",), ("GGT",), "U/L", 100, None, None, ALP_GGT_NORMAL),
    ("ALP/GGT abn v5", ("ctcae-5.0",), ("ALP", "GGT"), "U/L", 100, None, 200, ALP_GGT_ABNORMAL_V5),
    ("GGT abn v6", ("ctcae-6.0",), ("GGT",), "U/L", 100, None, 200, GGT_ABNORMAL_V6),
    ("ALP v6", ("ctcae-6.0",), ("ALP",), "U/L", 100, None, None, ALP_V6),
    ("ALP v6 with baseline", ("ctcae-6.0",), ("ALP",), "U/L", 100, None, 80, ALP_V6),
    ("fasting US", BOTH, ("GLUCOSE_FASTING",), "mg/dL", 99, 70, None, HYPO_US + FASTING_US),
    ("fasting SI", BOTH, ("GLUCOSE_FASTING",), "mmol/L", 5.5, 3.9, None, HYPO_SI + FASTING_SI),
    (
        "non-fasting US",
        BOTH,
        ("GLUCOSE", "GLUCOSE_POC"),
        "mg/dL",
        140,
        70,
        None,
        HYPO_US + RANDOM_US,
    ),
    (
        "non-fasting SI",
        BOTH,
        ("GLUCOSE", "GLUCOSE_POC"),
        "mmol/L",
        7.8,
        3.9,
        None,
        HYPO_SI + RANDOM_SI,
    ),
]
STEP = 1e-3  # "just below/above": 0.1 % off the threshold, far beyond the 1e-9 tolerance


def _grades_in(rows: list[Row], x: float, comparator: str) -> list[int | None]:
    """Every grade met by the values of the interval, read off the typed rows: the regions
    between thresholds carry the grade on their sides, the thresholds their own."""
    met: list[int | None] = []
    below = comparator.startswith("<")
    closed = comparator.endswith("=")
    for i, (t, g_lo, g_at, g_hi) in enumerate(rows):
        if t == x:
            if closed:
                met.append(g_at)
            met.append(g_lo if below else g_hi)
        elif (t < x) == below:
            met.append(g_at)
            met.extend([g_lo, g_hi])  # both regions next to a threshold inside the interval
        if i == 0 and below and x < t:
            met.append(g_lo)  # x itself sits in the region below the first threshold
        if i == len(rows) - 1 and not below and x > t:
            met.append(g_hi)
    for (t1, _, _, g1), (t2, _, _, _) in itertools.pairwise(rows):
        if t1 < x < t2:
            met.append(g1)  # x sits between two thresholds: that region is in the interval
    return met


def _expected(rows: list[Row], x: float, comparator: str) -> tuple[int | None, int | None]:
    met = _grades_in(rows, x, comparator)
    grades = [g for g in met if g is not None]
    low = min(grades) if grades else None
    if None in met and low is not None and low > 0:
        low = None
    high = max(grades) if grades else None
    return low, (high if high != low else None)


CASES = [
    pytest.param(
        cid,
        analyte,
        unit,
        uln,
        lln,
        baseline,
        rows,
        x,
        comparator,
        id=f"{name}-{cid}-{analyte}-{comparator}{x:g}",
    )
    for name, sets, analytes, unit, uln, lln, baseline, rows in TERMS
    for cid in sets
    for analyte in analytes
    for t, *_ in rows
    for x in (t * (1 - STEP), t, t * (1 + STEP))
    for comparator in ("<", "<=", ">", ">=")
]


@pytest.mark.parametrize(
    ("criteria", "analyte", "unit", "uln", "lln", "baseline", "rows", "x", "comparator"), CASES
)
def test_censored_value_gets_the_lowest_certain_grade_and_the_highest_possible(
    criteria: str,
    analyte: str,
    unit: str,
    uln: float,
    lln: float | None,
    baseline: float | None,
    rows: list[Row],
    x: float,
    comparator: str,
) -> None:
    result = grade_value(
        analyte,
        x,
        comparator,
        unit,
        uln,
        lln,
        baseline=baseline,
        baseline_uln=uln,
        criteria_id=criteria,
    )
    low, high = _expected(rows, x, comparator)
    assert (result.grade, result.grade_max) == (low, high), result.reason
    if high is not None and low is not None:
        assert f"grade {low} to {high}: censored " in result.reason
        assert result_grade_text(result.grade, result.reason) == f"G{low}\u2013{high}"


# The clinical reference's own examples and a few more, every number typed from the tables.
LITERAL = [
    # (analyte, text value, unit, ULN, LLN, criteria, grade, highest possible, shown)
    ("GLUCOSE_FASTING", ">", 500, "mg/dL", 99, 70, "ctcae-5.0", 4, None, "G4"),
    ("GLUCOSE_FASTING", "<", 30, "mg/dL", 99, 70, "ctcae-6.0", 4, None, "G4"),
    ("GLUCOSE", "<", 30, "mg/dL", 140, 70, "ctcae-5.0", 4, None, "G4"),
    ("GLUCOSE_FASTING", "<", 2.2, "mmol/L", 5.5, 3.9, "ctcae-5.0", 3, 4, "G3\u20134"),
    ("GLUCOSE_FASTING", ">", 27.8, "mmol/L", 5.5, 3.9, "ctcae-6.0", 4, None, "G4"),
    ("ALT", ">", 800, "U/L", 40, None, "ctcae-5.0", 4, None, "G4"),
    ("ALT", ">", 120, "U/L", 40, None, "ctcae-5.0", 2, 4, "G2\u20134"),
    ("ALT", ">=", 120, "U/L", 40, None, "ctcae-6.0", 1, 4, "G1\u20134"),
    ("ALT", "<", 100, "U/L", 40, None, "ctcae-5.0", 0, 1, "G0\u20131"),
    ("ALT", "<=", 40, "U/L", 40, None, "ctcae-5.0", 0, None, "G0"),
    ("TBILI", "<", 0.1, "mg/dL", 1.2, None, "ctcae-5.0", 0, None, "G0"),
    ("TBILI", ">", 12, "mg/dL", 1.2, None, "ctcae-6.0", 4, None, "G4"),
    ("ALP", ">", 100, "U/L", 100, None, "ctcae-6.0", 1, None, "G1"),
    ("GGT", ">", 250, "U/L", 100, None, "ctcae-6.0", 2, 4, "G2\u20134"),
    ("GLUCOSE", ">", 600, "mg/dL", 140, 70, "ctcae-5.0", 4, None, "G4"),
    ("GLUCOSE", ">", 250, "mg/dL", 140, 70, "ctcae-5.0", 3, 4, "G3\u20134"),
    ("GLUCOSE", ">", 200, "mg/dL", 140, 70, "ctcae-6.0", None, 4, "<G3\u20134, non-fasting"),
    ("GLUCOSE", "<", 100, "mg/dL", 140, 70, "ctcae-5.0", 0, 4, "G0\u20134"),
]


@pytest.mark.parametrize(
    ("analyte", "comparator", "x", "unit", "uln", "lln", "criteria", "grade", "top", "shown"),
    LITERAL,
)
def test_the_reference_examples(
    analyte: str,
    comparator: str,
    x: float,
    unit: str,
    uln: float,
    lln: float | None,
    criteria: str,
    grade: int | None,
    top: int | None,
    shown: str,
) -> None:
    result = grade_value(analyte, x, comparator, unit, uln, lln, criteria_id=criteria)
    assert (result.grade, result.grade_max) == (grade, top), result.reason
    assert result_grade_text(result.grade, result.reason) == shown
    assert f"{analyte} {comparator}{x:g} {unit}" in result.reason


def test_a_range_is_said_in_words() -> None:
    result = grade_value("ALT", 100, "<", "U/L", 40, None)
    assert "grade 0 to 1: censored below 100 U/L" in result.reason


def test_a_censored_value_missing_a_reference_it_needs_is_not_graded() -> None:
    # "<100" glucose reaches the hypoglycemia bands, which need the LLN
    result = grade_value("GLUCOSE_FASTING", 100, "<", "mg/dL", 99, None)
    assert result.grade is None and result.grade_max is None
    assert "no LLN reported and no site default" in result.reason


def test_v6_alp_without_baseline_says_what_it_assumed() -> None:
    result = grade_value("ALP", 150, "", "U/L", 100, None, criteria_id="ctcae-6.0")
    assert result.grade == 1
    assert "no baseline value: the baseline is taken as normal" in result.reason
    with_baseline = grade_value(
        "ALP", 150, "", "U/L", 100, None, baseline=80, baseline_uln=100, criteria_id="ctcae-6.0"
    )
    assert with_baseline.grade == 1 and "no baseline value" not in with_baseline.reason
    # the baseline result itself is graded against ULN only (decision 4): nothing assumed
    itself = grade_value(
        "ALP", 150, "", "U/L", 100, None, is_baseline=True, criteria_id="ctcae-6.0"
    )
    assert itself.grade == 1 and "no baseline value" not in itself.reason
    # above ULN but not above an abnormal baseline: grade 0
    below_base = grade_value(
        "ALP", 150, "", "U/L", 100, None, baseline=200, baseline_uln=100, criteria_id="ctcae-6.0"
    )
    assert below_base.grade == 0 and "not above baseline" in below_base.reason
