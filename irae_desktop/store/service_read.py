"""Every active patient as the service handoff list reads them, in a few set-based queries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from irae_desktop.domain.alert_types import AlertSettings
from irae_desktop.domain.timeline import PatientTimeline
from irae_desktop.store.alerts import Acknowledgement, acknowledgements, team_alert_settings
from irae_desktop.store.models import ConsultNote, Patient
from irae_desktop.store.patient_read import NoteRecord, PatientDetails, patient_details
from irae_desktop.store.timeline import load_timelines


@dataclass(frozen=True, slots=True)
class ActivePatient:
    patient: PatientDetails
    timeline: PatientTimeline
    # the newest note with a plan, if any
    plan: NoteRecord | None
    acknowledgements: dict[str, Acknowledgement]


@dataclass(frozen=True, slots=True)
class ServiceRead:
    patients: list[ActivePatient]
    alert_settings: AlertSettings


# a note whose plan is blank states no plan: it must not hide the last plan that was written
_STATES_A_PLAN = ConsultNote.plan.is_not(None) & (func.trim(ConsultNote.plan) != "")


def _latest_plans(session: Session, ids: list[int]) -> dict[int, NoteRecord]:
    newest = (
        select(ConsultNote.patient_id, func.max(ConsultNote.written_at).label("at"))
        .where(ConsultNote.patient_id.in_(ids), _STATES_A_PLAN)
        .group_by(ConsultNote.patient_id)
        .subquery()
    )
    rows = session.scalars(
        select(ConsultNote)
        .join(
            newest,
            (newest.c.patient_id == ConsultNote.patient_id)
            & (newest.c.at == ConsultNote.written_at),
        )
        .where(_STATES_A_PLAN)
        .order_by(ConsultNote.id)
    )
    # two notes at the same instant: the later id wins, as in the patient summary
    return {
        n.patient_id: NoteRecord(n.id, n.written_at, n.author, n.text, n.plan, n.version)
        for n in rows
    }


def read_active_patients(session: Session) -> ServiceRead:
    """Every patient whose status is active, with timeline, latest plan and acknowledgements,
    and the team's alert thresholds."""
    settings = team_alert_settings(session)
    patients = session.scalars(select(Patient).where(Patient.status == "active")).all()
    ids = [p.id for p in patients]
    if not ids:
        return ServiceRead([], settings)
    plans = _latest_plans(session, ids)
    timelines = load_timelines(session, ids)
    acks = acknowledgements(session, ids)
    return ServiceRead(
        [
            ActivePatient(patient_details(p), timelines[p.id], plans.get(p.id), acks.get(p.id, {}))
            for p in patients
        ],
        settings,
    )
