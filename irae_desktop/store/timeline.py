"""Loads a patient's stored labs, treatments, episodes and screening results as a domain
PatientTimeline."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import ColumnElement, DateTime, String, Table, select, type_coerce
from sqlalchemy.orm import Session, selectinload

from irae_desktop.domain.records import ResultStatus
from irae_desktop.domain.timeline import (
    DoseStepPoint,
    EpisodeSpan,
    HoldSpan,
    LabPoint,
    PatientTimeline,
    TreatmentSpan,
    first_ici_start,
)
from irae_desktop.domain.utc import aware_utc
from irae_desktop.store.clinical_zone import team_zone
from irae_desktop.store.models import (
    IrAEEpisode,
    LabResult,
    Patient,
    SiteReferenceRange,
    TreatmentLine,
)
from irae_desktop.store.patients import PatientNotFoundError
from irae_desktop.store.screenings import screenings_by_patient

_LAB = cast(Table, LabResult.__table__)
_WITHDRAWN = ResultStatus.ENTERED_IN_ERROR.value
_HELD = ResultStatus.NEEDS_REVIEW.value


def _source(entered_by: str | None, source_file: str | None, source_ref: str | None) -> str | None:
    if entered_by and not source_file:
        return f"entered by {entered_by}"
    if source_file:
        return f"{source_file} ({source_ref})" if source_ref else source_file
    return source_ref


Ranges = dict[tuple[str, str], tuple[float | None, float | None]]


def _site_ranges(session: Session) -> Ranges:
    rows = session.execute(
        select(
            SiteReferenceRange.analyte,
            SiteReferenceRange.sex,
            SiteReferenceRange.lln,
            SiteReferenceRange.uln,
        )
    )
    return {(a, s or ""): (lo, hi) for a, s, lo, hi in rows}


class StoredLabPoint(NamedTuple):
    """A stored result's columns a timeline reads, with the time as the database gives it
    (text on SQLite: see aware_utc)."""

    id: int
    patient_id: int
    analyte: str
    collected_at: Any
    value: float
    comparator: str | None
    unit: str
    lln: float | None
    uln: float | None
    grade: int | None
    grade_reason: str | None
    grade_criteria: str | None
    is_baseline: bool | None
    entered_by: str | None
    source_file: str | None
    source_ref: str | None
    status: str


# the lab columns a timeline reads, in the order of the rows load_timeline_with_rows returns
# (then status, then the caller's extra columns)
LAB_COLUMNS = StoredLabPoint._fields[:-1]


def _lab_point(row: StoredLabPoint, at: datetime, sex: str, sites: Ranges) -> LabPoint:
    analyte, lln, uln = row.analyte, row.lln, row.uln
    range_source = "reported"
    if lln is None or uln is None:
        site = sites.get((analyte, sex)) or sites.get((analyte, ""))
        if site is not None and (
            (lln is None and site[0] is not None) or (uln is None and site[1] is not None)
        ):
            lln = site[0] if lln is None else lln
            uln = site[1] if uln is None else uln
            range_source = "site"
        elif lln is None and uln is None:
            range_source = "none"
    return LabPoint(
        id=row.id,
        analyte=analyte,
        collected_at=at,
        value=row.value,
        comparator=row.comparator or "",
        unit=row.unit,
        uln=uln,
        lln=lln,
        grade=row.grade,
        grade_reason=row.grade_reason,
        criteria_id=row.grade_criteria,
        is_baseline=bool(row.is_baseline),
        source=_source(row.entered_by, row.source_file, row.source_ref),
        range_source=range_source,
    )


def treatment_span(line: TreatmentLine) -> TreatmentSpan:
    """A stored line (its dose steps and holds loaded) as the domain's span."""
    return TreatmentSpan(
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
        dose_steps=tuple(
            DoseStepPoint(s.start_date, s.dose, s.dose_unit, s.frequency, s.note)
            for s in sorted(line.dose_steps, key=lambda s: (s.start_date, s.id))
        ),
        holds=tuple(
            HoldSpan(h.start_date, h.end_date, h.reason)
            for h in sorted(line.holds, key=lambda h: (h.start_date, h.id))
        ),
    )


def load_timelines(session: Session, patient_ids: Iterable[int]) -> dict[int, PatientTimeline]:
    """Timelines for several patients in a few queries (worklists, handoff lists)."""
    return _load(session, patient_ids, ())[0]


def load_timeline_with_rows(
    session: Session, patient_id: int, extra: Sequence[ColumnElement[Any]]
) -> tuple[PatientTimeline, list[tuple[datetime, Any]]]:
    """One patient's timeline and, from the same query, every stored result (entered in error
    included) as (aware UTC time, row); a row holds the columns in LAB_COLUMNS order, then
    status, then `extra`. PatientNotFoundError when the patient does not exist."""
    found, rows = _load(session, [patient_id], extra)
    if patient_id not in found:
        raise PatientNotFoundError("This patient no longer exists; someone may have removed it.")
    return found[patient_id], rows


def _load(
    session: Session, patient_ids: Iterable[int], extra: Sequence[ColumnElement[Any]]
) -> tuple[dict[int, PatientTimeline], list[tuple[datetime, Any]]]:
    ids = list(dict.fromkeys(patient_ids))
    if not ids:
        return {}, []
    patients = {p.id: p for p in session.scalars(select(Patient).where(Patient.id.in_(ids)))}
    sites = _site_ranges(session)
    labs: dict[int, list[LabPoint]] = defaultdict(list)
    held: dict[int, list[LabPoint]] = defaultdict(list)
    c = _LAB.c
    # the time as stored, turned into aware UTC here: no per-row type machinery
    raw_time = type_coerce(c.collected_at, String if _is_sqlite(session) else DateTime)
    columns = [raw_time if name == "collected_at" else c[name] for name in StoredLabPoint._fields]
    query = select(*columns, *extra).where(c.patient_id.in_(ids))
    if not extra:
        query = query.where(c.status != _WITHDRAWN)
    rows = session.execute(query.order_by(c.patient_id, c.collected_at, c.id)).all()
    sexes = {pid: (p.sex or "") for pid, p in patients.items()}
    every: list[tuple[datetime, Any]] = []
    width = len(StoredLabPoint._fields)
    for fetched in rows:
        row = StoredLabPoint._make(fetched[:width] if extra else fetched)
        at = aware_utc(row.collected_at)
        if extra:
            every.append((at, fetched))
        if row.status == _HELD:
            held[row.patient_id].append(_lab_point(row, at, sexes.get(row.patient_id, ""), sites))
        elif row.status != _WITHDRAWN:
            labs[row.patient_id].append(_lab_point(row, at, sexes.get(row.patient_id, ""), sites))
    lines: dict[int, list[TreatmentSpan]] = defaultdict(list)
    for line in session.scalars(
        select(TreatmentLine)
        .where(TreatmentLine.patient_id.in_(ids))
        .options(selectinload(TreatmentLine.dose_steps), selectinload(TreatmentLine.holds))
        .order_by(TreatmentLine.patient_id, TreatmentLine.start_date, TreatmentLine.id)
    ):
        lines[line.patient_id].append(treatment_span(line))
    episodes: dict[int, list[EpisodeSpan]] = defaultdict(list)
    for ep in session.scalars(
        select(IrAEEpisode)
        .where(IrAEEpisode.patient_id.in_(ids))
        .order_by(IrAEEpisode.onset, IrAEEpisode.id)
    ):
        episodes[ep.patient_id].append(
            EpisodeSpan(ep.id, ep.organ, ep.onset, ep.resolution, ep.grade, ep.status)
        )
    screenings = screenings_by_patient(session, ids)
    zone = team_zone(session)
    out: dict[int, PatientTimeline] = {}
    for pid in ids:
        patient = patients.get(pid)
        if patient is None:
            continue
        treatments = lines.get(pid, [])
        out[pid] = PatientTimeline(
            patient_id=pid,
            mrn=patient.mrn,
            name=patient.name,
            weight_kg=patient.weight_kg,
            sex=patient.sex,
            birth_date=patient.birth_date,
            labs=labs.get(pid, []),
            treatments=treatments,
            first_ici_start=first_ici_start(treatments),
            episodes=episodes.get(pid, []),
            status=patient.status,
            diagnosis=patient.diagnosis,
            zone=zone,
            held_for_review=held.get(pid, []),
            screenings=list(screenings.get(pid, [])),
        )
    return out, every


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def load_timeline(session: Session, patient_id: int) -> PatientTimeline:
    """One patient's timeline; PatientNotFoundError when the patient does not exist."""
    found = load_timelines(session, [patient_id]).get(patient_id)
    if found is None:
        raise PatientNotFoundError("This patient no longer exists; someone may have removed it.")
    return found
