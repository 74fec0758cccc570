"""Stored treatment lines as plain rows for the `treatments` export: each line with the dose it
is on today (after its taper steps) and whether it is on, held, stopped or planned."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from irae_desktop.domain.clinical_day import clinical_day
from irae_desktop.store.clinical_zone import team_zone
from irae_desktop.store.models import Patient, TreatmentLine
from irae_desktop.store.patient_read import TreatmentRecord, treatment_record
from irae_desktop.store.timeline import treatment_span


@dataclass(frozen=True, slots=True)
class TreatmentRow:
    """One treatment line as the export prints it: the stored line, its patient's MRN, and its
    dose (`current_dose`, as text) and status on the day asked about."""

    mrn: str
    line: TreatmentRecord
    current_dose: str
    status: str

    def column(self, name: str) -> Any:
        """A column of the export by name: the row's own, else the stored line's."""
        if name in ("mrn", "current_dose", "status"):
            return getattr(self, name)
        return getattr(self.line, name)


def clinical_today(session: Session, now: datetime | None = None) -> date:
    """Today in the team's clinical time zone (clinical reference, decision 10)."""
    return clinical_day(now or datetime.now(UTC), team_zone(session))


def treatment_rows(
    session: Session, mrn: str | None = None, *, today: date | None = None
) -> Iterator[TreatmentRow]:
    """Every line (or one patient's), by MRN then start date; doses and states on `today`
    (default: the clinical day now)."""
    day = today or clinical_today(session)
    query = (
        select(Patient.mrn, TreatmentLine)
        .join(TreatmentLine, TreatmentLine.patient_id == Patient.id)
        .options(selectinload(TreatmentLine.dose_steps), selectinload(TreatmentLine.holds))
        .order_by(Patient.mrn, TreatmentLine.start_date, TreatmentLine.id)
    )
    if mrn is not None:
        query = query.where(Patient.mrn == mrn)
    for patient_mrn, line in session.execute(query):
        record = treatment_record(treatment_span(line), notes=line.notes, version=line.version)
        yield TreatmentRow(
            mrn=patient_mrn,
            line=record,
            # the one dose function the window and the printed summary use
            current_dose=record.dose_on(day).text(),
            status=record.status_on(day),
        )
