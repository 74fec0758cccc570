"""When a treatment line's monitoring labs fall due (domain.safety_labels.LabSchedule): the
overdue-labs alert and the safety summary's "due next" both read it.

Days are clinical days counted from the line's start (day 0); results count from 30 days before
the start (its baseline). A schedule's one-off checks come first, in order: each is answered by
a draw on or after its window opens, and falls due on the window's last day. After them the
periods apply: the next draw is due on the first day whose gap from the last draw reaches the
longest gap allowed on that day, so counts drawn weekly in the first month fall due every two
weeks once the second month has begun. Without any draw, the gap is counted from the start.
A schedule whose analytes must each be drawn counts a draw as done when the last of them is in
(clinical reference, section 10).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from irae_desktop.domain.count_checks import window_start
from irae_desktop.domain.safety_labels import LabSchedule
from irae_desktop.domain.timeline import LabPoint, PatientTimeline, TreatmentSpan


@dataclass(frozen=True, slots=True)
class LabDue:
    line: TreatmentSpan
    schedule: LabSchedule
    last_done: LabPoint | None  # the result that completed the latest draw
    last_day: date | None  # its clinical day
    due_on: date | None  # None: the label schedules nothing more
    overdue: bool
    opens_on: date | None = None  # a one-off check's window opens that day
    never: tuple[str, ...] = ()  # analytes not drawn at all since the window's first day


def _draw_order(drawn: tuple[date, LabPoint]) -> tuple[date, datetime, int]:
    return drawn[0], drawn[1].collected_at, drawn[1].id


def _interval(schedule: LabSchedule, days_since_start: int) -> int:
    """The longest gap allowed on a day of the line (the first period's before it begins)."""
    every = schedule.periods[0][1]
    for from_day, gap in schedule.periods:
        if days_since_start >= from_day:
            every = gap
    return every


def lab_due(
    timeline: PatientTimeline, line: TreatmentSpan, schedule: LabSchedule, today: date
) -> LabDue:
    first_day = window_start(line)
    latest: dict[str, list[tuple[date, LabPoint]]] = {a: [] for a in schedule.analytes}
    for lab in timeline.labs_for(*schedule.analytes):
        day = timeline.day_of(lab.collected_at)
        if first_day <= day <= today:
            latest[lab.analyte].append((day, lab))
    drawn = {a: found for a, found in latest.items() if found}

    def done_since(day: date) -> bool:
        since = [any(d >= day for d, _ in found) for found in drawn.values()]
        if schedule.each:
            return len(drawn) == len(schedule.analytes) and all(since)
        return any(since)

    last: tuple[date, LabPoint] | None = None
    if drawn and (not schedule.each or len(drawn) == len(schedule.analytes)):
        order = _draw_order
        ends = [max(found, key=order) for found in drawn.values()]
        last = min(ends, key=order) if schedule.each else max(ends, key=order)
    last_lab, last_day = (last[1], last[0]) if last else (None, None)
    never = (
        tuple(a for a in schedule.analytes if a not in drawn) if schedule.each or not drawn else ()
    )
    for opens, due in schedule.first:
        opens_on = line.start + timedelta(days=opens)
        if not done_since(opens_on):
            due_on = line.start + timedelta(days=due)
            overdue = today > due_on
            return LabDue(line, schedule, last_lab, last_day, due_on, overdue, opens_on, never)
    if not schedule.periods:
        return LabDue(line, schedule, last_lab, last_day, None, False, None, never)
    anchor = last_day or line.start
    day = anchor + timedelta(days=1)
    while (day - anchor).days < _interval(schedule, (day - line.start).days):
        day += timedelta(days=1)
    return LabDue(line, schedule, last_lab, last_day, day, today > day, None, never)
