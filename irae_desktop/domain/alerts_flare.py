"""Flares: an organ's grade rising again after it had come down from its peak.

Clinical reference, decision 14: after the grade of an organ has come down by at least one grade
from its peak, a later result graded 2 or more that is higher than the lowest grade since that
peak is a flare (worsening during or after a taper; ASCO 2021 advises re-escalating
immunosuppression). Each flare becomes the new reference: the next flare needs the grade to come
down from it (or from a higher peak it rises to) and rise again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby

from irae_desktop.domain.timeline import LabPoint

FLARE_MIN_GRADE = 2


@dataclass(frozen=True, slots=True)
class OrganGrade:
    """The organ's grade once every result drawn at `at` is in: the worst of the latest graded
    result of each analyte, as the current grade is worked out. `lab` is the result that gave
    that grade."""

    at: datetime
    grade: int
    lab: LabPoint


@dataclass(frozen=True, slots=True)
class Flare:
    lab: LabPoint  # the result that flared
    grade: int
    peak: OrganGrade  # the peak (or earlier flare) the grade came down from
    lowest: OrganGrade  # the lowest grade since that peak


def organ_grades(
    labs: list[LabPoint], window_days: int, day_of: Callable[[datetime], date]
) -> Iterator[OrganGrade]:
    """The organ's grade after each collection time. `labs` are one organ's graded results in
    time order; a result more than `window_days` clinical days (`day_of`) before a time no longer
    counts at it."""
    latest: dict[str, LabPoint] = {}
    for at, drawn in groupby(labs, key=lambda lab: lab.collected_at):
        for lab in drawn:
            latest[lab.analyte] = lab
        today = day_of(at)
        counted = [
            lab for lab in latest.values() if (today - day_of(lab.collected_at)).days <= window_days
        ]
        worst = max(counted, key=lambda lab: (lab.grade or 0, lab.collected_at, lab.id))
        yield OrganGrade(at, worst.grade or 0, worst)


def find_flares(
    labs: list[LabPoint], window_days: int, day_of: Callable[[datetime], date]
) -> list[Flare]:
    """Every flare in one organ's graded results (time order), oldest first."""
    flares: list[Flare] = []
    peak: OrganGrade | None = None
    lowest: OrganGrade | None = None
    for point in organ_grades(labs, window_days, day_of):
        if peak is None or lowest is None:
            peak = lowest = point
            continue
        came_down = lowest.grade <= peak.grade - 1
        if came_down and point.grade >= FLARE_MIN_GRADE and point.grade > lowest.grade:
            flares.append(Flare(point.lab, point.grade, peak, lowest))
            peak = lowest = point  # the next flare is measured from this one
        elif not came_down and point.grade >= peak.grade:
            peak = lowest = point  # still rising or level: the peak moves on
        elif point.grade < lowest.grade:
            lowest = point
    return flares
