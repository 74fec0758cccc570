"""Corticosteroid doses as prednisone-equivalent mg/day and mg/kg/day, and cumulative exposure."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from irae_desktop.domain.agents import brand_forms
from irae_desktop.domain.timeline import TreatmentSpan

# mg of prednisone equal to 1 mg of the agent (docs/clinical-reference.md section 7)
PREDNISONE_EQUIVALENT: dict[str, float] = {
    "prednisone": 1.0,
    "prednisolone": 1.0,
    "methylprednisolone": 1.25,
    "dexamethasone": 6.67,
    "hydrocortisone": 0.25,
}
# brand names seen in orders, to the generic (the one agent table: domain.agents)
_BRANDS = brand_forms(set(PREDNISONE_EQUIVALENT))
# budesonide acts locally: no systemic equivalent, never counted
LOCAL_ONLY = ("budesonide",)

_PER_DAY = {
    "daily": 1.0,
    "qd": 1.0,
    "od": 1.0,
    "once daily": 1.0,
    "q24h": 1.0,
    "bid": 2.0,
    "twice daily": 2.0,
    "q12h": 2.0,
    "tid": 3.0,
    "three times daily": 3.0,
    "q8h": 3.0,
    "qid": 4.0,
    "four times daily": 4.0,
    "q6h": 4.0,
}


def steroid_generic(agent: str) -> str | None:
    """The generic systemic corticosteroid named by `agent`, or None (budesonide included)."""
    text = agent.lower()
    if any(name in text for name in LOCAL_ONLY):
        return None
    # longest names first: "methylprednisolone" contains "prednisolone"
    for name in sorted(PREDNISONE_EQUIVALENT, key=len, reverse=True):
        if name in text:
            return name
    for brand, generic in _BRANDS.items():
        if brand in text:
            return generic
    return None


def is_systemic_steroid(span: TreatmentSpan) -> bool:
    return steroid_generic(span.agent) is not None


def doses_per_day(frequency: str | None) -> float | None:
    """Administrations per day for a frequency text; None when it cannot be read."""
    if frequency is None or not frequency.strip():
        return 1.0
    text = re.sub(r"\s+", " ", frequency.strip().lower())
    return _PER_DAY.get(text)


@dataclass(frozen=True, slots=True)
class DailyDose:
    """Prednisone-equivalent dose of one line on one day; mg_per_kg None without a weight."""

    mg: float
    mg_per_kg: float | None


def _dose_on(span: TreatmentSpan, day: date) -> tuple[float, str, str | None] | None:
    step = None
    for candidate in span.dose_steps:
        if candidate.start <= day:
            step = candidate
    if step is not None:
        return step.dose, step.dose_unit, step.frequency or span.frequency
    if span.dose is None or span.dose_unit is None:
        return None
    return span.dose, span.dose_unit, span.frequency


def prednisone_equivalent(
    span: TreatmentSpan, day: date, weight_kg: float | None
) -> DailyDose | None:
    """The line's prednisone-equivalent dose on `day` (0 when not given that day).

    None when the line is not a systemic steroid, or its dose, unit or frequency cannot be read,
    or a mg/kg dose needs a weight that is not recorded. Dose steps are taper steps: each
    applies from its date until the next one.
    """
    generic = steroid_generic(span.agent)
    if generic is None:
        return None
    if not span.active_on(day):
        return DailyDose(0.0, 0.0 if weight_kg else None)
    dose = _dose_on(span, day)
    if dose is None:
        return None
    amount, unit, frequency = dose
    unit_text = unit.strip().lower().replace(" ", "")
    per_kg = unit_text.startswith("mg/kg")
    if not (per_kg or unit_text.startswith("mg")):
        return None
    per_day_unit = unit_text.endswith("/day") or unit_text.endswith("/d")
    per_day = 1.0 if per_day_unit else doses_per_day(frequency)
    if per_day is None:
        return None
    factor = PREDNISONE_EQUIVALENT[generic]
    if per_kg:
        mg_per_kg = amount * per_day * factor
        if not weight_kg:
            return DailyDose(float("nan"), mg_per_kg)
        return DailyDose(mg_per_kg * weight_kg, mg_per_kg)
    mg = amount * per_day * factor
    return DailyDose(mg, mg / weight_kg if weight_kg else None)


@dataclass(frozen=True, slots=True)
class SteroidDay:
    """The systemic steroids given on one day: each running line with its prednisone-equivalent
    mg (None when its dose cannot be read, or is per kg without a weight), and their sum (None
    when any is unknown)."""

    parts: tuple[tuple[str, float | None], ...]

    @property
    def total_mg(self) -> float | None:
        doses = [mg for _, mg in self.parts]
        return None if None in doses else sum(mg for mg in doses if mg is not None)

    def words(self) -> str:
        """ "prednisone 60 mg/day prednisone-equivalent", several joined by "and"."""
        return " and ".join(
            f"{agent} {'dose unknown' if mg is None else f'{round(mg, 1):g} mg/day'}"
            for agent, mg in self.parts
        ) + (" prednisone-equivalent" if self.parts else "")


def steroid_day(spans: Iterable[TreatmentSpan], day: date, weight_kg: float | None) -> SteroidDay:
    """The systemic steroid lines running on `day` and their prednisone-equivalent doses."""
    parts: list[tuple[str, float | None]] = []
    for span in spans:
        if not is_systemic_steroid(span) or not span.active_on(day):
            continue
        dose = prednisone_equivalent(span, day, weight_kg)
        known = dose is not None and dose.mg == dose.mg  # NaN: per kg without a weight
        parts.append((span.agent, dose.mg if known and dose is not None else None))
    return SteroidDay(tuple(parts))


def total_prednisone_mg_per_kg(
    spans: Iterable[TreatmentSpan], day: date, weight_kg: float | None
) -> float | None:
    """Sum over all systemic steroid lines on `day`; None when any cannot be expressed per kg."""
    total = 0.0
    for span in spans:
        dose = prednisone_equivalent(span, day, weight_kg)
        if dose is None:
            if is_systemic_steroid(span) and span.active_on(day):
                return None
            continue
        if dose.mg_per_kg is None:
            return None
        total += dose.mg_per_kg
    return total


@dataclass(frozen=True, slots=True)
class SteroidExposure:
    """Cumulative prednisone-equivalent mg and the days above the threshold (10 mg/day)."""

    cumulative_mg: float
    days_above_threshold: int
    days_counted: int
    days_unknown: int  # days a dose could not be read (not counted)


def steroid_exposure(
    spans: Iterable[TreatmentSpan],
    until: date,
    weight_kg: float | None,
    *,
    threshold_mg_per_day: float = 10.0,
) -> SteroidExposure:
    """Exposure over every day from the first steroid start up to `until`, inclusive."""
    steroids = [s for s in spans if is_systemic_steroid(s)]
    if not steroids:
        return SteroidExposure(0.0, 0, 0, 0)
    day = min(s.start for s in steroids)
    total = 0.0
    above = counted = unknown = 0
    while day <= until:
        mg_today = 0.0
        known = True
        for span in steroids:
            dose = prednisone_equivalent(span, day, weight_kg)
            if dose is None or dose.mg != dose.mg:  # NaN: mg/kg without weight
                known = known and not span.active_on(day)
                continue
            mg_today += dose.mg
        if known:
            counted += 1
            total += mg_today
            if mg_today > threshold_mg_per_day:
                above += 1
        else:
            unknown += 1
        day += timedelta(days=1)
    return SteroidExposure(total, above, counted, unknown)
