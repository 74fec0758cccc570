"""Days to grade <= 1 on an immunosuppression line, whether the line began there already, the
steroid exposure of a line, and which later lines share its response (clinical reference,
section 4 and decision 10).

ALT ULN 40 U/L (CTCAE v5.0): 100 U/L = 2.5 x ULN is grade 1, 180 U/L = 4.5 x ULN grade 2,
400 U/L = 10 x ULN grade 3. Day 0 is 2026-03-02; prednisone starts on day 11.
"""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest

from irae_desktop.domain.response import (
    LineResponse,
    concurrent_agents,
    immunosuppression_responses,
    line_response,
    total_steroid_exposure,
)

from .builders import d, line, timeline

NIVO = line(1, "ici", "nivolumab", 0)
PRED = line(2, "immunosuppression", "prednisone", 11, dose=70, dose_unit="mg")


def _grade_1(labs) -> tuple[int | None, bool]:  # type: ignore[no-untyped-def]
    (resp,) = immunosuppression_responses(timeline(labs, [NIVO, PRED]))
    return resp.days_to_grade_1_or_less, resp.already_grade_1_at_start


def test_grade_2_falls_to_grade_1_counts_only_at_grade_1() -> None:
    # grade 3 before the start, grade 2 on day 14, grade 1 on day 18: 7 days
    assert _grade_1([("ALT", 9, 400.0), ("ALT", 14, 180.0), ("ALT", 18, 100.0)]) == (7, False)


def test_grade_2_before_the_start_is_not_already_grade_1() -> None:
    assert _grade_1([("ALT", 9, 180.0), ("ALT", 15, 100.0)]) == (4, False)
    # and with no draw since the start, nothing is reached
    assert _grade_1([("ALT", 9, 180.0)]) == (None, False)


def test_grade_1_before_the_start_and_no_draw_since_is_already_there() -> None:
    assert _grade_1([("ALT", 2, 400.0), ("ALT", 9, 100.0)]) == (None, True)


def test_grade_1_on_the_start_day_is_already_there() -> None:
    assert _grade_1([("ALT", 9, 400.0), ("ALT", 11, 100.0), ("ALT", 15, 90.0)]) == (None, True)


def test_grade_3_on_the_start_day_is_the_state_the_line_began_in() -> None:
    # grade 1 on day 9, but grade 3 on the start day: the line has work to do; grade 1 day 15
    assert _grade_1([("ALT", 9, 100.0), ("ALT", 11, 400.0), ("ALT", 15, 100.0)]) == (4, False)


def test_an_ungraded_result_is_skipped_not_the_end_of_the_series() -> None:
    tl = timeline([("ALT", 9, 400.0), ("ALT", 13, 390.0), ("ALT", 16, 100.0)], [NIVO, PRED])
    labs = [replace(lab, grade=None) if lab.id == 2 else lab for lab in tl.labs]
    (resp,) = immunosuppression_responses(replace(tl, labs=labs))
    assert (resp.days_to_grade_1_or_less, resp.already_grade_1_at_start) == (5, False)


def test_a_fall_on_the_start_day_in_the_clinical_zone_is_not_the_lines() -> None:
    # Honolulu is UTC-10: a draw at 08:00 UTC on day 12 is 22:00 on day 11 there, the start day
    tl = timeline(
        [("ALT", 9, 800.0), ("ALT", 12, 390.0)],
        [NIVO, PRED],
        zone=ZoneInfo("Pacific/Honolulu"),
    )
    (resp,) = immunosuppression_responses(tl)
    assert resp.analytes[0].days_to_half_peak is None


def test_two_results_at_the_same_instant_are_not_a_fall_after_the_peak() -> None:
    # 800 and 390 U/L both drawn at 08:00 on day 12 (a repeat): 390 is not after the peak
    (resp,) = immunosuppression_responses(
        timeline([("ALT", 12, 800.0), ("ALT", 12, 390.0)], [NIVO, PRED])
    )
    assert resp.analytes[0].days_to_half_peak is None


def test_steroid_exposure_of_a_line_runs_to_its_last_result_or_to_until() -> None:
    # 1 mg/kg/day at 70 kg = 70 mg a day from day 11; results on days 12 and 16
    per_kg = line(2, "immunosuppression", "prednisone", 11, dose=1.0, dose_unit="mg/kg/day")
    tl = timeline([("ALT", 12, 400.0), ("ALT", 16, 300.0)], [NIVO, per_kg])
    exposure = line_response(tl, per_kg).steroid_exposure
    assert exposure is not None
    assert exposure.cumulative_mg == pytest.approx(6 * 70.0)  # days 11-16
    (resp,) = immunosuppression_responses(tl, until=d(13))
    assert resp.steroid_exposure is not None
    assert resp.steroid_exposure.cumulative_mg == pytest.approx(3 * 70.0)  # days 11-13
    assert total_steroid_exposure(tl, d(13)).cumulative_mg == pytest.approx(3 * 70.0)


def test_steroid_exposure_of_a_line_without_results_is_its_first_day() -> None:
    tl = timeline([], [NIVO, PRED])
    exposure = line_response(tl, PRED).steroid_exposure
    assert exposure is not None and exposure.cumulative_mg == pytest.approx(70.0)


def _resp(line_id: int, agent: str, start: int, days: int | None) -> LineResponse:
    return LineResponse(line_id, agent, d(start), days, (), None)


def test_a_line_started_on_the_day_of_the_response_shares_it() -> None:
    # prednisone from day 10 reaches grade 1 on day 29 (19 days); MMF starts on day 29
    shared = concurrent_agents(
        [_resp(2, "prednisone", 10, 19), _resp(3, "mycophenolate", 29, None)]
    )
    assert shared == {2: ("mycophenolate",), 3: ()}


def test_a_line_without_response_shares_nothing_and_the_next_is_still_read() -> None:
    shared = concurrent_agents(
        [
            _resp(2, "prednisone", 10, None),
            _resp(3, "methylprednisolone", 13, 10),
            _resp(4, "mycophenolate", 15, None),
        ]
    )
    assert shared == {2: (), 3: ("mycophenolate",), 4: ()}


@pytest.mark.parametrize("first", ["ALT", "AST"])
def test_an_alt_and_an_ast_drawn_together_are_read_together(first: str) -> None:
    """ALT 400 U/L (grade 3) on day 9; on the start day one sample gives ALT 100 U/L (grade 1)
    and a first AST of 400 U/L (10 x ULN, grade 3): the line did not begin at grade <= 1,
    whichever of the two was stored first; both are grade <= 1 on day 15, 4 days after."""
    second = "AST" if first == "ALT" else "ALT"
    value = {"ALT": 100.0, "AST": 400.0}
    labs = [
        ("ALT", 9, 400.0),
        (first, 11, value[first]),
        (second, 11, value[second]),
        ("ALT", 15, 100.0),
        ("AST", 15, 100.0),
    ]
    assert _grade_1(labs) == (4, False)
