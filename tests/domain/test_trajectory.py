"""Aligned trajectories: days around the line's start, x ULN, and the median of the lines."""

from __future__ import annotations

from irae_desktop.domain.trajectory import (
    LineTrajectory,
    TrajectoryPoint,
    line_trajectory,
    median_trajectory,
)

from .builders import line, timeline


def test_points_within_the_window_relative_to_the_uln() -> None:
    # ALT ULN 40 (builders): 400 is 10 x ULN; day -20 and day 61 fall outside -14..60;
    # a censored ">800" has no exact value to draw
    tl = timeline(
        [("ALT", -20, 80), ("ALT", -3, 120), ("ALT", 0, 400), ("ALT", 5, 800.0, ">"),
         ("ALT", 10, 60), ("ALT", 61, 40)],
        [line(1, "ici", "pembrolizumab", -30), line(2, "immunosuppression", "prednisone", 0)],
    )  # fmt: skip
    got = line_trajectory(tl, tl.treatments[1], "prednisone", "ALT", relative_to_uln=True)
    assert [(p.day, p.value) for p in got.points] == [(-3, 3.0), (0, 10.0), (10, 1.5)]


def _line(n: int, points: list[tuple[int, float]]) -> LineTrajectory:
    return LineTrajectory(n, n, "x", "ALT", True, tuple(TrajectoryPoint(d, v) for d, v in points))


def test_median_interpolates_and_needs_two_lines() -> None:
    a = _line(1, [(0, 10.0), (10, 2.0)])  # on day 5: 6.0
    b = _line(2, [(0, 4.0), (5, 3.0), (20, 1.0)])  # day 5: 3.0; day 10: 3 - 2 x 5/15
    c = _line(3, [(5, 9.0)])
    median = {p.day: p.value for p in median_trajectory([a, b, c])}
    assert median[0] == 7.0  # lines a and b only
    assert median[5] == 6.0  # 3, 6 and 9
    assert abs(median[10] - (2.0 + (3.0 - 2.0 / 3.0)) / 2) < 1e-12
    assert 11 not in median  # only line b reaches beyond day 10


def _value_by_the_definition(points: list[tuple[int, float]], day: int) -> float | None:
    """The rule written out plainly: the day's last result, else the straight line between the
    last result before the day and the first after it; nothing outside the results."""
    on_day = [v for d, v in points if d == day]
    if on_day:
        return on_day[-1]
    before = [(d, v) for d, v in points if d < day]
    after = [(d, v) for d, v in points if d > day]
    if not before or not after:
        return None
    (a, va), (b, vb) = before[-1], after[0]
    return va + (vb - va) * (day - a) / (b - a)


def test_daily_values_follow_the_definition_on_every_day() -> None:
    import random

    from irae_desktop.domain.trajectory import WINDOW, daily_values

    rng = random.Random(20261204)
    for _ in range(300):
        days = sorted(rng.choices(range(-20, 70), k=rng.randint(1, 12)))  # repeats: same day
        points = [(d, round(rng.uniform(0.1, 30.0), 2)) for d in days]
        got = daily_values(tuple(TrajectoryPoint(d, v) for d, v in points))
        for day in range(WINDOW[0], WINDOW[1] + 1):
            expected = _value_by_the_definition(points, day)
            if expected is None:
                assert day not in got, (points, day)
            else:
                assert abs(got[day] - expected) < 1e-9, (points, day)
