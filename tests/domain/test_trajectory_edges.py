"""Aligned trajectories at the edges of the window (-14 to 60 days around the line's start).

Expected values come from the inputs: ALT as a multiple of its ULN of 40 U/L (builders), glucose
in mg/dL as drawn; between two days with results a line's value is the straight line from the
earlier to the later (x days of y: a fall of (earlier - later) x x / y).
"""

from __future__ import annotations

from dataclasses import replace

from irae_desktop.domain.trajectory import (
    LineTrajectory,
    TrajectoryPoint,
    daily_values,
    line_trajectory,
    median_trajectory,
)

from .builders import line, timeline, with_labs

TREATMENTS = [line(1, "ici", "pembrolizumab", -30), line(2, "immunosuppression", "prednisone", 0)]


def _points(*pairs: tuple[int, float]) -> tuple[TrajectoryPoint, ...]:
    return tuple(TrajectoryPoint(day, value) for day, value in pairs)


def test_results_on_the_windows_first_and_last_days_are_drawn() -> None:
    """ALT 80 U/L on day -14 (2 x ULN) and 40 U/L on day 60 (1 x ULN) are inside the window;
    day -15 and day 61 are outside. The trajectory names the patient (1), the line (2), the
    agent, the analyte and that it is drawn against the ULN."""
    tl = timeline(
        [("ALT", -15, 100), ("ALT", -14, 80), ("ALT", 60, 40), ("ALT", 61, 200)], TREATMENTS
    )
    got = line_trajectory(tl, tl.treatments[1], "prednisone", "ALT", relative_to_uln=True)
    assert got == LineTrajectory(1, 2, "prednisone", "ALT", True, _points((-14, 2.0), (60, 1.0)))


def test_a_result_without_a_uln_is_left_out_and_later_ones_still_drawn() -> None:
    """ALT 400 U/L on day 0 (10 x ULN), 200 on day 5 stored without a ULN (no multiple to
    draw), 60 on day 10 (1.5 x ULN)."""
    tl = timeline([("ALT", 0, 400), ("ALT", 5, 200), ("ALT", 10, 60)], TREATMENTS)
    tl = with_labs(tl, [replace(lab, uln=None) if lab.value == 200 else lab for lab in tl.labs])
    got = line_trajectory(tl, tl.treatments[1], "prednisone", "ALT", relative_to_uln=True)
    assert got.points == _points((0, 10.0), (10, 1.5))


def test_values_in_the_canonical_unit_when_not_drawn_against_the_uln() -> None:
    """Glucose 400, 250 and 120 mg/dL on days 0, 3 and 10 are drawn as they are; a censored
    ">600" on day 1 has no exact value to draw."""
    tl = timeline(
        [("GLUCOSE", 0, 400), ("GLUCOSE", 1, 600, ">"), ("GLUCOSE", 3, 250), ("GLUCOSE", 10, 120)],
        [line(1, "ici", "pembrolizumab", -30), line(2, "immunosuppression", "baricitinib", 0)],
    )
    got = line_trajectory(tl, tl.treatments[1], "baricitinib", "GLUCOSE", relative_to_uln=False)
    assert got == LineTrajectory(
        1, 2, "baricitinib", "GLUCOSE", False, _points((0, 400.0), (3, 250.0), (10, 120.0))
    )


def test_daily_values_stop_at_the_windows_last_day() -> None:
    """Results on day 50 (10) and day 70 (30): one more each day from day 50, up to day 60."""
    got = daily_values(_points((50, 10.0), (70, 30.0)))
    assert got == {day: float(day - 40) for day in range(50, 61)}


def test_a_last_result_on_the_windows_first_day_is_kept() -> None:
    """Results on day -20 (outside) and day -14: only day -14 is in the window."""
    assert daily_values(_points((-20, 5.0), (-14, 3.0))) == {-14: 3.0}


def test_a_line_without_results_has_no_daily_values() -> None:
    assert daily_values(()) == {}


def _line(n: int, *pairs: tuple[int, float]) -> LineTrajectory:
    return LineTrajectory(n, n, "x", "ALT", True, _points(*pairs))


def test_the_median_covers_the_days_before_the_start_and_the_windows_last_day() -> None:
    """Two lines from day -10 to day 60: 4 to 2 and 2 to 1. Median on day -10: (4 + 2) / 2 = 3;
    on day 60: (2 + 1) / 2 = 1.5; every day from -10 to 60 has one."""
    median = median_trajectory([_line(1, (-10, 4.0), (60, 2.0)), _line(2, (-10, 2.0), (60, 1.0))])
    assert [p.day for p in median] == list(range(-10, 61))
    assert (median[0].value, median[-1].value) == (3.0, 1.5)


def test_the_median_over_a_wider_window_uses_that_window() -> None:
    """Window 0 to 90, two lines from day 0 to day 80: 10 to 2 and 6 to 2. On day 70, 10 - 8 x
    70/80 = 3 and 6 - 4 x 70/80 = 2.5: median 2.75; on day 80 both are 2; none after day 80."""
    lines = [_line(1, (0, 10.0), (80, 2.0)), _line(2, (0, 6.0), (80, 2.0))]
    median = {p.day: p.value for p in median_trajectory(lines, window=(0, 90))}
    assert sorted(median) == list(range(0, 81))
    assert (median[70], median[80]) == (2.75, 2.0)
