"""A treatment line as a report shows it: status today, current dose, mg/kg, taper steps."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from irae_desktop.domain import timeline
from irae_desktop.domain.doses import CURRENT, PAST, line_dose
from irae_desktop.domain.steroids import DailyDose, prednisone_equivalent, steroid_generic
from irae_desktop.domain.timeline import TreatmentSpan


@dataclass(frozen=True, slots=True)
class DoseStepInfo:
    start: date
    dose: float
    unit: str
    state: str  # "past", "current" or "planned"
    prednisone_mg: float | None = None  # per day, for a systemic corticosteroid


@dataclass(frozen=True, slots=True)
class PrintedLine:
    """A stored treatment line (`line`) and what a report prints about it on one day."""

    line: TreatmentSpan
    status: str  # on, held, stopped, planned
    is_current: bool
    current_dose: float | None
    current_unit: str | None
    mg_per_kg: float | None  # per dose; for a corticosteroid, prednisone-equivalent per day
    prednisone_mg: float | None  # per day, for a systemic corticosteroid
    steps: tuple[DoseStepInfo, ...]
    response: str
    is_steroid: bool = False
    dose_since: date | None = None  # the day the current dose began (a taper step, say)


def _prednisone(span: TreatmentSpan, day: date, weight_kg: float | None) -> DailyDose | None:
    dose = prednisone_equivalent(span, day, weight_kg)
    if dose is None or math.isnan(dose.mg):
        return None
    return dose


def treatment_info(
    span: TreatmentSpan, today: date, weight_kg: float | None, response: str = ""
) -> PrintedLine:
    """The line as it stands on `today`; steroids also in prednisone-equivalent mg/day."""
    status = span.status_on(today)
    is_current = status in ("on", "held")
    # the same current dose and history as the window shows
    now = line_dose(span, today)
    dose, unit = (now.dose, now.unit) if is_current else (span.dose, span.dose_unit)
    steroid = steroid_generic(span.agent) is not None
    mg_per_kg = None
    if dose is not None and weight_kg and unit and unit.strip().lower() == "mg":
        mg_per_kg = dose / weight_kg
    pred = None
    if steroid and is_current:
        # a steroid on hold still shows the dose it would be on, as a plan to resume
        daily = _prednisone(span, today, weight_kg) if status == "on" else None
        if daily is not None:
            pred, mg_per_kg = daily.mg, daily.mg_per_kg
    steps = []
    for entry in now.history:
        # the starting dose is listed as a step only for a steroid without recorded steps
        if entry.is_starting and not (steroid and len(now.history) == 1):
            continue
        step_pred = _prednisone(span, entry.start, weight_kg) if steroid else None
        steps.append(
            DoseStepInfo(
                entry.start,
                entry.dose,
                entry.unit,
                entry.state if is_current or entry.state != CURRENT else PAST,
                step_pred.mg if step_pred else None,
            )
        )
    return PrintedLine(
        line=span,
        status=status,
        is_current=is_current,
        current_dose=dose,
        current_unit=unit,
        mg_per_kg=mg_per_kg,
        prednisone_mg=pred,
        steps=tuple(steps),
        response=response,
        is_steroid=steroid,
        dose_since=now.since if is_current else None,
    )


def current_ici(treatments: list[PrintedLine], today: date) -> PrintedLine | None:
    """The printed line of the ICI the team acts on (domain.timeline.current_ici)."""
    line = timeline.current_ici((t.line for t in treatments), today)
    return next((t for t in treatments if t.line is line), None)
