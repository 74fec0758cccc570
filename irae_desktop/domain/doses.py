"""A treatment line's dose on a given day, and the dated doses that led to it.

The screen, the trends lanes and the printed summary all ask this one function, so the dose a
clinician reads on the window is the dose the handoff prints (a taper step, not the first dose).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from irae_desktop.domain.timeline import TreatmentSpan

PAST, CURRENT, PLANNED = "past", "current", "planned"
NOT_GIVEN = "not given"  # a step dated after the line was stopped


def _number(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True, slots=True)
class DoseEntry:
    """One dated dose: the line's starting dose, a taper step or one infusion."""

    start: date
    dose: float
    unit: str
    frequency: str | None
    note: str | None
    state: str  # "past", "current", "planned" or "not given" on the day asked about
    is_starting: bool  # the dose the line was started with, not a recorded step

    def text(self) -> str:
        return " ".join(p for p in (_number(self.dose), self.unit, self.frequency or "") if p)


@dataclass(frozen=True, slots=True)
class LineDose:
    """The dose a line is on (or was last on, once stopped; will start on, while planned)."""

    dose: float | None
    unit: str | None
    frequency: str | None
    since: date | None  # the day this dose began
    history: tuple[DoseEntry, ...]  # every dated dose, oldest first

    def text(self) -> str:
        if self.dose is None:
            return ""
        parts = (_number(self.dose), self.unit or "", self.frequency or "")
        return " ".join(p for p in parts if p)


def line_dose(span: TreatmentSpan, day: date) -> LineDose:
    """The dose of `span` in effect on `day`, after its dose steps, with the whole history.

    A step applies from its date until the next one. The line's own dose counts from its start
    unless a step is recorded that same day. After the stop date the dose is the last one given;
    before the start it is the starting dose.
    """
    dated: list[tuple[date, float, str, str | None, str | None, bool]] = []
    steps = sorted(span.dose_steps, key=lambda s: s.start)
    if span.dose is not None and not any(s.start <= span.start for s in steps):
        dated.append((span.start, span.dose, span.dose_unit or "", span.frequency, None, True))
    for s in steps:
        dated.append((s.start, s.dose, s.dose_unit, s.frequency or span.frequency, s.note, False))
    effective = day if span.stop is None else min(day, span.stop)
    current = None
    for i, entry in enumerate(dated):
        if entry[0] <= effective:
            current = i
    stopped = span.stop is not None and day > span.stop
    history = []
    for i, (start, dose, unit, frequency, note, starting) in enumerate(dated):
        if span.stop is not None and start > span.stop:
            state = NOT_GIVEN
        elif i == current and not stopped:
            state = CURRENT
        elif start > day or (current is None and not stopped):
            state = PLANNED
        else:
            state = PAST
        history.append(DoseEntry(start, dose, unit, frequency, note, state, starting))
    chosen = current if current is not None else (0 if dated else None)
    if chosen is None:
        return LineDose(None, span.dose_unit, span.frequency, None, ())
    start, dose, unit, frequency, _, _ = dated[chosen]
    return LineDose(dose, unit or None, frequency, start, tuple(history))
