"""Writes treatment lines read from a file: each through the same audited `add_line` as the
window, skipping lines already stored, then regrades once each patient whose first ICI start the
file moved (it decides every analyte's baseline: clinical reference, decision 3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from irae_desktop.domain.administrations import DAILY_GRACE_DAYS, GroupedLine
from irae_desktop.domain.agents import Agent, agent_key
from irae_desktop.store.grading import regrade_patients
from irae_desktop.store.models import Patient, TreatmentLine
from irae_desktop.store.treatments import (
    ICI,
    add_dose_step,
    add_line,
    hold_line,
    resume_line,
    update_line,
)

IMPORTED, DUPLICATE = "imported", "duplicate"


@dataclass(frozen=True, slots=True)
class LineRecord:
    """One treatment line as a file gives it, already checked; `agent` is the generic name."""

    mrn: str
    category: str
    agent: str
    start: date
    dose: float | None = None
    dose_unit: str | None = None
    frequency: str | None = None
    route: str | None = None
    stop: date | None = None
    indication: str | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class LineWritten:
    outcome: str  # IMPORTED or DUPLICATE
    # for a duplicate whose other fields differ from the stored line: what differs
    differences: tuple[str, ...] = ()


_COMPARED = ("category", "dose", "dose_unit", "frequency", "route", "stop_date", "indication")


def _first_ici_start(session: Session, patient_id: int) -> date | None:
    return session.scalar(
        select(func.min(TreatmentLine.start_date)).where(
            TreatmentLine.patient_id == patient_id, TreatmentLine.category == ICI
        )
    )


class TreatmentLineWriter:
    """Adds lines for one import; `finish` regrades where the first ICI start moved."""

    def __init__(self, session: Session, user: str):
        self.session = session
        self.user = user
        self._patients: dict[str, int | None] = {}
        # per patient: (agent key, start) -> the stored line
        self._stored: dict[int, dict[tuple[str, date], TreatmentLine]] = {}
        self._first_ici: dict[int, date | None] = {}

    def patient_id(self, mrn: str) -> int | None:
        """The stored patient with this MRN (compared after trimming), or None."""
        key = mrn.strip()
        if key not in self._patients:
            self._patients[key] = self.session.scalar(select(Patient.id).where(Patient.mrn == key))
        return self._patients[key]

    def _lines(self, patient_id: int) -> dict[tuple[str, date], TreatmentLine]:
        if patient_id not in self._stored:
            lines = self.session.scalars(
                select(TreatmentLine).where(TreatmentLine.patient_id == patient_id)
            )
            self._stored[patient_id] = {(agent_key(x.agent), x.start_date): x for x in lines}
            # as it was before this import, even when the lines are read again
            if patient_id not in self._first_ici:
                self._first_ici[patient_id] = _first_ici_start(self.session, patient_id)
        return self._stored[patient_id]

    def forget(self, patient_id: int) -> None:
        """Reads the patient's lines again next time (after a rolled-back write)."""
        self._stored.pop(patient_id, None)

    def add(self, patient_id: int, record: LineRecord) -> LineWritten:
        """Adds the line unless the patient already has one of that agent starting that day
        (however the agent was spelt): then nothing is changed and the differences are told."""
        stored = self._lines(patient_id)
        key = (agent_key(record.agent), record.start)
        existing = stored.get(key)
        if existing is not None:
            given = {
                "category": record.category,
                "dose": record.dose,
                "dose_unit": record.dose_unit,
                "frequency": record.frequency,
                "route": record.route,
                "stop_date": record.stop,
                "indication": record.indication,
            }
            differences = tuple(
                f"{name} {getattr(existing, name)!s} stored, {given[name]!s} in the file"
                for name in _COMPARED
                if given[name] is not None and given[name] != getattr(existing, name)
            )
            return LineWritten(DUPLICATE, differences)
        line = add_line(
            self.session,
            self.user,
            patient_id,
            category=record.category,
            agent=record.agent,
            start_date=record.start,
            dose=record.dose,
            dose_unit=record.dose_unit,
            frequency=record.frequency,
            route=record.route,
            indication=record.indication,
            stop_date=record.stop,
            notes=record.notes,
            regrade=False,
        )
        stored[key] = line
        return LineWritten(IMPORTED)

    def finish(self) -> list[int]:
        """Regrades the patients whose first ICI start changed; returns their ids."""
        moved = [
            pid
            for pid, before in self._first_ici.items()
            if _first_ici_start(self.session, pid) != before
        ]
        if moved:
            regrade_patients(self.session, sorted(moved))
        return sorted(moved)


@dataclass(frozen=True, slots=True)
class GivenWritten:
    """What became of the doses of one grouped line: new, or already recorded."""

    new: int
    already: int


def _last_day(line: TreatmentLine) -> date:
    days = [line.start_date, *(s.start_date for s in line.dose_steps)]
    days += [h.end_date or h.start_date for h in line.holds]
    days += [line.stop_date] if line.stop_date else []
    return max(days)


def _dose_before(line: TreatmentLine, day: date) -> tuple[float | None, str | None]:
    """The dose the line was on up to `day` (its starting dose, or its last step before)."""
    earlier = [s for s in line.dose_steps if s.start_date < day]
    if day <= line.start_date or not earlier:
        return (line.dose, line.dose_unit) if day >= line.start_date else (None, None)
    last = max(earlier, key=lambda s: s.start_date)
    return last.dose, last.dose_unit


class GivenLineWriter(TreatmentLineWriter):
    """Also writes lines rebuilt from doses given (domain.administrations)."""

    def add_given(
        self, patient_id: int, agent: Agent, group: GroupedLine, route: str | None, note: str
    ) -> GivenWritten:
        """Records the group as a line of `agent`, or onto the stored line of that agent that
        covers its first dose; doses on or before what the stored line already records are
        counted as already there (re-importing a file adds nothing)."""
        stored = self._lines(patient_id)
        key = agent_key(agent.generic)
        # a daily drug's line stops on its last dose given: the record shows none after it,
        # and an open line would count steroid days that were never given; a drug given in
        # cycles stays open until the team stops it (domain.administrations)
        daily = agent.cycle_days is None
        last_given = group.given[-1].day
        reach = timedelta(days=DAILY_GRACE_DAYS + 1 if daily else 0)
        line = next(
            (
                x
                for (k, start), x in sorted(stored.items(), key=lambda i: i[0][1], reverse=True)
                if k == key
                and start <= group.start
                and (x.stop_date is None or group.start <= x.stop_date + reach)
            ),
            None,
        )
        known = _last_day(line) if line is not None else None
        if line is not None and daily and line.stop_date and last_given > line.stop_date:
            # later doses of a daily drug carry its stop forward
            update_line(
                self.session,
                self.user,
                line.id,
                expected_version=line.version,
                changes={"stop_date": last_given},
                reason="later doses given",
            )
        if line is None:
            first = group.given[0]
            line = add_line(
                self.session,
                self.user,
                patient_id,
                category=agent.category,
                agent=agent.generic,
                start_date=group.start,
                dose=first.dose,
                dose_unit=first.unit,
                route=route,
                stop_date=last_given if daily else None,
                notes=note,
                regrade=False,
            )
            stored[(key, group.start)] = line
        step_days = {s.start_date for s in line.dose_steps}
        for step in group.steps:
            new_day = known is None or step.day > known
            # a daily drug's dated doses are its changes of dose, not each day it was given
            unchanged = daily and _dose_before(line, step.day) == (step.dose, step.unit)
            if new_day and step.day not in step_days and not unchanged and step.dose:
                add_dose_step(
                    self.session,
                    self.user,
                    line.id,
                    start_date=step.day,
                    dose=step.dose,
                    dose_unit=step.unit or "",
                    note=f"given ({step.ref})",
                )
                self.session.expire(line, ["dose_steps"])  # read the new step back
        held = {h.start_date for h in line.holds}
        for hold in group.holds:
            if (known is None or hold.start > known) and hold.start not in held:
                hold_line(
                    self.session, self.user, line.id, start_date=hold.start, reason=hold.reason
                )
                resume_line(self.session, self.user, line.id, end_date=hold.end)
        new = sum(1 for g in group.given if known is None or g.day > known)
        return GivenWritten(new, len(group.given) - new)
