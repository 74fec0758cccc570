"""Grading a series at its edges: results passed as any iterable, the first ICI start judged on
the team's clinical day, and a single result graded without a series.

Expected grades worked by hand from CTCAE v5.0 (ALT: grade 1 >ULN-3 x ULN, grade 2 >3-5 x ULN;
with an abnormal baseline, grade 1 from 1.5 x baseline) with an ALT ULN of 40 U/L."""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from irae_desktop.domain.series import LabToGrade, SeriesGrade, grade_series, grade_without_baseline
from irae_desktop.domain.utc import naive_utc

HONOLULU = ZoneInfo("Pacific/Honolulu")  # UTC-10, no daylight saving
START = date(2026, 3, 2)


def _alt(id: int, at: datetime, value: float) -> LabToGrade:
    return LabToGrade(id, "ALT", at, value, "", "U/L", 40.0, None)


def test_results_given_as_a_generator_are_graded_like_a_list() -> None:
    labs = [
        _alt(1, datetime(2026, 3, 1, 8, tzinfo=UTC), 50.0),
        _alt(2, datetime(2026, 3, 9, 8, tzinfo=UTC), 130.0),
    ]
    as_list = grade_series(labs, None, zone=UTC)
    assert grade_series((lab for lab in labs), None, zone=UTC) == as_list
    assert grade_series(tuple(labs), None, zone=UTC) == as_list
    assert [as_list[1].grade, as_list[2].grade] == [1, 2]  # 1.25 and 3.25 x ULN


def test_the_start_day_is_the_teams_clinical_day_not_the_utc_day() -> None:
    # ALT 100 U/L (2.5 x ULN: abnormal) the day before the start; ALT 130 U/L at 05:00 UTC on
    # 3 March, which is 19:00 on 2 March in Honolulu: the start day there, so it is the latest
    # result on or before the start (the baseline) and graded against the ULN (3.25 x ULN:
    # grade 2), not against the earlier baseline (1.3 x baseline: grade 0)
    labs = [
        _alt(1, datetime(2026, 3, 1, 20, tzinfo=UTC), 100.0),
        _alt(2, datetime(2026, 3, 3, 5, tzinfo=UTC), 130.0),
    ]
    in_honolulu = grade_series(labs, START, zone=HONOLULU)
    assert in_honolulu[2].grade == 2
    assert in_honolulu[2].is_baseline is True
    assert in_honolulu[2].reason == (
        "ALT 130 U/L = 3.2 x ULN (40): grade 2, CTCAE v5.0 (baseline result, graded against ULN)"
    )
    # in UTC the same instant is the day after the start: graded against the baseline
    in_utc = grade_series(labs, START, zone=UTC)
    assert in_utc[1].is_baseline is True
    assert in_utc[2].grade == 0


def test_a_single_result_is_graded_as_a_series_without_a_baseline_grades_it() -> None:
    at = datetime(2026, 3, 9, 8, tzinfo=UTC)
    for value, grade in ((40.0, 0), (41.0, 1), (120.0, 1), (121.0, 2), (200.0, 2), (201.0, 3)):
        single = grade_without_baseline(
            "ALT", "", "U/L", 40.0, None, value, criteria_id="ctcae-5.0"
        )
        assert single == grade_series([_alt(7, at, value)], None, zone=UTC)[7], value
        assert single.grade == grade, value
        assert single.criteria_id == "ctcae-5.0"
        assert single.is_baseline is False
    v6 = grade_without_baseline("ALT", "", "U/L", 40.0, None, 130.0, criteria_id="ctcae-6.0")
    assert v6 == SeriesGrade(
        2, "ctcae-6.0", "ALT 130 U/L = 3.2 x ULN (40): grade 2, CTCAE v6.0", False
    )


@pytest.fixture
def tokyo_machine():  # type: ignore[no-untyped-def]
    """The computer's own time zone set to Tokyo (UTC+9) for the test."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Tokyo"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.mark.usefixtures("tokyo_machine")
def test_an_instant_is_stored_in_utc_whatever_the_computers_own_zone() -> None:
    eastern = datetime(2026, 3, 2, 0, 30, tzinfo=timezone(timedelta(hours=9)))
    assert naive_utc(eastern) == datetime(2026, 3, 1, 15, 30)
    assert naive_utc("2026-03-02T00:30:00+09:00") == datetime(2026, 3, 1, 15, 30)
    assert naive_utc(datetime(2026, 3, 2, 0, 30)) == datetime(2026, 3, 2, 0, 30)  # naive: as given


def test_a_result_drawn_on_the_start_day_before_the_baseline_is_graded_against_the_uln() -> None:
    # two ALTs on 2 March in Honolulu (04:00 and 06:00 UTC on 3 March): the later, 100 U/L
    # (2.5 x ULN, abnormal), is the baseline; the earlier, 130 U/L, is also on or before the
    # start day there, so it is graded against the ULN (3.25 x: grade 2), not against the
    # baseline (1.3 x baseline: grade 0)
    labs = [
        _alt(1, datetime(2026, 3, 3, 4, tzinfo=UTC), 130.0),
        _alt(2, datetime(2026, 3, 3, 6, tzinfo=UTC), 100.0),
    ]
    graded = grade_series(labs, START, zone=HONOLULU)
    assert graded[2].is_baseline is True
    assert (graded[1].grade, graded[1].is_baseline) == (2, False)
    assert graded[1].reason == "ALT 130 U/L = 3.2 x ULN (40): grade 2, CTCAE v5.0"


def test_a_single_result_in_a_unit_its_analyte_does_not_have_is_not_graded_and_says_why() -> None:
    single = grade_without_baseline("ALT", "", "mmol/L", 40.0, None, 130.0, criteria_id="ctcae-5.0")
    assert single == SeriesGrade(
        None,
        "ctcae-5.0",
        "unit 'mmol/L' does not belong to ALT (expected U/L, IU/L, µkat/L)",
        False,
    )
