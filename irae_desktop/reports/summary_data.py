"""Gathers everything a patient summary prints into plain records, in one read of the database."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from irae_desktop.domain.safety_panel import LineSafety, treatment_safety
from irae_desktop.domain.timeline import LabPoint
from irae_desktop.reports import clinical
from irae_desktop.reports.formatting import (
    EPISODE_ORGAN,
    analyte_sort_key,
    display_timezone,
    local_time,
    trend_arrow,
)
from irae_desktop.reports.treatment_view import PrintedLine, current_ici, treatment_info
from irae_desktop.store.database import StoreSession
from irae_desktop.store.patient_read import (
    EpisodeRecord,
    find_patient_id,
    latest_plan,
    read_patient,
)
from irae_desktop.store.screenings import ScreeningRecord, newest_first

__all__ = [
    "EpisodeInfo",
    "LabPoint",
    "LatestValue",
    "PatientSummaryData",
    "PlanInfo",
    "latest_values",
    "load_patient_summary",
    "recent_labs",
]


@dataclass(frozen=True, slots=True)
class LatestValue:
    point: LabPoint
    trend: str
    worst_grade: int | None


@dataclass(frozen=True, slots=True)
class EpisodeInfo:
    organ: str
    onset: date
    resolution: date | None
    worst_grade: int | None
    current_grade: int | None
    current_analyte: str | None
    status: str
    notes: str | None


@dataclass(frozen=True, slots=True)
class PlanInfo:
    written_at: datetime
    author: str
    plan: str


@dataclass
class PatientSummaryData:
    patient_id: int
    mrn: str
    name: str
    birth_date: date | None
    sex: str | None
    weight_kg: float | None
    diagnosis: str | None
    status: str
    is_synthetic: bool
    now: datetime
    today: date
    criteria: str | None
    labs: list[LabPoint]
    latest: list[LatestValue]
    treatments: list[PrintedLine]
    episodes: list[EpisodeInfo]
    alerts: list[clinical.AlertLine]
    ici_agent: str | None
    ici_status: str | None
    plan: PlanInfo | None
    organs: dict[str, clinical.OrganStatus] = field(default_factory=dict)
    timezone: str | None = None
    units: str = "US"
    steroid_exposure: str = ""
    # analyte -> a clinician's baseline (value, ULN) in the canonical unit
    baseline_overrides: dict[str, tuple[float, float | None]] = field(default_factory=dict)
    # the standing infection screening results, newest first
    screenings: list[ScreeningRecord] = field(default_factory=list)
    # the treatment safety summary per line (domain.safety_panel)
    safety: list[LineSafety] = field(default_factory=list)

    @property
    def current_treatments(self) -> list[PrintedLine]:
        return [t for t in self.treatments if t.is_current and t.line.category != "ici"]


def latest_values(points: Sequence[LabPoint], only: Sequence[str] = ()) -> list[LatestValue]:
    """The last result of each analyte (time order), its trend and the worst grade on record."""
    by_analyte: dict[str, list[LabPoint]] = defaultdict(list)
    for p in points:
        if not only or p.analyte in only:
            by_analyte[p.analyte].append(p)
    out: list[LatestValue] = []
    for analyte in sorted(by_analyte, key=analyte_sort_key):
        series = by_analyte[analyte]
        last = series[-1]
        previous = series[-2].value if len(series) > 1 else None
        grades = [p.grade for p in series if p.grade is not None]
        out.append(LatestValue(last, trend_arrow(previous, last.value), max(grades, default=None)))
    return out


def episode_info(episode: EpisodeRecord, organs: dict[str, clinical.OrganStatus]) -> EpisodeInfo:
    organ = EPISODE_ORGAN.get(episode.organ.strip().lower())
    current = organs.get(organ) if organ else None
    return EpisodeInfo(
        organ=episode.organ,
        onset=episode.onset,
        resolution=episode.resolution,
        worst_grade=episode.grade,
        current_grade=current.grade if current else None,
        current_analyte=current.analyte if current else None,
        status=episode.status,
        notes=episode.notes,
    )


def load_patient_summary(
    session: StoreSession, mrn_or_id: str | int, *, now: datetime
) -> PatientSummaryData:
    """Reads one patient's record as it stands at `now` (aware), ready to print."""
    record = read_patient(session, find_patient_id(session, mrn_or_id))
    patient, team, timeline = record.patient, record.team, record.timeline
    with display_timezone(team.clinical_timezone):
        today = local_time(now).date()
    # a result stamped after `now` (a clock ahead on the lab system) is not shown as current
    labs = [p for p in timeline.labs if p.collected_at <= now]
    organs = clinical.organ_status(timeline, now)
    responses = clinical.responses(timeline, today)
    treatments = [
        treatment_info(line, today, patient.weight_kg, responses.get(line.id, ""))
        for line in record.treatments
    ]
    alerts = clinical.active_alerts(timeline, now, record.alert_settings, record.acknowledgements)
    note = latest_plan(record.notes)
    ici = current_ici(treatments, today)
    graded = [p.criteria_id for p in labs if p.criteria_id]
    return PatientSummaryData(
        patient_id=patient.id,
        mrn=patient.mrn,
        name=patient.name,
        birth_date=patient.birth_date,
        sex=patient.sex,
        weight_kg=patient.weight_kg,
        diagnosis=patient.diagnosis,
        status=patient.status,
        is_synthetic=patient.is_synthetic,
        now=now,
        today=today,
        criteria=graded[-1] if graded else team.criteria_set,
        labs=labs,
        latest=latest_values(labs),
        treatments=treatments,
        episodes=[episode_info(e, organs) for e in record.episodes],
        alerts=alerts,
        ici_agent=ici.line.agent if ici else None,
        ici_status=ici.status if ici else None,
        plan=PlanInfo(note.written_at, note.author, note.plan or "") if note else None,
        organs=organs,
        timezone=team.clinical_timezone,
        units=team.units_system,
        steroid_exposure=clinical.steroid_summary(timeline, today),
        baseline_overrides=record.baseline_overrides,
        screenings=newest_first(record.screenings),
        safety=treatment_safety(timeline, now),
    )


def recent_labs(data: PatientSummaryData, days: int) -> list[LabPoint]:
    """Results collected within the last `days` days before `now` (all of them when days <= 0)."""
    if days <= 0:
        return list(data.labs)
    since = data.now - timedelta(days=days)
    return [p for p in data.labs if p.collected_at >= since]
