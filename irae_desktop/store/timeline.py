"""Loads a patient's stored labs, treatments and episodes as a domain PatientTimeline."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
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
from irae_desktop.store.errors import StoreError
from irae_desktop.store.models import (
    IrAEEpisode,
    LabResult,
    Patient,
    SiteReferenceRange,
    TreatmentLine,
)


class PatientNotFoundError(StoreError):
    """No patient with that id."""


def _source(lab: LabResult) -> str | None:
    if lab.entered_by and not lab.source_file:
        return f"entered by {lab.entered_by}"
    if lab.source_file:
        return f"{lab.source_file} ({lab.source_ref})" if lab.source_ref else lab.source_file
    return lab.source_ref


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


def _lab_point(lab: LabResult, sex: str, sites: Ranges) -> LabPoint:
    lln, uln, range_source = lab.lln, lab.uln, "reported"
    if lln is None or uln is None:
        site = sites.get((lab.analyte, sex)) or sites.get((lab.analyte, ""))
        if site is not None and (
            (lln is None and site[0] is not None) or (uln is None and site[1] is not None)
        ):
            lln = site[0] if lln is None else lln
            uln = site[1] if uln is None else uln
            range_source = "site"
        elif lln is None and uln is None:
            range_source = "none"
    return LabPoint(
        id=lab.id,
        analyte=lab.analyte,
        collected_at=lab.collected_at,
        value=lab.value,
        comparator=lab.comparator or "",
        unit=lab.unit,
        uln=uln,
        lln=lln,
        grade=lab.grade,
        grade_reason=lab.grade_reason,
        criteria_id=lab.grade_criteria,
        is_baseline=bool(lab.is_baseline),
        source=_source(lab),
        range_source=range_source,
    )


def _span(line: TreatmentLine) -> TreatmentSpan:
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
    ids = list(dict.fromkeys(patient_ids))
    if not ids:
        return {}
    patients = {p.id: p for p in session.scalars(select(Patient).where(Patient.id.in_(ids)))}
    sites = _site_ranges(session)
    labs: dict[int, list[LabPoint]] = defaultdict(list)
    for lab in session.scalars(
        select(LabResult)
        .where(
            LabResult.patient_id.in_(ids),
            LabResult.status != ResultStatus.ENTERED_IN_ERROR.value,
        )
        .order_by(LabResult.patient_id, LabResult.collected_at, LabResult.id)
    ):
        owner = patients.get(lab.patient_id)
        sex = (owner.sex or "") if owner is not None else ""
        labs[lab.patient_id].append(_lab_point(lab, sex, sites))
    lines: dict[int, list[TreatmentSpan]] = defaultdict(list)
    for line in session.scalars(
        select(TreatmentLine)
        .where(TreatmentLine.patient_id.in_(ids))
        .options(selectinload(TreatmentLine.dose_steps), selectinload(TreatmentLine.holds))
        .order_by(TreatmentLine.patient_id, TreatmentLine.start_date, TreatmentLine.id)
    ):
        lines[line.patient_id].append(_span(line))
    episodes: dict[int, list[EpisodeSpan]] = defaultdict(list)
    for ep in session.scalars(
        select(IrAEEpisode)
        .where(IrAEEpisode.patient_id.in_(ids))
        .order_by(IrAEEpisode.onset, IrAEEpisode.id)
    ):
        episodes[ep.patient_id].append(
            EpisodeSpan(ep.id, ep.organ, ep.onset, ep.resolution, ep.grade, ep.status)
        )
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
        )
    return out


def load_timeline(session: Session, patient_id: int) -> PatientTimeline:
    """One patient's timeline; PatientNotFoundError when the patient does not exist."""
    found = load_timelines(session, [patient_id]).get(patient_id)
    if found is None:
        raise PatientNotFoundError("This patient no longer exists; someone may have removed it.")
    return found
