"""How hepatitis responded to each immunosuppression line: peak, time to grade 1, time to halve."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from irae_desktop.domain.clinical_day import clinical_day
from irae_desktop.domain.steroids import SteroidExposure, is_systemic_steroid, steroid_exposure
from irae_desktop.domain.timeline import LabPoint, PatientTimeline, TreatmentSpan

AMINOTRANSFERASES = ("ALT", "AST")
# results this many days before a line starts still count towards its peak
PEAK_LOOKBACK_DAYS = 3


@dataclass(frozen=True, slots=True)
class AnalyteResponse:
    analyte: str
    peak_value: float
    peak_unit: str
    peak_at: datetime
    peak_grade: int | None
    days_to_half_peak: int | None  # from the line's start; None: not yet halved


@dataclass(frozen=True, slots=True)
class LineResponse:
    """Response of ALT/AST to one immunosuppression line (steroid, MMF, tacrolimus, ...)."""

    line_id: int
    agent: str
    start: date
    days_to_grade_1_or_less: int | None  # both ALT and AST (those measured) at grade <= 1
    analytes: tuple[AnalyteResponse, ...]
    steroid_exposure: SteroidExposure | None  # for a systemic steroid line, up to `until`


def _days(start: date, moment: datetime, zone: tzinfo) -> int:
    """Clinical days from the line's start (day 0) to `moment` (clinical reference, decision 10)."""
    return (clinical_day(moment, zone) - start).days


def _analyte_response(labs: list[LabPoint], start: date, zone: tzinfo) -> AnalyteResponse | None:
    since = start - timedelta(days=PEAK_LOOKBACK_DAYS)
    window = [lab for lab in labs if clinical_day(lab.collected_at, zone) >= since]
    if not window:
        return None
    peak = max(window, key=lambda lab: (lab.value, -lab.collected_at.timestamp()))
    halved = next(
        (
            lab
            for lab in window
            if lab.collected_at > peak.collected_at
            and lab.comparator in ("", "<", "<=")
            and (lab.value <= peak.value / 2 or math.isclose(lab.value, peak.value / 2))
        ),
        None,
    )
    return AnalyteResponse(
        analyte=peak.analyte,
        peak_value=peak.value,
        peak_unit=peak.unit,
        peak_at=peak.collected_at,
        peak_grade=peak.grade,
        days_to_half_peak=max(0, _days(start, halved.collected_at, zone)) if halved else None,
    )


def _days_to_grade_1(timeline: PatientTimeline, start: date) -> int | None:
    latest: dict[str, int] = {}
    for lab in timeline.labs_for(*AMINOTRANSFERASES):
        if lab.grade is None:
            continue
        latest[lab.analyte] = lab.grade
        if timeline.day_of(lab.collected_at) >= start and all(g <= 1 for g in latest.values()):
            return _days(start, lab.collected_at, timeline.zone)
    return None


def line_response(
    timeline: PatientTimeline, line: TreatmentSpan, until: date | None = None
) -> LineResponse:
    """Peak ALT/AST from 3 days before the line's start, days until both are back to grade <= 1
    (counted only after the line started) and until each is half its peak."""
    per_analyte = []
    for code in AMINOTRANSFERASES:
        found = _analyte_response(timeline.labs_for(code), line.start, timeline.zone)
        if found is not None:
            per_analyte.append(found)
    exposure = None
    if is_systemic_steroid(line):
        last = until or (
            timeline.day_of(timeline.labs[-1].collected_at) if timeline.labs else line.start
        )
        exposure = steroid_exposure([line], max(last, line.start), timeline.weight_kg)
    return LineResponse(
        line_id=line.id,
        agent=line.agent,
        start=line.start,
        days_to_grade_1_or_less=_days_to_grade_1(timeline, line.start),
        analytes=tuple(per_analyte),
        steroid_exposure=exposure,
    )


def immunosuppression_responses(
    timeline: PatientTimeline, until: date | None = None
) -> list[LineResponse]:
    """One response per immunosuppression line (and any systemic steroid line), by start date."""
    lines = [
        t
        for t in timeline.treatments
        if t.category == "immunosuppression" or is_systemic_steroid(t)
    ]
    return [line_response(timeline, t, until) for t in sorted(lines, key=lambda t: t.start)]


def total_steroid_exposure(timeline: PatientTimeline, until: date) -> SteroidExposure:
    """Cumulative prednisone-equivalent mg over all systemic steroid lines up to `until`."""
    return steroid_exposure(timeline.treatments, until, timeline.weight_kg)
