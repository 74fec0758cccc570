"""How hepatitis responded to each immunosuppression line: peak, time to grade 1, time to halve."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from itertools import groupby
from operator import attrgetter
from typing import cast

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
    # both were already grade <= 1 at the start: days to grade <= 1 does not apply
    already_grade_1_at_start: bool = False


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
            and clinical_day(lab.collected_at, zone) > start  # a fall by day 0 is not the line's
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
        days_to_half_peak=_days(start, halved.collected_at, zone) if halved else None,
    )


def _days_to_grade_1(
    timeline: PatientTimeline, start: date, analytes: tuple[str, ...] = AMINOTRANSFERASES
) -> tuple[int | None, bool]:
    """Days to every measured analyte of `analytes` at grade <= 1, and whether all already were
    at the start (then None).

    Results drawn at the same instant (an ALT and an AST of one sample) are read together: the
    order they were stored in must not decide whether the line began at grade <= 1."""
    latest: dict[str, int] = {}
    at_start: bool | None = None
    graded = (lab for lab in timeline.labs_for(*analytes) if lab.grade is not None)
    for collected_at, drawn_together in groupby(graded, key=attrgetter("collected_at")):
        day = timeline.day_of(collected_at)
        if at_start is None and day > start:
            at_start = bool(latest) and all(g <= 1 for g in latest.values())
            if at_start:
                return None, True
        for lab in drawn_together:
            latest[lab.analyte] = cast(int, lab.grade)
        if day >= start and all(g <= 1 for g in latest.values()):
            if at_start is None:  # the day-0 draws already were: nothing for the line to do
                return None, True
            return _days(start, collected_at, timeline.zone), False
    if at_start is None and latest and all(g <= 1 for g in latest.values()):
        return None, True  # no draw since the start, and the last ones were grade <= 1
    return None, False


def line_response(
    timeline: PatientTimeline,
    line: TreatmentSpan,
    until: date | None = None,
    analytes: tuple[str, ...] = AMINOTRANSFERASES,
) -> LineResponse:
    """Peak ALT/AST from 3 days before the line's start, days until both are back to grade <= 1
    (counted only after the line started) and until each is half its peak. `analytes` names
    other results to follow the same way (the glucose of ICI diabetes)."""
    per_analyte = []
    for code in analytes:
        found = _analyte_response(timeline.labs_for(code), line.start, timeline.zone)
        if found is not None:
            per_analyte.append(found)
    exposure = None
    if is_systemic_steroid(line):
        last = until or (
            timeline.day_of(timeline.labs[-1].collected_at) if timeline.labs else line.start
        )
        exposure = steroid_exposure([line], max(last, line.start), timeline.weight_kg)
    days, already = _days_to_grade_1(timeline, line.start, analytes)
    return LineResponse(
        line_id=line.id,
        agent=line.agent,
        start=line.start,
        days_to_grade_1_or_less=days,
        analytes=tuple(per_analyte),
        steroid_exposure=exposure,
        already_grade_1_at_start=already,
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


def concurrent_agents(responses: list[LineResponse]) -> dict[int, tuple[str, ...]]:
    """Per line, the later lines that started before its response (grade <= 1, half the
    peak) was reached: the response is theirs as much as its own. None reached: nothing is
    credited, so nothing is shared."""
    out: dict[int, tuple[str, ...]] = {}
    for r in responses:
        reached = [d for d in (r.days_to_grade_1_or_less, *_halved(r)) if d is not None]
        if not reached:
            out[r.line_id] = ()
            continue
        until = r.start + timedelta(days=max(reached))
        out[r.line_id] = tuple(
            o.agent
            for o in responses
            if o.line_id != r.line_id
            and (o.start, o.line_id) > (r.start, r.line_id)
            and o.start <= until
        )
    return out


def _halved(r: LineResponse) -> list[int | None]:
    return [a.days_to_half_peak for a in r.analytes]


def total_steroid_exposure(timeline: PatientTimeline, until: date) -> SteroidExposure:
    """Cumulative prednisone-equivalent mg over all systemic steroid lines up to `until`."""
    return steroid_exposure(timeline.treatments, until, timeline.weight_kg)
