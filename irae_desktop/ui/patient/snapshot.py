"""Everything the patient view shows, read at once into plain frozen records (no Qt)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any, NamedTuple, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, select
from sqlalchemy.orm import Session, selectinload

from irae_desktop.domain.alerts import ORGANS, current_grade
from irae_desktop.domain.clinical_day import clinical_day
from irae_desktop.domain.doses import LineDose, line_dose
from irae_desktop.domain.timeline import DoseStepPoint, HoldSpan, PatientTimeline, TreatmentSpan
from irae_desktop.domain.ungraded import latest_ungraded, ungraded_note
from irae_desktop.store.database import Database
from irae_desktop.store.labs import baseline_overrides
from irae_desktop.store.models import (
    ConsultNote,
    IrAEEpisode,
    LabResult,
    Patient,
    TreatmentLine,
)
from irae_desktop.store.settings import get_settings
from irae_desktop.store.timeline import load_timeline_with_rows
from irae_desktop.store.worklist import ici_status_on
from irae_desktop.ui.grade_style import grade_label

log = logging.getLogger(__name__)


class LabRow(NamedTuple):
    """One stored result as the view shows it.

    A named tuple rather than a frozen dataclass: a patient can have thousands, and a tuple is
    made several times faster (a dataclass sets each frozen field through object.__setattr__).
    """

    id: int
    analyte: str
    collected_at: datetime
    value: float
    comparator: str
    unit: str
    uln: float | None
    lln: float | None
    grade: int | None
    grade_reason: str | None
    criteria: str | None
    is_baseline: bool
    status: str
    source_file: str | None
    source_ref: str | None
    original_text: str
    original_unit: str
    version: int

    @property
    def source(self) -> str:
        if self.source_file and self.source_ref:
            return f"{self.source_file}, {self.source_ref}"
        return self.source_file or self.source_ref or "entered by hand"


@dataclass(frozen=True, slots=True)
class DoseStepInfo:
    start: date
    dose: float
    unit: str
    frequency: str | None


@dataclass(frozen=True, slots=True)
class HoldInfo:
    start: date
    end: date | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class TreatmentInfo:
    id: int
    category: str
    agent: str
    dose: float | None
    dose_unit: str | None
    frequency: str | None
    route: str | None
    start: date
    stop: date | None
    indication: str | None
    reason_stopped: str | None
    notes: str | None
    steps: tuple[DoseStepInfo, ...]
    holds: tuple[HoldInfo, ...]
    version: int

    def status_on(self, today: date) -> str:
        if self.stop is not None and self.stop <= today:
            return "stopped"
        if self.start > today:
            return "planned"
        for hold in self.holds:
            if hold.start <= today and (hold.end is None or hold.end > today):
                return "held"
        return "on"

    def span(self) -> TreatmentSpan:
        return TreatmentSpan(
            id=self.id,
            category=self.category,
            agent=self.agent,
            dose=self.dose,
            dose_unit=self.dose_unit,
            frequency=self.frequency,
            route=self.route,
            start=self.start,
            stop=self.stop,
            indication=self.indication,
            reason_stopped=self.reason_stopped,
            dose_steps=tuple(
                DoseStepPoint(s.start, s.dose, s.unit, s.frequency) for s in self.steps
            ),
            holds=tuple(HoldSpan(h.start, h.end, h.reason) for h in self.holds),
        )

    def dose_on(self, day: date) -> LineDose:
        """The dose in effect on `day` and the dose history, as the printed summary has them."""
        return line_dose(self.span(), day)


@dataclass(frozen=True, slots=True)
class EpisodeInfo:
    id: int
    organ: str
    onset: date
    resolution: date | None
    grade: int | None
    status: str
    notes: str | None
    version: int


@dataclass(frozen=True, slots=True)
class NoteInfo:
    id: int
    written_at: datetime
    author: str
    text: str
    plan: str | None
    version: int


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
class HeaderInfo:
    id: int
    mrn: str
    name: str
    birth_date: date | None
    sex: str | None
    weight_kg: float | None
    diagnosis: str | None
    status: str
    is_synthetic: bool
    version: int
    ici_agent: str | None
    ici_status: str | None
    latest_plan: str | None
    latest_plan_at: datetime | None
    # per organ "Liver: G1 ALT · latest ungraded: no range" (clinical reference, decision 12)
    grades: tuple[str, ...] = ()

    def age_on(self, today: date) -> int | None:
        if self.birth_date is None:
            return None
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


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
    labs: tuple[LabRow, ...]
    treatments: tuple[TreatmentInfo, ...]
    episodes: tuple[EpisodeInfo, ...]
    notes: tuple[NoteInfo, ...]
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


class PatientGoneError(LookupError):
    """The patient was removed (or never existed) when the view tried to load it."""


def _labs_and_timeline(session: Session, patient_id: int) -> tuple[tuple[LabRow, ...], Any]:
    """Every stored result as table rows, and the domain timeline, from one query."""
    c = cast(Table, LabResult.__table__).c
    extra = [c.original_text, c.original_unit, c.version]
    timeline, rows = load_timeline_with_rows(session, patient_id, extra)
    # the labs table lists by time, then analyte, then id
    rows.sort(key=lambda pair: (pair[0], pair[1][2], pair[1][0]))
    labs = tuple(
        LabRow(
            id=r[0],
            analyte=r[2],
            collected_at=at,
            value=r[4],
            comparator=r[5],
            unit=r[6],
            uln=r[8],
            lln=r[7],
            grade=r[9],
            grade_reason=r[10],
            criteria=r[11],
            is_baseline=bool(r[12]),
            status=r[16],
            source_file=r[14],
            source_ref=r[15],
            original_text=r[17],
            original_unit=r[18],
            version=r[19],
        )
        for at, r in rows
    )
    return labs, timeline


def _treatment(line: TreatmentLine) -> TreatmentInfo:
    return TreatmentInfo(
        id=line.id,
        category=line.category,
        agent=line.agent,
        dose=line.dose,
        dose_unit=line.dose_unit,
        frequency=line.frequency,
        route=line.route,
        start=line.start_date,
        stop=line.stop_date,
        indication=line.indication,
        reason_stopped=line.reason_stopped,
        notes=line.notes,
        steps=tuple(
            DoseStepInfo(s.start_date, s.dose, s.dose_unit, s.frequency)
            for s in sorted(line.dose_steps, key=lambda s: (s.start_date, s.id))
        ),
        holds=tuple(HoldInfo(h.start_date, h.end_date, h.reason) for h in line.holds),
        version=line.version,
    )


def _alerts(
    session: Session, patient_id: int, now: datetime, timeline: Any
) -> tuple[tuple[AlertInfo, ...], str | None]:
    if timeline is None:
        return (), "Alert rules are not available in this installation."
    from irae_desktop.store.alerts import acknowledgements, team_alert_settings, timeline_alerts

    try:
        acks = acknowledgements(session, [patient_id]).get(patient_id, {})
        found = timeline_alerts(timeline, now, team_alert_settings(session), acks)
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


def load_snapshot(db: Database, patient_id: int, *, now: datetime | None = None) -> PatientSnapshot:
    """Reads one patient and all they carry in a single read session."""
    now = now or datetime.now(UTC)
    with db.read() as session:
        team = get_settings(session)
        today = clinical_day(now, ZoneInfo(team.clinical_timezone))
        patient = session.get(Patient, patient_id)
        if patient is None:
            raise PatientGoneError(f"Patient {patient_id} no longer exists in this database.")
        lines = session.scalars(
            select(TreatmentLine)
            .where(TreatmentLine.patient_id == patient_id)
            .options(selectinload(TreatmentLine.dose_steps), selectinload(TreatmentLine.holds))
            .order_by(TreatmentLine.start_date, TreatmentLine.id)
        ).all()
        treatments = tuple(_treatment(line) for line in lines)
        ici_lines = [line for line in lines if line.category == "ici" and line.start_date <= today]
        ici = ici_lines[-1] if ici_lines else None
        episodes = tuple(
            EpisodeInfo(e.id, e.organ, e.onset, e.resolution, e.grade, e.status, e.notes, e.version)
            for e in session.scalars(
                select(IrAEEpisode)
                .where(IrAEEpisode.patient_id == patient_id)
                .order_by(IrAEEpisode.onset, IrAEEpisode.id)
            )
        )
        notes = tuple(
            NoteInfo(n.id, n.written_at, n.author, n.text, n.plan, n.version)
            for n in session.scalars(
                select(ConsultNote)
                .where(ConsultNote.patient_id == patient_id)
                .order_by(ConsultNote.written_at, ConsultNote.id)
            )
        )
        planned = [n for n in notes if n.plan and n.plan.strip()]
        header = HeaderInfo(
            id=patient.id,
            mrn=patient.mrn,
            name=patient.name,
            birth_date=patient.birth_date,
            sex=patient.sex,
            weight_kg=patient.weight_kg,
            diagnosis=patient.diagnosis,
            status=patient.status,
            is_synthetic=patient.is_synthetic,
            version=patient.version,
            ici_agent=ici.agent if ici else None,
            ici_status=(
                ici_status_on(ici.stop_date, [(h.start_date, h.end_date) for h in ici.holds], today)
                if ici
                else None
            ),
            latest_plan=planned[-1].plan if planned else None,
            latest_plan_at=planned[-1].written_at if planned else None,
        )
        overrides = {
            code: (o.value, o.uln) for code, o in baseline_overrides(session, patient_id).items()
        }
        labs, timeline = _labs_and_timeline(session, patient_id)
        header = replace(header, grades=organ_grade_texts(timeline, now))
        alerts, alerts_error = _alerts(session, patient_id, now, timeline)
        try:
            from irae_desktop.ui.patient.response import response_labels

            labels = response_labels(timeline, treatments)
        except Exception:  # metrics are a help, not a reason to refuse the patient
            log.exception("response metrics failed")
            labels = {}
    return PatientSnapshot(
        header=header,
        labs=labs,
        treatments=treatments,
        episodes=episodes,
        notes=notes,
        alerts=alerts,
        alerts_error=alerts_error,
        response_labels=labels,
        loaded_at=now,
        criteria_set=team.criteria_set,
        units_system=team.units_system,
        clinical_timezone=team.clinical_timezone,
        today=today,
        baseline_overrides=overrides,
    )
