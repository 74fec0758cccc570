"""The value interval of each grade, read from the same criteria and baseline rules as the
grader, so a plot can shade the grades it shows (clinical reference, decision 15)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from irae_desktop.domain.analytes import ANALYTES, lookup_analyte
from irae_desktop.domain.criteria import DEFAULT_CRITERIA, Band, load_criteria
from irae_desktop.domain.grade_parts import REL_TOL, choose_rules
from irae_desktop.domain.grade_steps import skipped
from irae_desktop.domain.units import convert, unit_for

Side = Literal["high", "low"]


@dataclass(frozen=True, slots=True)
class GradeBand:
    """Every value from `low` to `high` (None: unbounded) gets `grade`; an end is part of
    the band when it is closed. Values are in the unit the bands were asked for."""

    grade: int
    side: Side
    low: float | None
    high: float | None
    low_closed: bool
    high_closed: bool

    def contains(self, value: float) -> bool:
        if self.low is not None:
            at = math.isclose(value, self.low, rel_tol=REL_TOL, abs_tol=0.0)
            if (at and not self.low_closed) or (not at and value < self.low):
                return False
        if self.high is not None:
            at = math.isclose(value, self.high, rel_tol=REL_TOL, abs_tol=0.0)
            if (at and not self.high_closed) or (not at and value > self.high):
                return False
        return True


@dataclass(frozen=True, slots=True)
class GradeBands:
    """The bands of one analyte under one criteria set, reference range and baseline."""

    analyte: str
    unit: str
    criteria_id: str
    criteria_label: str
    bands: tuple[GradeBand, ...]  # grade 1 upwards, the high side first
    abnormal_baseline: bool  # the bands are multiples of an abnormal baseline
    baseline: float | None  # the baseline value the bands use, if any
    why_none: str  # why some or all bands are missing ("" when every band is drawn)

    def grade_of(self, value: float) -> int | None:
        """The band's grade for a value inside a band; None outside every band."""
        return next((b.grade for b in self.bands if b.contains(value)), None)


# (threshold, inclusive) where a band starts; None: a reference it needs is unknown
_Start = tuple[float, bool] | None
# a band whose every condition is skipped (see grade_steps.skipped): it applies to nothing
_APPLIES_NOWHERE = (math.inf, False)


def _start(band: Band, code: str, unit: str, refs: dict[str, float | None]) -> _Start:
    """Where the band's conditions all hold, seen from its own side: the tightest bound."""
    found: list[tuple[float, bool]] = []
    for cond in band.conditions:
        if skipped(cond, refs):
            continue
        if cond.basis == "absolute":
            bound = next((b for u, b in cond.absolute if u == unit), None)
            if bound is None:  # the grader converts the value into the table's unit
                to_unit, table_bound = cond.absolute[0]
                bound = convert(code, table_bound, to_unit, unit)
            found.append((bound, cond.inclusive))
            continue
        ref = refs[cond.basis]
        if ref is None or (cond.baseline_below_lln and refs["LLN"] is None):
            return None
        assert cond.multiple is not None
        found.append((ref * cond.multiple, cond.inclusive))
    high = band.conditions[0].direction == "above"
    if not found:
        return _APPLIES_NOWHERE if high else (-math.inf, False)
    tightest = max(t for t, _ in found) if high else min(t for t, _ in found)
    inclusive = all(
        inc for t, inc in found if math.isclose(t, tightest, rel_tol=REL_TOL, abs_tol=0.0)
    )
    return tightest, inclusive


def _side(
    bands: tuple[Band, ...], side: Side, code: str, unit: str, refs: dict[str, float | None]
) -> tuple[list[GradeBand], bool]:
    """The drawable bands of one side (grade 1 upwards) and whether any band was left out."""
    # highest grade first, alternatives of one grade as one
    starts = _either(
        [(b.grade, _start(b, code, unit, refs)) for b in bands], 1.0 if side == "high" else -1.0
    )
    out: list[GradeBand] = []
    for i, (grade, start) in enumerate(starts):
        if start is None:
            # what this band's other conditions cover is ungraded, lower grades included
            return sorted(out, key=lambda b: b.grade), True
        higher = [s for _, s in starts[:i] if s is not None]
        threshold, inclusive = start
        sign = 1.0 if side == "high" else -1.0
        # a higher grade that starts beyond this one's start leaves it only the gap between
        if any(sign * (t - threshold) < 0 and not _close(t, threshold) for t, _ in higher):
            continue
        ends = [(t, inc) for t, inc in higher if not _close(t, threshold)]
        if len(ends) < len(higher):
            continue  # a higher grade starts where this one does: at most one point is left
        end = min(ends, default=None, key=lambda e: sign * e[0])
        far = None if end is None else end[0]
        far_closed = end is not None and not end[1]
        if side == "high":
            out.append(GradeBand(grade, side, threshold, far, inclusive, far_closed))
        else:
            out.append(GradeBand(grade, side, far, threshold, far_closed, inclusive))
    return sorted(out, key=lambda b: b.grade), False


def _either(starts: list[tuple[int, _Start]], sign: float) -> list[tuple[int, _Start]]:
    """Bands of one grade are alternatives (see criteria._bands): the grade starts where the
    first of them does; unknown (None) when any of them needs a reference that is unknown.
    A grade none of whose bands applies starts nowhere (beyond every value)."""
    merged: list[tuple[int, _Start]] = []
    for grade, start in starts:
        if not merged or merged[-1][0] != grade:
            merged.append((grade, start))
            continue
        kept = merged[-1][1]
        if kept is None or start is None:
            merged[-1] = (grade, None)
        elif _close(start[0], kept[0]):
            merged[-1] = (grade, (kept[0], kept[1] or start[1]))
        elif sign * (start[0] - kept[0]) < 0:
            merged[-1] = (grade, start)
    return [(g, s) for g, s in merged if s is None or math.isfinite(s[0])]


def _below_high(low: list[GradeBand], high: list[GradeBand]) -> list[GradeBand]:
    """Low bands cut where the high bands start: the grader tries the high side first."""
    if not high:
        return low
    first = min(high, key=lambda b: b.low if b.low is not None else -math.inf)
    if first.low is None:
        return []
    cut, cut_closed = first.low, first.low_closed
    out = []
    for band in low:
        top, top_closed = band.high, band.high_closed
        if top is None or top > cut or (_close(top, cut) and top_closed and cut_closed):
            top, top_closed = cut, not cut_closed
        if band.low is not None and (band.low > top or _close(band.low, top)):
            continue
        out.append(GradeBand(band.grade, band.side, band.low, top, band.low_closed, top_closed))
    return out


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=0.0)


def grade_bands(
    analyte: str,
    unit: str,
    *,
    uln: float | None,
    lln: float | None = None,
    baseline: float | None = None,
    baseline_uln: float | None = None,
    is_baseline: bool = False,
    criteria_id: str = DEFAULT_CRITERIA,
) -> GradeBands:
    """The grade bands for results of `analyte` reported in `unit` with this ULN and LLN.

    `baseline` and `baseline_uln` are the analyte's baseline in the same unit, for results
    after the first ICI start (leave them None before it: those results are graded against
    the ULN); `is_baseline` for the baseline result itself. The rule set is chosen exactly as
    the grader chooses it, so a value inside a band is graded with that band's grade.
    Raises units.UnitError or criteria.CriteriaError for an unknown unit or criteria set.
    """
    found = ANALYTES.get(analyte.strip().upper()) or lookup_analyte(analyte)
    if found is None:
        raise ValueError(f"unknown analyte {analyte!r}")
    code = found.code
    std_unit = unit_for(code, unit)
    criteria = load_criteria(criteria_id or DEFAULT_CRITERIA)
    term = criteria.terms.get(code)

    def none(why: str) -> GradeBands:
        return GradeBands(code, std_unit, criteria.id, criteria.label, (), False, None, why)

    if term is None:
        return none(criteria.not_graded.get(code, f"{code} has no term in {criteria.label}"))
    refs_given = (uln, lln, baseline, baseline_uln)
    if not all(r is None or math.isfinite(r) for r in refs_given):
        return none("a reference is not a number")
    if (uln is not None and uln <= 0) or (lln is not None and lln <= 0):
        return none("the reference range cannot be used")
    if is_baseline:
        baseline = None
    rules, abnormal = choose_rules(term.rules, uln, baseline, baseline_uln, None, is_baseline)
    if baseline is not None and baseline <= 0:
        baseline = None
    refs: dict[str, float | None] = {"ULN": uln, "LLN": lln, "baseline": baseline}
    high, high_missing = _side(rules.high, "high", code, std_unit, refs)
    low, low_missing = _side(rules.low, "low", code, std_unit, refs)
    low = _below_high(low, high)
    uses_baseline = any(
        c.basis == "baseline" for b in (*rules.high, *rules.low) for c in b.conditions
    )
    why = ""
    if high_missing or low_missing:
        lacking = [
            name
            for name, ref in (("ULN", uln), ("LLN", lln), ("baseline", baseline))
            if ref is None
        ]
        why = "no " + " or ".join(lacking) if lacking else "a reference is missing"
    return GradeBands(
        code,
        std_unit,
        criteria.id,
        # the term's own source where it differs from the set's: glucose under v5.0 is graded
        # by the ASCO 2021 / CTCAE v4.03 numeric table, and its bands must say so
        term.label,
        (*high, *low),
        abnormal,
        baseline if uses_baseline else None,
        why,
    )
