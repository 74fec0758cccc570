"""Turns treatment lines into swim lanes and a prednisone-equivalent steroid dose curve (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

import numpy as np
import numpy.typing as npt

from irae_desktop.domain import clinical_day
from irae_desktop.domain.chart_marks import LANE_COLOURS, lane_colour_key
from irae_desktop.domain.steroids import PREDNISONE_EQUIVALENT, steroid_generic
from irae_desktop.domain.steroids import doses_per_day as domain_doses_per_day
from irae_desktop.store.patient_read import TreatmentRecord

FloatArray = npt.NDArray[np.float64]


def prednisone_factor(agent: str) -> float | None:
    """mg of prednisone equal to 1 mg of `agent`, or None when it is not a systemic steroid."""
    generic = steroid_generic(agent)
    return None if generic is None else PREDNISONE_EQUIVALENT[generic]


def doses_per_day(frequency: str | None) -> float:
    """How many doses a frequency text means per day; one when the text does not say."""
    return domain_doses_per_day(frequency) or 1.0


def day_start(day: date, zone: tzinfo) -> float:
    """Epoch seconds at which clinical day `day` begins in the team's zone: a line started on
    the 3rd is drawn from the 3rd's midnight there (clinical reference, decision 10)."""
    return clinical_day.day_start(day, zone).timestamp()


@dataclass(frozen=True, slots=True)
class Lane:
    line_id: int
    category: str
    colour: str  # domain.chart_marks.LANE_COLOURS: as the printed chart draws the line
    label: str
    start: float
    end: float
    open_ended: bool
    ticks: FloatArray  # ICI infusion dates
    holds: tuple[tuple[float, float], ...]


@dataclass(frozen=True, slots=True)
class SteroidCurve:
    edges: FloatArray  # len(values) + 1 day boundaries, epoch seconds
    values: FloatArray  # prednisone-equivalent per day, mg/kg or mg when the weight is unknown
    per_kg: bool


def _end_day(line: TreatmentRecord, today: date) -> tuple[date, bool]:
    if line.stop is not None:
        return line.stop, False
    return max(today, line.start) + timedelta(days=1), True


def build_lanes(
    treatments: tuple[TreatmentRecord, ...],
    today: date,
    labels: dict[int, str] | None = None,
    *,
    zone: tzinfo,
) -> list[Lane]:
    labels = labels or {}
    order = {"ici": 0, "immunosuppression": 1, "insulin": 2}
    lanes: list[Lane] = []
    for line in sorted(treatments, key=lambda t: (order.get(t.category, 3), t.start, t.id)):
        end, open_ended = _end_day(line, today)
        hold_spans = tuple(
            (day_start(h.start, zone), day_start(h.end, zone) if h.end else day_start(end, zone))
            for h in line.holds
        )
        ticks = np.array([day_start(s.start, zone) for s in line.dose_steps], dtype=np.float64)
        if line.category == "ici" and ticks.size == 0:
            ticks = np.array([day_start(line.start, zone)], dtype=np.float64)
        # the dose in effect today (after taper steps), as the Treatments tab and the PDF say
        dose = line.dose_on(today).text() if line.category != "ici" else ""
        text = f"{line.agent} {dose}".strip()
        if line.id in labels:
            text = f"{text} \u2014 {labels[line.id]}"
        lanes.append(
            Lane(
                line_id=line.id,
                category=line.category,
                colour=LANE_COLOURS[lane_colour_key(line.category, line.agent)],
                label=text,
                start=day_start(line.start, zone),
                end=day_start(end, zone),
                open_ended=open_ended,
                ticks=ticks if line.category == "ici" else np.empty(0, dtype=np.float64),
                holds=hold_spans,
            )
        )
    return lanes


def _schedule(line: TreatmentRecord) -> list[tuple[date, float]]:
    steps = sorted((s.start, s.dose) for s in line.dose_steps)
    if not steps or steps[0][0] > line.start:
        steps.insert(0, (line.start, line.dose or 0.0))
    return steps


def steroid_curve(
    treatments: tuple[TreatmentRecord, ...], today: date, weight_kg: float | None, *, zone: tzinfo
) -> SteroidCurve | None:
    """The daily prednisone-equivalent dose of all systemic steroid lines together."""
    lines = [
        t
        for t in treatments
        if prednisone_factor(t.agent) is not None and t.category == "immunosuppression"
    ]
    if not lines:
        return None
    first = min(t.start for t in lines)
    last = max(_end_day(t, today)[0] for t in lines)
    days = (last - first).days
    totals = np.zeros(max(days, 1), dtype=np.float64)
    for line in lines:
        factor = prednisone_factor(line.agent) or 0.0
        per_day = doses_per_day(line.frequency)
        end, _ = _end_day(line, today)
        schedule = _schedule(line)
        for n, (start, dose) in enumerate(schedule):
            stop = schedule[n + 1][0] if n + 1 < len(schedule) else end
            a, b = (start - first).days, (min(stop, end) - first).days
            if b > a:
                totals[a:b] += dose * per_day * factor
        for hold in line.holds:
            a = (hold.start - first).days
            b = ((hold.end or end) - first).days
            # a held steroid contributes nothing while held
            if b > a:
                totals[a:b] -= _held_amount(schedule, hold.start, factor * per_day, first, a, b)
    per_kg = bool(weight_kg)
    values = totals / weight_kg if weight_kg else totals
    edges = np.array([day_start(first + timedelta(days=i), zone) for i in range(len(totals) + 1)])
    return SteroidCurve(edges=edges, values=np.clip(values, 0.0, None), per_kg=per_kg)


def _held_amount(
    schedule: list[tuple[date, float]], _start: date, factor: float, first: date, a: int, b: int
) -> FloatArray:
    out = np.zeros(b - a, dtype=np.float64)
    for i in range(b - a):
        day = first + timedelta(days=a + i)
        current = [dose for start, dose in schedule if start <= day]
        out[i] = (current[-1] if current else 0.0) * factor
    return out
