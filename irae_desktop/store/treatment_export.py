"""Stored treatment lines as plain rows for the `treatments` export: each line with the dose it
is on today (after its taper steps) and whether it is on, held, stopped or planned."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from irae_desktop.domain.clinical_day import clinical_day
from irae_desktop.domain.doses import line_dose
from irae_desktop.store.clinical_zone import team_zone
from irae_desktop.store.models import Patient, TreatmentLine
from irae_desktop.store.timeline import treatment_span


@dataclass(frozen=True, slots=True)
class TreatmentRow:
    """One treatment line as the export prints it; `current_dose` is the dose on `today`."""

    mrn: str
    category: str
    agent: str
    dose: float | None
    dose_unit: str | None
    frequency: str | None
    route: str | None
    start: date
    stop: date | None
    indication: str | None
    current_dose: str
    status: str


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
        span = treatment_span(line)
        yield TreatmentRow(
            mrn=patient_mrn,
            category=line.category,
            agent=line.agent,
            dose=line.dose,
            dose_unit=line.dose_unit,
            frequency=line.frequency,
            route=line.route,
            start=line.start_date,
            stop=line.stop_date,
            indication=line.indication,
            # the one dose function the window and the printed summary use
            current_dose=line_dose(span, day).text(),
            status=span.status_on(day),
        )
