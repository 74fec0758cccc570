"""A result without a grade is shown as what it is: "<G3, non-fasting" for a non-fasting glucose
below the grade 3 bound, an en dash for a result that could not be graded (clinical reference,
decisions 9 and 12); a censored range is shown only when it starts at the stored grade."""

from __future__ import annotations

from irae_desktop.domain.grade_display import result_grade_text
from irae_desktop.domain.grading import grade_value

DASH = "\u2013"


def test_a_non_fasting_glucose_without_a_grade_says_below_grade_3() -> None:
    # 200 mg/dL non-fasting, ULN 140: above the ULN, below 250 mg/dL (grade 3): no grade
    result = grade_value("GLUCOSE", 200.0, "", "mg/dL", 140.0, 70.0)
    assert result.grade is None
    assert result_grade_text(result.grade, result.reason) == "<G3, non-fasting"


def test_a_result_that_could_not_be_graded_is_a_dash() -> None:
    # ALT 90 U/L reported without a ULN and no site default: not graded
    result = grade_value("ALT", 90.0, "", "U/L", None, None)
    assert result.grade is None
    assert result_grade_text(result.grade, result.reason) == DASH
    assert result_grade_text(None, None) == DASH


def test_a_range_that_does_not_start_at_the_stored_grade_is_not_shown() -> None:
    # ALT ">120" with ULN 40 (above 3 x ULN) is grade 2 to 4; a grade 1 stored beside that
    # reason (a grade changed since) is shown alone, never as "G1-4"
    result = grade_value("ALT", 120.0, ">", "U/L", 40.0, None)
    assert result_grade_text(result.grade, result.reason) == f"G2{DASH}4"
    assert result_grade_text(1, result.reason) == "G1"
