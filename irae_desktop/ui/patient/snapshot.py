"""Everything the patient view shows, read at once into plain frozen records (no Qt)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from irae_desktop.domain.alerts import ORGANS, current_grade
from irae_desktop.domain.clinical_day import clinical_day
from irae_desktop.domain.safety_panel import LineSafety, treatment_safety
from irae_desktop.domain.timeline import PatientTimeline, current_ici
from irae_desktop.domain.ungraded import latest_ungraded, ungraded_note
from irae_desktop.store.alerts import timeline_alerts
from irae_desktop.store.database import Database
from irae_desktop.store.patient_read import (
    EpisodeRecord,
    NoteRecord,
    PatientDetails,
    PatientRecord,
    StoredLab,
    TreatmentRecord,
    latest_plan,
    read_patient,
)
from irae_desktop.store.patients import PatientNotFoundError
from irae_desktop.store.screenings import ScreeningRecord
from irae_desktop.ui.grade_style import grade_label
from irae_desktop.ui.patient.response import response_labels

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AlertInfo:
    key: str
    kind: str
    severity: str
    title: str
    rule: str
    source: str
    evidence_at: datetime | None
    organ: str | None
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None
    acknowledgement_note: str | None = None
    # clinical reference, decision 13: "condition" (holds now) or "event" (open until
    # acknowledged); standing "current", "unacknowledged" (an event older than 7 days) or
    # "acknowledged"
    lifecycle: str = "event"
    standing: str = "current"
    raised_at: datetime | None = None

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_by is not None

    @property
    def can_acknowledge(self) -> bool:
        return self.lifecycle == "event" and not self.acknowledged


@dataclass(frozen=True, slots=True)
class HeaderInfo(PatientDetails):
    """The stored patient's details and what the header says about them today."""

    ici_agent: str | None
    ici_status: str | None
    latest_plan: str | None
    latest_plan_at: datetime | None
    # per organ "Liver: G1 ALT · latest ungraded: no range" (clinical reference, decision 12)
    grades: tuple[str, ...] = ()


def organ_grade_texts(timeline: PatientTimeline, now: datetime) -> tuple[str, ...]:
    """The current grade of each organ as the alert rules compute it, with a newer ungraded
    result beside it: an ungraded result never makes the patient look better."""
    later = latest_ungraded(timeline, now)
    texts = []
    for organ in ORGANS:
        found = current_grade(timeline, organ)
        shown = grade_label(found[0], found[1].analyte) if found is not None else "no graded result"
        if organ in later:
            shown += f" \u00b7 {ungraded_note(later[organ])}"
        elif found is None:
            continue
        texts.append(f"{organ.capitalize()}: {shown}")
    return tuple(texts)


@dataclass(frozen=True, slots=True)
class PatientSnapshot:
    header: HeaderInfo
    labs: tuple[StoredLab, ...]
    treatments: tuple[TreatmentRecord, ...]
    episodes: tuple[EpisodeRecord, ...]
    notes: tuple[NoteRecord, ...]
    alerts: tuple[AlertInfo, ...] = ()
    alerts_error: str | None = None
    response_labels: dict[int, str] = field(default_factory=dict)
    criteria_set: str = "ctcae-5.0"
    units_system: str = "US"
    # analyte -> a clinician's baseline (value, ULN) in the canonical unit
    baseline_overrides: dict[str, tuple[float, float | None]] = field(default_factory=dict)
    loaded_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    # the team's clinical time zone, whose calendar days the views count (today, status)
    clinical_timezone: str = "UTC"
    # the clinical day the snapshot was read on, in the team's time zone
    today: date = field(default_factory=date.today)
    # the standing infection screening results, oldest first
    screenings: tuple[ScreeningRecord, ...] = ()
    # the treatment safety summary per line (domain.safety_panel), or why it is missing
    safety: tuple[LineSafety, ...] = ()
    safety_error: str | None = None


def _safety(record: PatientRecord, now: datetime) -> tuple[tuple[LineSafety, ...], str | None]:
    try:
        return tuple(treatment_safety(record.timeline, now)), None
    except Exception:  # as with the alerts: a rule bug is logged and said, never an empty "ok"
        log.exception("treatment safety summary failed")
        return (
            (),
            "The treatment safety summary could not be computed (unexpected error; see the log).",
        )


class PatientGoneError(LookupError):
    """The patient was removed (or never existed) when the view tried to load it."""


def _alerts(record: PatientRecord, now: datetime) -> tuple[tuple[AlertInfo, ...], str | None]:
    try:
        found = timeline_alerts(
            record.timeline, now, record.alert_settings, record.acknowledgements
        )
    except Exception:  # a rule bug must not hide the patient; it is logged and said
        log.exception("alert evaluation failed")
        return (), "Alerts could not be computed (unexpected error; see the log)."
    return tuple(
        AlertInfo(
            key=a.key,
            kind=a.kind,
            severity=a.severity,
            title=a.title,
            rule=a.rule,
            source=a.source,
            evidence_at=a.evidence_at,
            organ=a.organ,
            acknowledged_by=a.acknowledgement.by if a.acknowledgement else None,
            acknowledged_at=a.acknowledgement.at if a.acknowledgement else None,
            acknowledgement_note=a.acknowledgement.note if a.acknowledgement else None,
            lifecycle=a.lifecycle,
            standing=a.standing,
            raised_at=a.raised_at,
        )
        for a in found
    ), None


def _header(record: PatientRecord, today: date, now: datetime) -> HeaderInfo:
    patient = record.patient
    ici = current_ici(record.treatments, today)
    plan = latest_plan(record.notes)
    details = {f.name: getattr(patient, f.name) for f in fields(PatientDetails)}
    return HeaderInfo(
        **details,
        ici_agent=ici.agent if ici else None,
        ici_status=ici.status_on(today) if ici else None,
        latest_plan=plan.plan if plan else None,
        latest_plan_at=plan.written_at if plan else None,
        grades=organ_grade_texts(record.timeline, now),
    )


def load_snapshot(db: Database, patient_id: int, *, now: datetime | None = None) -> PatientSnapshot:
    """Reads one patient and all they carry in a single read session."""
    now = now or datetime.now(UTC)
    try:
        with db.read() as session:
            record = read_patient(session, patient_id, with_labs=True)
    except PatientNotFoundError as exc:
        raise PatientGoneError(str(exc)) from exc
    team = record.team
    today = clinical_day(now, ZoneInfo(team.clinical_timezone))
    alerts, alerts_error = _alerts(record, now)
    safety, safety_error = _safety(record, now)
    try:
        labels = response_labels(record.timeline, record.treatments)
    except Exception:  # metrics are a help, not a reason to refuse the patient
        log.exception("response metrics failed")
        labels = {}
    return PatientSnapshot(
        header=_header(record, today, now),
        labs=record.labs,
        treatments=record.treatments,
        episodes=record.episodes,
        notes=record.notes,
        alerts=alerts,
        alerts_error=alerts_error,
        response_labels=labels,
        loaded_at=now,
        criteria_set=team.criteria_set,
        units_system=team.units_system,
        clinical_timezone=team.clinical_timezone,
        today=today,
        baseline_overrides=record.baseline_overrides,
        screenings=record.screenings,
        safety=safety,
        safety_error=safety_error,
    )
