"""Grades all results of one patient together, so each one is judged against its baseline."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from datetime import date, datetime, tzinfo
from typing import NamedTuple

from irae_desktop.domain.baseline import Baseline, BaselineOverride, select_baseline
from irae_desktop.domain.clinical_day import on_or_before
from irae_desktop.domain.criteria import DEFAULT_CRITERIA
from irae_desktop.domain.grading import PLANS
from irae_desktop.domain.units import convert

REASON_MAX = 300


class LabToGrade(NamedTuple):
    """A stored result: value, ULN and LLN in `unit` (canonical, or as reported for glucose)."""

    id: int
    analyte: str
    collected_at: datetime
    value: float
    comparator: str
    unit: str
    uln: float | None
    lln: float | None


class SeriesGrade(NamedTuple):
    """A result's grade, the criteria set, the reason in words and whether it is the baseline."""

    grade: int | None
    criteria_id: str
    reason: str
    is_baseline: bool


def _in_unit(base: Baseline, analyte: str, base_unit: str, unit: str) -> tuple[float, float | None]:
    if base_unit == unit:
        return base.value, base.uln
    value = convert(analyte, base.value, base_unit, unit)
    uln = convert(analyte, base.uln, base_unit, unit) if base.uln is not None else None
    return value, uln


def grade_series(
    labs: Iterable[LabToGrade],
    first_ici_start: date | None,
    *,
    zone: tzinfo,
    overrides: Mapping[str, BaselineOverride] | None = None,
    criteria_id: str = DEFAULT_CRITERIA,
    baseline_units: Mapping[str, str] | None = None,
) -> dict[int, SeriesGrade]:
    """Result id -> grade. Results on or before the first ICI start are graded against ULN only;
    later ones against their analyte's baseline. "On or before" is judged on the clinical day
    in `zone` (clinical reference, decision 10). `baseline_units` gives the unit of each
    override (default: the unit of the result being graded). Plans come from the one plan
    cache (grading.PLANS), shared by every series and patient.

    An unknown analyte or unit gives grade None and the error as the reason; it never raises.
    """
    items = labs if isinstance(labs, list) else list(labs)
    baselines = select_baseline(items, first_ici_start, zone=zone, overrides=overrides)
    unit_of = {b.result_id: "" for b in baselines.values() if b.result_id is not None}
    for lab in items:
        if lab.id in unit_of:
            unit_of[lab.id] = lab.unit
    out: dict[int, SeriesGrade] = {}
    # per (analyte, unit): the baseline in that unit, or the error converting it
    in_unit: dict[tuple[str, str], tuple[float | None, float | None] | ValueError] = {}
    by_start = on_or_before(first_ici_start, zone) if first_ici_start is not None else None
    for lab in items:
        analyte, unit = lab.analyte, lab.unit
        base = baselines.get(analyte)
        is_baseline = base is not None and base.origin == "result" and base.result_id == lab.id
        base_value: float | None = None
        base_uln: float | None = None
        if (
            base is not None
            and not is_baseline
            and (by_start is None or not by_start(lab.collected_at))
        ):
            converted = in_unit.get((analyte, unit))
            if converted is None:
                converted = _baseline_in(base, lab, unit_of, baseline_units)
                in_unit[(analyte, unit)] = converted
            if isinstance(converted, ValueError):
                out[lab.id] = SeriesGrade(None, criteria_id, str(converted)[:REASON_MAX], False)
                continue
            base_value, base_uln = converted
        # in PlanRequest's order (see grading.grade_value: a tuple is cheaper to build)
        request = (
            analyte,
            lab.comparator,
            unit,
            lab.uln,
            lab.lln,
            base_value,
            base_uln,
            None,
            is_baseline,
            criteria_id,
        )
        out[lab.id] = _graded(request, lab.value, is_baseline, criteria_id)
    return out


def grade_without_baseline(
    analyte: str,
    comparator: str,
    unit: str,
    uln: float | None,
    lln: float | None,
    value: float,
    *,
    criteria_id: str,
) -> SeriesGrade:
    """What grade_series gives a result when no baseline is in play (no ICI start and no
    override for its analyte), without the series."""
    # in PlanRequest's order, no baseline
    request = (analyte, comparator, unit, uln, lln, None, None, None, False, criteria_id)
    return _graded(request, value, False, criteria_id)


def _graded(
    request: tuple[Hashable, ...], value: float, is_baseline: bool, criteria_id: str
) -> SeriesGrade:
    """Grades `value` with the plan for `request` (a PlanRequest's fields, in its order); a
    refused request or value gives no grade and the reason."""
    try:
        result = PLANS.plan(request).grade(value)
    except ValueError as exc:
        return SeriesGrade(None, criteria_id, str(exc)[:REASON_MAX], is_baseline)
    return SeriesGrade(result.grade, result.criteria_id, result.reason[:REASON_MAX], is_baseline)


def _baseline_in(
    base: Baseline,
    lab: LabToGrade,
    unit_of: Mapping[int, str],
    baseline_units: Mapping[str, str] | None,
) -> tuple[float, float | None] | ValueError:
    if base.result_id is not None:
        base_unit = unit_of[base.result_id]
    else:
        base_unit = (baseline_units or {}).get(lab.analyte, lab.unit)
    try:
        return _in_unit(base, lab.analyte, base_unit, lab.unit)
    except ValueError as exc:
        return exc
