"""Doses given one by one (infusion or administration records) grouped into treatment lines.

A drug given in cycles (an ICI every 2 to 6 weeks, infliximab at weeks 0, 2 and 6) is one line
while each dose follows the last within the agent's usual cycle plus a grace week. A longer gap
is recorded as a hold on the same line, from the day the next dose was due to the day before
it was given: an ICI held for toxicity and resumed is the same treatment. A gap of more than 12
weeks past the due day starts a new line (a rechallenge is a new decision). A daily drug (no
cycle in the agent table) is one line while no day is missed by more than 2 days; its dose
steps are the days its dose changed (a taper), not every administration, and the store stops
its line on the last dose given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

CYCLE_GRACE_DAYS = 7
DAILY_GRACE_DAYS = 2
NEW_LINE_AFTER_DAYS = 84  # past the day the next dose was due


@dataclass(frozen=True, slots=True)
class Given:
    """One dose given on `day` (the clinical day of the administration)."""

    day: date
    dose: float | None
    unit: str | None
    ref: str = ""


@dataclass(frozen=True, slots=True)
class GapHold:
    start: date
    end: date
    reason: str


@dataclass
class GroupedLine:
    """A line rebuilt from its doses: the first dose starts it; `steps` are the dated doses
    to record (every dose of a cycled drug; each change of dose of a daily one)."""

    start: date
    steps: list[Given] = field(default_factory=list)
    given: list[Given] = field(default_factory=list)  # every dose, one per day
    holds: list[GapHold] = field(default_factory=list)
    last: date | None = None


def group_given(doses: Sequence[Given], cycle_days: int | None) -> list[GroupedLine]:
    """Groups one patient's doses of one agent into lines, oldest first. Doses on the same day
    count once (the first listed)."""
    cycle = cycle_days or 1
    grace = CYCLE_GRACE_DAYS if cycle_days else DAILY_GRACE_DAYS
    by_day: dict[date, Given] = {}
    for given in sorted(doses, key=lambda g: g.day):
        by_day.setdefault(given.day, given)
    lines: list[GroupedLine] = []
    for day in sorted(by_day):
        given = by_day[day]
        line = lines[-1] if lines else None
        if line is not None and line.last is not None:
            due = line.last + timedelta(days=cycle)
            gap = (day - line.last).days
            if (day - due).days > NEW_LINE_AFTER_DAYS:
                line = None
            elif gap > cycle + grace:
                line.holds.append(
                    GapHold(
                        due,
                        day - timedelta(days=1),
                        f"no dose given for {gap} days (usual interval {cycle} days)",
                    )
                )
        if line is None:
            line = GroupedLine(start=day)
            lines.append(line)
        line.given.append(given)
        previous = line.steps[-1] if line.steps else None
        if (
            cycle_days
            or previous is None
            or (previous.dose, previous.unit) != (given.dose, given.unit)
        ):
            line.steps.append(given)
        line.last = day
    return lines
