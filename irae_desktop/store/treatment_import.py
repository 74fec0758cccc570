"""Writes treatment lines read from a file: each through the same audited `add_line` as the
window, skipping lines already stored, then regrades once each patient whose first ICI start the
file moved (it decides every analyte's baseline: clinical reference, decision 3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from irae_desktop.domain.agents import agent_key
from irae_desktop.store.grading import regrade_patients
from irae_desktop.store.models import Patient, TreatmentLine
from irae_desktop.store.treatments import ICI, add_line

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
            self._first_ici[patient_id] = _first_ici_start(self.session, patient_id)
        return self._stored[patient_id]

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
