"""The exact words, criteria and label of a result that has no grade by rule or for want of a
reference: what the clinician reads in the reason column and the PDF. Expected texts are written
out from the clinical reference's decisions 5, 6 and 9, not produced by the grader."""

from __future__ import annotations

import math

import pytest

from irae_desktop.domain.grade_parts import GradingError
from irae_desktop.domain.grading import grade_value

V5 = "ASCO 2021 / CTCAE v4.03 numeric"  # the label of criteria set ctcae-5.0's glucose rules
NON_FASTING = "non-fasting: below the grade 3 threshold; grades 1-2 need a fasting value"


def test_non_fasting_glucose_above_uln_has_no_grade_and_says_why() -> None:
    # decision 9: 180 mg/dL is above the ULN (99) and below the grade 3 bound (250)
    got = grade_value("GLUCOSE", 180.0, "", "mg/dL", 99.0, 70.0)
    assert (got.grade, got.criteria_id, got.criteria_label) == (None, "ctcae-5.0", V5)
    assert got.reason == f"GLUCOSE 180 mg/dL, hyperglycemia: {NON_FASTING}: no grade, {V5}"
    assert (got.multiple, got.basis, got.grade_max) == (None, None, None)


def test_the_same_under_ctcae_6_names_its_own_criteria() -> None:
    got = grade_value("GLUCOSE", 180.0, "", "mg/dL", 99.0, 70.0, criteria_id="ctcae-6.0")
    assert (got.grade, got.criteria_id, got.criteria_label) == (None, "ctcae-6.0", "CTCAE v6.0")
    assert got.reason == (f"GLUCOSE 180 mg/dL, hyperglycemia: {NON_FASTING}: no grade, CTCAE v6.0")


def test_a_baseline_glucose_above_uln_keeps_its_baseline_note() -> None:
    got = grade_value("GLUCOSE", 180.0, "", "mg/dL", 99.0, 70.0, is_baseline=True)
    assert got.grade is None
    assert got.reason == (
        f"GLUCOSE 180 mg/dL, hyperglycemia: {NON_FASTING}: no grade, {V5} "
        "(baseline result, graded against ULN)"
    )


def test_censored_glucose_without_uln_is_not_graded_for_want_of_the_uln() -> None:
    # decision 5 and 6: ">200" could be normal-high or above the ULN; with no ULN it is unknown
    got = grade_value("GLUCOSE", 200.0, ">", "mg/dL", None, 70.0)
    assert (got.grade, got.grade_max, got.criteria_id) == (None, None, "ctcae-5.0")
    assert got.reason == "GLUCOSE >200 mg/dL: no ULN reported and no site default: not graded"


def test_exact_glucose_without_uln_is_not_graded_either() -> None:
    got = grade_value("GLUCOSE", 150.0, "", "mg/dL", None, 70.0)
    assert (got.grade, got.criteria_id, got.criteria_label) == (None, "ctcae-5.0", V5)
    assert got.reason == "GLUCOSE 150 mg/dL: no ULN reported and no site default: not graded"


def test_alp_under_v6_with_a_baseline_but_no_uln_is_not_graded_and_names_v6() -> None:
    # decision 5 over decision 3: a baseline does not stand in for the missing ULN; the words
    # of grade 0 would be a multiple of the ULN, so even a low value is not graded
    for value in (5.0, 300.0):
        got = grade_value(
            "ALP", value, "", "U/L", None, None, baseline=20.0, criteria_id="ctcae-6.0"
        )
        assert (got.grade, got.criteria_id, got.criteria_label) == (None, "ctcae-6.0", "CTCAE v6.0")
        assert got.reason == f"ALP {value:g} U/L: no ULN reported and no site default: not graded"


def test_a_normal_glucose_is_grade_0_under_its_own_criteria() -> None:
    got = grade_value("GLUCOSE", 90.0, "", "mg/dL", 99.0, 70.0)
    assert (got.grade, got.criteria_id, got.criteria_label) == (0, "ctcae-5.0", V5)
    assert got.reason == f"GLUCOSE 90 mg/dL: grade 0, {V5}"
    assert (got.multiple, got.basis) == (None, None)
    v6 = grade_value("GLUCOSE", 90.0, "", "mg/dL", 99.0, 70.0, criteria_id="ctcae-6.0")
    assert (v6.grade, v6.criteria_id, v6.criteria_label) == (0, "ctcae-6.0", "CTCAE v6.0")


@pytest.mark.parametrize(
    ("uln", "lln", "baseline"),
    [
        (math.nan, None, None),
        (math.inf, None, None),
        (40.0, math.nan, None),
        (40.0, 7.0, -math.inf),
    ],
)
def test_a_reference_that_is_not_a_finite_number_is_refused(
    uln: float, lln: float | None, baseline: float | None
) -> None:
    # a broken range in the file must stop the row with a message, never grade it silently
    with pytest.raises(GradingError, match="must be finite numbers"):
        grade_value("ALT", 50.0, "", "U/L", uln, lln, baseline=baseline)


def test_a_bilirubin_baseline_below_one_still_counts() -> None:
    # a laboratory whose ULN is 0.8 mg/dL: a baseline of 0.95 is abnormal, and CTCAE grades a
    # later 1.5 mg/dL against it: 1.5 / 0.95 = 1.58 x baseline, >1.5-3.0 x baseline = grade 2
    for criteria, label in (("ctcae-5.0", "CTCAE v5.0"), ("ctcae-6.0", "CTCAE v6.0")):
        got = grade_value("TBILI", 1.5, "", "mg/dL", 0.8, None, baseline=0.95, criteria_id=criteria)
        assert (got.grade, got.basis) == (2, "baseline")
        assert got.reason == (
            f"TBILI 1.5 mg/dL = 1.6 x baseline (0.95): grade 2, {label} (abnormal baseline)"
        )
