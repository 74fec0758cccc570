"""One patient as the patient view and the printed summary read it: every fact in one read
session, as named records (no ORM objects leave this module)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from irae_desktop.domain.alert_types import AlertSettings
from irae_desktop.domain.doses import LineDose, line_dose
from irae_desktop.domain.timeline import PatientTimeline, TreatmentSpan
from irae_desktop.store.alerts import Acknowledgement, acknowledgements, team_alert_settings
from irae_desktop.store.labs import baseline_overrides
from irae_desktop.store.models import ConsultNote, IrAEEpisode, LabResult, Patient, TreatmentLine
from irae_desktop.store.patients import PatientNotFoundError
from irae_desktop.store.screenings import ScreeningRecord
from irae_desktop.store.settings import TeamSettings, get_settings
from irae_desktop.store.timeline import load_timeline, load_timeline_with_rows

_LAB = cast(Table, LabResult.__table__)


class StoredLab(NamedTuple):
    """One stored result as the labs table lists it, entered-in-error ones included.

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


@dataclass(frozen=True, slots=True, kw_only=True)
class TreatmentRecord(TreatmentSpan):
    """A stored treatment line, its dose steps and holds: the domain's span (what the rules,
    the printed summary and the export read) with what only an editor needs, its notes and its
    version for the optimistic lock."""

    notes: str | None = None
    version: int = 0

    def dose_on(self, day: date) -> LineDose:
        """The dose in effect on `day` and the dose history, as the printed summary has them."""
        return line_dose(self, day)


def treatment_record(span: TreatmentSpan, *, notes: str | None, version: int) -> TreatmentRecord:
    """A line as the timeline read it, with its notes and version."""
    return TreatmentRecord(
        id=span.id,
        category=span.category,
        agent=span.agent,
        dose=span.dose,
        dose_unit=span.dose_unit,
        frequency=span.frequency,
        route=span.route,
        start=span.start,
        stop=span.stop,
        indication=span.indication,
        reason_stopped=span.reason_stopped,
        dose_steps=span.dose_steps,
        holds=span.holds,
        notes=notes,
        version=version,
    )


@dataclass(frozen=True, slots=True)
class EpisodeRecord:
    id: int
    organ: str
    onset: date
    resolution: date | None
    grade: int | None
    status: str
    notes: str | None
    version: int


@dataclass(frozen=True, slots=True)
class NoteRecord:
    id: int
    written_at: datetime
    author: str
    text: str
    plan: str | None
    version: int


@dataclass(frozen=True, slots=True)
class PatientDetails:
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


@dataclass(frozen=True)
class PatientRecord:
    """Everything stored about one patient that a view or a report shows, read at one moment.

    `timeline` is what the clinical rules take; `treatments` and `episodes` are built from the
    timeline's own lines and episodes (read once), with the fields only an editor needs."""

    patient: PatientDetails
    team: TeamSettings
    alert_settings: AlertSettings
    timeline: PatientTimeline
    treatments: tuple[TreatmentRecord, ...]
    episodes: tuple[EpisodeRecord, ...]
    notes: tuple[NoteRecord, ...]
    # {alert key: acknowledgement} for this patient
    acknowledgements: dict[str, Acknowledgement]
    # analyte -> a clinician's baseline (value, ULN) in the canonical unit
    baseline_overrides: dict[str, tuple[float, float | None]]
    # every stored result, entered-in-error included, by time, analyte and id; empty unless
    # asked for (the labs table wants them, the printed summary does not)
    labs: tuple[StoredLab, ...] = field(default=())
    # the standing infection screening results, oldest first (the timeline's own)
    screenings: tuple[ScreeningRecord, ...] = field(default=())


def find_patient_id(session: Session, mrn_or_id: str | int) -> int:
    """The id of the patient with this id (int) or MRN (text); PatientNotFoundError if none."""
    if isinstance(mrn_or_id, int):
        found = session.scalar(select(Patient.id).where(Patient.id == mrn_or_id))
        shown = f"id {mrn_or_id}"
    else:
        found = session.scalar(select(Patient.id).where(Patient.mrn == mrn_or_id.strip()))
        shown = f"MRN {mrn_or_id.strip()!r}"
    if found is None:
        raise PatientNotFoundError(f"No patient with {shown} in this database.")
    return int(found)


def patient_mrn(session: Session, patient_id: int) -> str | None:
    """The patient's MRN, or None when there is no such patient."""
    return session.scalar(select(Patient.mrn).where(Patient.id == patient_id))


def read_patient_details(session: Session, patient_id: int) -> PatientDetails | None:
    """The stored patient's details, or None when there is no such patient (any more)."""
    patient = session.get(Patient, patient_id)
    return patient_details(patient) if patient is not None else None


def patient_details(patient: Patient) -> PatientDetails:
    return PatientDetails(
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
    )


def _stored_lab(at: datetime, row: Any) -> StoredLab:
    """A result row of load_timeline_with_rows, read by column name."""
    return StoredLab(
        id=row.id,
        analyte=row.analyte,
        collected_at=at,
        value=row.value,
        comparator=row.comparator,
        unit=row.unit,
        uln=row.uln,
        lln=row.lln,
        grade=row.grade,
        grade_reason=row.grade_reason,
        criteria=row.grade_criteria,
        is_baseline=bool(row.is_baseline),
        status=row.status,
        source_file=row.source_file,
        source_ref=row.source_ref,
        original_text=row.original_text,
        original_unit=row.original_unit,
        version=row.version,
    )


def _timeline_and_labs(
    session: Session, patient_id: int, with_labs: bool
) -> tuple[PatientTimeline, tuple[StoredLab, ...]]:
    if not with_labs:
        return load_timeline(session, patient_id), ()
    c = _LAB.c
    timeline, rows = load_timeline_with_rows(
        session, patient_id, [c.original_text, c.original_unit, c.version]
    )
    labs = [_stored_lab(at, row) for at, row in rows]
    # the labs table lists by time, then analyte, then id
    labs.sort(key=lambda lab: (lab.collected_at, lab.analyte, lab.id))
    return timeline, tuple(labs)


def _treatments(session: Session, timeline: PatientTimeline) -> tuple[TreatmentRecord, ...]:
    """The timeline's lines (steps and holds already read) with their notes and versions."""
    extra = {
        line_id: (notes, version)
        for line_id, notes, version in session.execute(
            select(TreatmentLine.id, TreatmentLine.notes, TreatmentLine.version).where(
                TreatmentLine.patient_id == timeline.patient_id
            )
        )
    }
    out = []
    for span in timeline.treatments:
        notes, version = extra.get(span.id, (None, 0))
        out.append(treatment_record(span, notes=notes, version=version))
    return tuple(out)


def _episodes(session: Session, timeline: PatientTimeline) -> tuple[EpisodeRecord, ...]:
    """The timeline's episodes with their notes and versions."""
    extra = {
        episode_id: (notes, version)
        for episode_id, notes, version in session.execute(
            select(IrAEEpisode.id, IrAEEpisode.notes, IrAEEpisode.version).where(
                IrAEEpisode.patient_id == timeline.patient_id
            )
        )
    }
    return tuple(
        EpisodeRecord(
            e.id, e.organ, e.onset, e.resolution, e.grade, e.status, *extra.get(e.id, (None, 0))
        )
        for e in timeline.episodes
    )


def _notes(session: Session, patient_id: int) -> tuple[NoteRecord, ...]:
    return tuple(
        NoteRecord(n.id, n.written_at, n.author, n.text, n.plan, n.version)
        for n in session.scalars(
            select(ConsultNote)
            .where(ConsultNote.patient_id == patient_id)
            .order_by(ConsultNote.written_at, ConsultNote.id)
        )
    )


def read_patient(session: Session, patient_id: int, *, with_labs: bool = False) -> PatientRecord:
    """One patient's record as it is stored now; PatientNotFoundError when the patient is gone.
    `with_labs` also lists every stored result with its source and version (the labs table)."""
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise PatientNotFoundError(f"Patient {patient_id} no longer exists in this database.")
    details = patient_details(patient)
    timeline, labs = _timeline_and_labs(session, patient_id, with_labs)
    return PatientRecord(
        patient=details,
        team=get_settings(session),
        alert_settings=team_alert_settings(session),
        timeline=timeline,
        treatments=_treatments(session, timeline),
        episodes=_episodes(session, timeline),
        notes=_notes(session, patient_id),
        acknowledgements=acknowledgements(session, [patient_id]).get(patient_id, {}),
        baseline_overrides={
            code: (o.value, o.uln) for code, o in baseline_overrides(session, patient_id).items()
        },
        labs=labs,
        screenings=tuple(s for s in timeline.screenings if isinstance(s, ScreeningRecord)),
    )


def latest_plan(notes: tuple[NoteRecord, ...]) -> NoteRecord | None:
    """The newest note that states a plan (notes are in time order; the later id wins a tie)."""
    planned = [n for n in notes if n.plan and n.plan.strip()]
    return planned[-1] if planned else None
