"""Aligned trajectories of a case series: each line's results against days since its start
(day 0), and the median of the lines day by day."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

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


def _value_on(points: tuple[TrajectoryPoint, ...], day: int) -> float | None:
    """The line's value on `day`: the day's last result, or the straight line between the
    results either side; None outside its first and last result."""
    on_day = [p.value for p in points if p.day == day]
    if on_day:
        return on_day[-1]
    before = [p for p in points if p.day < day]
    after = [p for p in points if p.day > day]
    if not before or not after:
        return None
    a, b = before[-1], after[0]
    return a.value + (b.value - a.value) * (day - a.day) / (b.day - a.day)


def median_trajectory(
    lines: Iterable[LineTrajectory], window: tuple[int, int] = WINDOW
) -> tuple[TrajectoryPoint, ...]:
    """Day by day, the median of the lines' values (interpolated between results) on days
    that at least MEDIAN_MIN_LINES lines cover."""
    every = [line.points for line in lines if line.points]
    out = []
    for day in range(window[0], window[1] + 1):
        values = [v for v in (_value_on(points, day) for points in every) if v is not None]
        if len(values) >= MEDIAN_MIN_LINES:
            out.append(TrajectoryPoint(day, statistics.median(values)))
    return tuple(out)
