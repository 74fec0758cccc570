"""Baseline selection, clinician overrides and grading a whole series.

Clinical reference, decisions 3 and 4.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from irae_desktop.domain.baseline import BaselineOverride, select_baseline
from irae_desktop.domain.series import LabToGrade, grade_series

from .builders import at, d, line, timeline


def _lab(id: int, analyte: str, day: int, value: float, uln: float | None = 40.0, hour: int = 8):
    return LabToGrade(id, analyte, at(day, hour), value, "", "U/L", uln, None)


def test_baseline_is_the_last_result_on_or_before_the_first_ici_start() -> None:
    labs = [
        _lab(1, "ALT", -30, 20),
        _lab(2, "ALT", 0, 25, hour=23),  # later the same day: still on or before the start
        _lab(3, "ALT", 1, 90),
        _lab(4, "AST", -5, 30),
    ]
    chosen = select_baseline(labs, d(0), zone=UTC)
    assert chosen["ALT"].result_id == 2 and chosen["ALT"].origin == "result"
    assert chosen["AST"].result_id == 4
    assert not chosen["ALT"].abnormal


def test_day_of_the_start_is_judged_in_the_given_zone() -> None:
    # 23:00 UTC on day 0 is already day 1 in UTC+2: after the start there
    labs = [_lab(1, "ALT", -3, 20), _lab(2, "ALT", 0, 25, hour=23)]
    chosen = select_baseline(labs, d(0), zone=timezone(timedelta(hours=2)))
    assert chosen["ALT"].result_id == 1


def test_no_ici_means_no_automatic_baseline() -> None:
    assert select_baseline([_lab(1, "ALT", 0, 90)], None, zone=UTC) == {}


def test_override_wins_and_keeps_its_reason() -> None:
    labs = [_lab(1, "ALT", -1, 20)]
    overrides = {"ALT": BaselineOverride("ALT", 95.0, 40.0, "liver metastases")}
    chosen = select_baseline(labs, d(0), zone=UTC, overrides=overrides)
    assert chosen["ALT"].origin == "override"
    assert chosen["ALT"].abnormal
    assert chosen["ALT"].reason == "liver metastases"


def test_series_grades_later_results_against_an_abnormal_baseline() -> None:
    labs = [_lab(1, "ALT", -2, 95), _lab(2, "ALT", 10, 130), _lab(3, "ALT", 20, 300)]
    grades = grade_series(labs, d(0), zone=UTC)
    assert grades[1].is_baseline and grades[1].grade == 1  # 2.4 x ULN, against ULN only
    assert grades[2].grade == 0  # 1.4 x baseline 95: below the 1.5 x baseline rule
    assert "below baseline rule" in grades[2].reason
    assert grades[3].grade == 2  # 3.2 x baseline
    assert not grades[2].is_baseline


def test_series_with_an_override_marks_no_result_as_baseline() -> None:
    labs = [_lab(1, "ALT", -2, 30), _lab(2, "ALT", 10, 130)]
    overrides = {"ALT": BaselineOverride("ALT", 95.0, 40.0, "metastases")}
    grades = grade_series(labs, d(0), zone=UTC, overrides=overrides)
    assert not grades[1].is_baseline
    assert grades[2].grade == 0  # 1.37 x the overridden baseline


def test_results_before_the_start_are_graded_against_uln() -> None:
    labs = [_lab(1, "ALT", -20, 200), _lab(2, "ALT", -2, 95), _lab(3, "ALT", 5, 130)]
    grades = grade_series(labs, d(0), zone=UTC)
    assert grades[1].grade == 2 and "x ULN" in grades[1].reason


def test_bad_rows_get_a_reason_instead_of_stopping_the_series() -> None:
    labs = [
        _lab(1, "ALT", 1, 130),
        LabToGrade(2, "ALT", at(2), 130, "", "mmol/L", 40, None),
        LabToGrade(3, "FERRITIN", at(2), 130, "", "ng/mL", 40, None),
        _lab(4, "ALT", 3, 80, uln=None),
    ]
    grades = grade_series(labs, None, zone=UTC)
    assert grades[1].grade == 2
    assert grades[2].grade is None and "does not belong to ALT" in grades[2].reason
    assert grades[3].grade is None and "unknown analyte" in grades[3].reason
    assert grades[4].grade is None and "no ULN reported" in grades[4].reason


def test_builder_timeline_is_sorted_and_graded() -> None:
    tl = timeline(
        [("ALT", 5, 130.0), ("ALT", -1, 30.0)],
        [line(1, "ici", "pembrolizumab", 0)],
    )
    assert [lab.value for lab in tl.labs] == [30.0, 130.0]
    assert tl.labs[0].is_baseline and tl.labs[1].grade == 2
    assert tl.first_ici_start == d(0)
    assert tl.labs[0].collected_at.tzinfo is UTC
    assert datetime(2026, 3, 1, tzinfo=UTC) < tl.labs[0].collected_at
