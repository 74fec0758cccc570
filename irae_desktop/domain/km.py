"""Kaplan-Meier estimate of the proportion of lines that reached an end point by a given day.

Small on purpose (no statistics package in the install); tests/domain/test_km.py checks it
against the lifelines package. At a day with both events and censorings, the censored lines are
counted as still at risk for that day's events (the usual convention, and lifelines').
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FollowedLine:
    """One line's time to its end point, or to its last draw when `reached` is False."""

    days: int
    reached: bool


@dataclass(frozen=True, slots=True)
class KmStep:
    """The estimate just after `day`: `remaining` is the proportion not yet at the end point."""

    day: int
    at_risk: int
    events: int
    censored: int
    remaining: float

    @property
    def reached(self) -> float:
        return 1.0 - self.remaining


def kaplan_meier(lines: Iterable[FollowedLine]) -> tuple[KmStep, ...]:
    """One step per day on which a line reached the end point or was censored, in day order."""
    followed = list(lines)
    if any(f.days < 0 for f in followed):
        raise ValueError("a follow-up time cannot be negative")
    events = Counter(f.days for f in followed if f.reached)
    censored = Counter(f.days for f in followed if not f.reached)
    at_risk = len(followed)
    remaining = 1.0
    steps = []
    for day in sorted(set(events) | set(censored)):
        happened = events[day]
        if happened:
            remaining *= 1.0 - happened / at_risk
        steps.append(KmStep(day, at_risk, happened, censored[day], remaining))
        at_risk -= happened + censored[day]
    return tuple(steps)


def proportion_reached_by(steps: tuple[KmStep, ...], day: int) -> float | None:
    """The estimated proportion at the end point by `day` (inclusive); None when no line was
    still followed at `day` (the estimate is not defined beyond the longest follow-up)."""
    if not steps:
        return None
    last = steps[-1]
    if day > last.day and last.remaining > 0.0:
        return None
    reached = 0.0
    for step in steps:
        if step.day > day:
            break
        reached = step.reached
    return reached


def median_days(steps: tuple[KmStep, ...]) -> int | None:
    """The first day by which half the lines are estimated to have reached the end point;
    None when the estimate never falls to one half."""
    for step in steps:
        if step.remaining <= 0.5 + 1e-12:
            return step.day
    return None
