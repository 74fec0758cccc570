"""Aligned trajectories of a case series: each line's results against days since its start
(day 0), and the median of the lines day by day."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from irae_desktop.domain.timeline import PatientTimeline, TreatmentSpan

WINDOW = (-14, 60)  # days shown around day 0
# the median is drawn only on days at least this many lines cover
MEDIAN_MIN_LINES = 2


@dataclass(frozen=True, slots=True)
class TrajectoryPoint:
    day: int  # clinical days since the line's start
    value: float  # x ULN when the trajectory is relative to the ULN, else in the canonical unit


@dataclass(frozen=True, slots=True)
class LineTrajectory:
    patient_id: int
    line_id: int
    agent: str
    analyte: str
    relative_to_uln: bool
    points: tuple[TrajectoryPoint, ...]


def line_trajectory(
    timeline: PatientTimeline,
    line: TreatmentSpan,
    agent: str,
    analyte: str,
    *,
    relative_to_uln: bool,
    window: tuple[int, int] = WINDOW,
) -> LineTrajectory:
    """The analyte's exact results (no censored values, no result without a ULN when relative
    to it) within the window around the line's start, in time order."""
    first, last = window
    points = []
    for lab in timeline.labs_for(analyte):
        day = (timeline.day_of(lab.collected_at) - line.start).days
        if not first <= day <= last or lab.comparator:
            continue
        if relative_to_uln:
            multiple = lab.multiple_of_uln
            if multiple is None:
                continue
            points.append(TrajectoryPoint(day, multiple))
        else:
            points.append(TrajectoryPoint(day, lab.value))
    return LineTrajectory(
        timeline.patient_id, line.id, agent, analyte, relative_to_uln, tuple(points)
    )


def daily_values(
    points: tuple[TrajectoryPoint, ...], window: tuple[int, int] = WINDOW
) -> dict[int, float]:
    """The line's value on each day of the window from its first result to its last: on a day
    with results the day's last one, between two days with results the straight line from the
    earlier day's last result to the later day's first. One pass over the points, in day order."""
    first_of: dict[int, float] = {}
    last_of: dict[int, float] = {}
    for point in points:
        first_of.setdefault(point.day, point.value)
        last_of[point.day] = point.value
    days = sorted(last_of)
    low, high = window
    out: dict[int, float] = {}
    for a, b in pairwise(days):
        start, end = last_of[a], first_of[b]
        for day in range(max(a, low), min(b, high + 1)):
            out[day] = start + (end - start) * (day - a) / (b - a)
    if days and low <= days[-1] <= high:
        out[days[-1]] = last_of[days[-1]]
    return out


def median_trajectory(
    lines: Iterable[LineTrajectory], window: tuple[int, int] = WINDOW
) -> tuple[TrajectoryPoint, ...]:
    """Day by day, the median of the lines' values (interpolated between results) on days
    that at least MEDIAN_MIN_LINES lines cover."""
    every = [daily_values(line.points, window) for line in lines if line.points]
    out = []
    for day in range(window[0], window[1] + 1):
        values = [by_day[day] for by_day in every if day in by_day]
        if len(values) >= MEDIAN_MIN_LINES:
            out.append(TrajectoryPoint(day, statistics.median(values)))
    return tuple(out)
