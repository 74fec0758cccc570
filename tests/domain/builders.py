"""Builds patient timelines for the tests: results are graded by the real grader."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, tzinfo

from irae_desktop.domain.analytes import ANALYTES
from irae_desktop.domain.series import LabToGrade, grade_series
from irae_desktop.domain.timeline import (
    DoseStepPoint,
    EpisodeSpan,
    HoldSpan,
    LabPoint,
    PatientTimeline,
    TreatmentSpan,
    first_ici_start,
)

DAY0 = date(2026, 3, 2)
ULN = {
    "ALT": 40.0,
    "AST": 40.0,
    "TBILI": 1.2,
    "ALP": 120.0,
    "GGT": 60.0,
    "GLUCOSE": 140.0,
    "GLUCOSE_FASTING": 99.0,
    "GLUCOSE_POC": 140.0,
    "CPEPTIDE": 4.4,
    "BHB": 0.4,
    "HBA1C": 5.6,
    "ALC": 4.0,
    "ANC": 7.7,
    "PLT": 400.0,
    "HGB": 16.0,
    "CREAT": 1.2,
    "CHOL": 200.0,
    "LDL": 130.0,
}
LLN = {
    "GLUCOSE": 70.0,
    "GLUCOSE_FASTING": 70.0,
    "GLUCOSE_POC": 70.0,
    "CPEPTIDE": 1.1,
    "ALC": 1.0,
    "ANC": 1.8,
    "PLT": 150.0,
    "HGB": 12.0,
    "CREAT": 0.6,
}


def at(day: int, hour: int = 8) -> datetime:
    """Day `day` after DAY0 at `hour` UTC."""
    return datetime.combine(DAY0 + timedelta(days=day), datetime.min.time(), UTC) + timedelta(
        hours=hour
    )


def d(day: int) -> date:
    return DAY0 + timedelta(days=day)


def line(
    id: int,
    category: str,
    agent: str,
    start: int,
    stop: int | None = None,
    *,
    dose: float | None = None,
    dose_unit: str | None = None,
    frequency: str | None = "daily",
    steps: tuple[tuple[int, float, str], ...] = (),
    holds: tuple[tuple[int, int | None], ...] = (),
) -> TreatmentSpan:
    return TreatmentSpan(
        id=id,
        category=category,
        agent=agent,
        dose=dose,
        dose_unit=dose_unit,
        frequency=frequency,
        route=None,
        start=d(start),
        stop=d(stop) if stop is not None else None,
        dose_steps=tuple(DoseStepPoint(d(s), v, u) for s, v, u in steps),
        holds=tuple(HoldSpan(d(a), d(b) if b is not None else None) for a, b in holds),
    )


def timeline(
    labs: list[tuple[str, int, float] | tuple[str, int, float, str]],
    treatments: list[TreatmentSpan] = (),  # type: ignore[assignment]
    *,
    weight_kg: float | None = 70.0,
    episodes: list[EpisodeSpan] = (),  # type: ignore[assignment]
    criteria_id: str = "ctcae-5.0",
    hour: int = 8,
    zone: tzinfo = UTC,
) -> PatientTimeline:
    """labs: (analyte, day, value[, comparator]) in canonical units with typical ranges."""
    raw = []
    for n, spec in enumerate(labs, start=1):
        analyte, day, value = spec[0], spec[1], spec[2]
        comparator = spec[3] if len(spec) > 3 else ""
        raw.append(
            LabToGrade(
                id=n,
                analyte=analyte,
                collected_at=at(day, hour),
                value=value,
                comparator=comparator,
                unit=ANALYTES[analyte].canonical_unit,
                uln=ULN.get(analyte),
                lln=LLN.get(analyte),
            )
        )
    treatments = list(treatments)
    grades = grade_series(raw, first_ici_start(treatments), zone=zone, criteria_id=criteria_id)
    points = sorted(
        (
            LabPoint(
                id=r.id,
                analyte=r.analyte,
                collected_at=r.collected_at,
                value=r.value,
                comparator=r.comparator,
                unit=r.unit,
                uln=r.uln,
                lln=r.lln,
                grade=grades[r.id].grade,
                grade_reason=grades[r.id].reason,
                criteria_id=grades[r.id].criteria_id,
                is_baseline=grades[r.id].is_baseline,
                source="test",
            )
            for r in raw
        ),
        key=lambda p: (p.collected_at, p.id),
    )
    return PatientTimeline(
        patient_id=1,
        mrn="T-1",
        name="Test Patient",
        weight_kg=weight_kg,
        sex="F",
        birth_date=date(1960, 1, 1),
        labs=points,
        treatments=treatments,
        first_ici_start=first_ici_start(treatments),
        episodes=list(episodes),
        zone=zone,
    )


def with_labs(tl: PatientTimeline, labs: list[LabPoint]) -> PatientTimeline:
    return replace(tl, labs=sorted(labs, key=lambda p: (p.collected_at, p.id)))
