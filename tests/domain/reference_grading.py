"""The rule-by-rule grader, one value at a time: the oracle the fast grader must match."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date
from functools import lru_cache
from typing import Any, Literal

from irae_desktop.domain.analytes import ANALYTES, Analyte, lookup_analyte
from irae_desktop.domain.criteria import (
    DEFAULT_CRITERIA,
    Band,
    BaselineKind,
    Condition,
    RuleSet,
    load_criteria,
)
from irae_desktop.domain.units import convert, unit_for
from irae_desktop.domain.values import COMPARATORS

REL_TOL = 1e-9

GradeBasis = Literal["ULN", "baseline", "LLN", "absolute"]


class GradingError(ValueError):
    """The input cannot be graded at all (unknown analyte, bad comparator, not a number)."""


@dataclass(frozen=True, slots=True)
class GradeResult:
    """A grade (None when the value cannot be graded) and the rule that produced it, in words."""

    grade: int | None
    reason: str
    criteria_id: str
    criteria_label: str
    multiple: float | None
    basis: GradeBasis | None
    grade_max: int | None = None


def fmt_number(value: float) -> str:
    """A number as a clinician would write it: 412, 0.1, 10.35 (no trailing zeros)."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}"


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=0.0)


@lru_cache(maxsize=256)
def _resolve(analyte: str) -> Analyte:
    found = ANALYTES.get(analyte.strip().upper()) if analyte else None
    if found is None:
        found = lookup_analyte(analyte)
    if found is None:
        raise GradingError(f"unknown analyte {analyte!r} (known: {', '.join(ANALYTES)})")
    return found


class _Context:
    """The value being graded and its references (plain class: built once per grade)."""

    __slots__ = ("code", "refs", "unit", "value")

    def __init__(self, code: str, unit: str, value: float, refs: dict[str, float | None]):
        self.code = code
        self.unit = unit
        self.value = value
        self.refs = refs


def _threshold(cond: Condition, ctx: _Context) -> tuple[float, float] | None:
    """(value to compare, threshold), both in one unit; None when the reference is unknown."""
    if cond.basis == "absolute":
        for unit, bound in cond.absolute:
            if unit == ctx.unit:
                return ctx.value, bound
        unit, bound = cond.absolute[0]
        return convert(ctx.code, ctx.value, ctx.unit, unit), bound
    ref = ctx.refs[cond.basis]
    if ref is None:
        return None
    assert cond.multiple is not None
    return ctx.value, ref * cond.multiple


def _holds(cond: Condition, value: float, threshold: float) -> bool:
    if _close(value, threshold):
        return cond.inclusive
    return value > threshold if cond.direction == "above" else value < threshold


@dataclass(slots=True)
class _Outcome:
    grade: int | None  # None: a reference needed to decide is missing
    band: Band | None
    missing: str | None


def _evaluate(bands: tuple[Band, ...], ctx: _Context) -> _Outcome:
    """The first band (highest grade first; two bands of a grade are alternatives) whose
    conditions all hold. A band none of whose conditions could be tested applies to nothing;
    a condition that counts only for a baseline below the LLN is left out when the baseline
    is known not to be, and makes the LLN missing when there is none."""
    for band in bands:
        missing: str | None = None
        failed = False
        tested = False
        for cond in band.conditions:
            base, lln = ctx.refs["baseline"], ctx.refs["LLN"]
            if cond.baseline_below_lln and base is not None:
                if lln is not None and not (base < lln and not _close(base, lln)):
                    continue
                if lln is None and missing is None:
                    missing = "LLN"
            pair = _threshold(cond, ctx)
            if pair is None:
                if not cond.optional and missing is None:
                    missing = cond.basis
                continue
            tested = True
            if not _holds(cond, *pair):
                failed = True
                break
        if failed or (not tested and missing is None):
            continue
        if missing is not None:
            return _Outcome(None, band, missing)
        return _Outcome(band.grade, band, None)
    return _Outcome(0, None, None)


_MISSING_WORDS = {
    "ULN": "no ULN reported and no site default",
    "LLN": "no LLN reported and no site default",
    "baseline": "baseline marked abnormal but no baseline value",
}


def _multiple_digits(multiple: float, thresholds: list[float]) -> int:
    """1 decimal, more when rounding would make a value look equal to a boundary it is not at."""
    digits = 1
    while digits < 4 and any(
        round(multiple, digits) == t and not _close(multiple, t) for t in thresholds
    ):
        digits += 1
    return digits


# rule sets live as long as the cached criteria sets, so their identity is a stable key
_MULTIPLES: dict[tuple[int, str], tuple[RuleSet, list[float]]] = {}


def _multiples(rules: RuleSet, basis: str) -> list[float]:
    """Every multiple of `basis` that is a boundary in these rules."""
    key = (id(rules), basis)
    entry = _MULTIPLES.get(key)
    if entry is None or entry[0] is not rules:
        found = [
            c.multiple
            for b in (*rules.high, *rules.low)
            for c in b.conditions
            if c.basis == basis and c.multiple is not None
        ]
        entry = _MULTIPLES[key] = (rules, found)
    return entry[1]


def _describe(
    cond: Condition, ctx: _Context, rules: RuleSet
) -> tuple[str, float | None, GradeBasis]:
    """Text such as " = 10.3 x ULN (40)" or ": above 500 mg/dL", the multiple and its basis."""
    if cond.basis == "absolute":
        unit, bound = next(((u, b) for u, b in cond.absolute if u == ctx.unit), cond.absolute[0])
        side = "above" if cond.direction == "above" else "below"
        if cond.inclusive:
            side = "at or " + side
        return f": {side} {fmt_number(bound)} {unit}", None, "absolute"
    ref = ctx.refs[cond.basis]
    assert ref is not None
    multiple = ctx.value / ref
    digits = _multiple_digits(multiple, _multiples(rules, cond.basis))
    text = f" = {multiple:.{digits}f} x {cond.basis} ({fmt_number(ref)})"
    return text, multiple, cond.basis


def _choose_rules(
    kinds: dict[BaselineKind, RuleSet],
    uln: float | None,
    baseline: float | None,
    baseline_uln: float | None,
    baseline_abnormal: bool | None,
    is_baseline: bool,
) -> tuple[RuleSet, bool]:
    """The rule set to apply and whether it is the abnormal-baseline one."""
    if "any" in kinds:
        return kinds["any"], False
    if is_baseline:
        return kinds["normal"], False
    abnormal = baseline_abnormal
    if abnormal is None:
        ref = baseline_uln if baseline_uln is not None else uln
        abnormal = (
            baseline is not None
            and ref is not None
            and baseline > ref
            and not _close(baseline, ref)
        )
    return (kinds["abnormal"], True) if abnormal else (kinds["normal"], False)


def _ungraded(shown: str, words: str, criteria_id: str, label: str) -> GradeResult:
    return GradeResult(None, f"{shown}: {words}: not graded", criteria_id, label, None, None)


def grade_value(
    analyte: str,
    value: float,
    comparator: str,
    unit: str,
    uln: float | None,
    lln: float | None,
    *,
    baseline: float | None = None,
    baseline_uln: float | None = None,
    baseline_abnormal: bool | None = None,
    is_baseline: bool = False,
    criteria_id: str = DEFAULT_CRITERIA,
) -> GradeResult:
    """Grades `value` (with `uln`, `lln`, `baseline` all in `unit`, the unit as reported).

    Raises GradingError, units.UnitError or criteria.CriteriaError when the input itself is
    wrong; returns a result with grade None and the reason when a grade cannot be given.
    """
    return _grade_cached(
        analyte,
        value,
        comparator,
        unit,
        uln,
        lln,
        baseline,
        baseline_uln,
        baseline_abnormal,
        is_baseline,
        criteria_id,
    )


# Results repeat a lot (whole-number enzymes, a few reference ranges): regrading a database
# or a large file reuses earlier answers. GradeResult is immutable, so sharing is safe.
@lru_cache(maxsize=1 << 16)
def _grade_cached(
    analyte: str,
    value: float,
    comparator: str,
    unit: str,
    uln: float | None,
    lln: float | None,
    baseline: float | None,
    baseline_uln: float | None,
    baseline_abnormal: bool | None,
    is_baseline: bool,
    criteria_id: str,
) -> GradeResult:
    found = _resolve(analyte)
    code = found.code
    std_unit = unit_for(code, unit)
    criteria = load_criteria(criteria_id or DEFAULT_CRITERIA)
    if comparator not in COMPARATORS:
        raise GradingError(f"comparator {comparator!r} is not one of <, <=, >, >=")
    if not math.isfinite(value) or not all(
        n is None or math.isfinite(n) for n in (uln, lln, baseline)
    ):
        raise GradingError(
            f"value, ULN, LLN and baseline must be finite numbers ({value}, {uln}, {lln}, "
            f"{baseline})"
        )
    shown = f"{code} {comparator}{fmt_number(value)} {std_unit}"
    term = criteria.terms.get(code)
    if term is None:
        why = criteria.not_graded.get(code, f"{code} has no term in {criteria.label}")
        return GradeResult(None, f"{why}: not graded", criteria.id, criteria.label, None, None)
    label = term.label

    for what, ref in (("ULN", uln), ("LLN", lln)):
        if ref is not None and ref <= 0:
            words = f"{what} {fmt_number(ref)} {std_unit} cannot be used as a reference"
            return _ungraded(shown, words, criteria.id, label)
    baseline_in = baseline
    if is_baseline:
        baseline = None
    rules, abnormal = _choose_rules(
        term.rules, uln, baseline, baseline_uln, baseline_abnormal, is_baseline
    )
    if baseline is not None and baseline <= 0:
        baseline = None
    ctx = _Context(code, std_unit, value, {"ULN": uln, "LLN": lln, "baseline": baseline})
    high = _evaluate(rules.high, ctx)
    low = _evaluate(rules.low, ctx)
    remarks: list[str] = []
    if is_baseline:
        remarks.append("baseline result, graded against ULN")
    if comparator and not (comparator in ("<", "<=") and value <= 0):
        return _censored(
            (analyte, unit, uln, lln, baseline_in, baseline_uln, baseline_abnormal),
            (is_baseline, criteria_id, comparator, value, shown, label, remarks),
            rules,
            ctx,
        )

    name: str | None = None
    notes: list[str] = []
    if high.grade:
        chosen, name = high, rules.high_name
    elif low.grade:
        chosen, name = low, rules.low_name
    elif high.grade is None or low.grade is None:
        missing = high.missing if high.grade is None else low.missing
        words = _MISSING_WORDS.get(missing or "", f"no {missing}")
        return _ungraded(shown, words, criteria.id, label)
    elif rules.no_grade_above_uln and uln is None:
        return _ungraded(shown, _MISSING_WORDS["ULN"], criteria.id, label)
    elif rules.no_grade_above_uln and uln is not None and value > uln and not _close(value, uln):
        # a non-fasting glucose between its ULN and the grade 3 bound: no grade (decision 9)
        words = f"{shown}, {rules.high_name}: {rules.no_grade_above_uln}: no grade, {label}"
        if remarks:
            words += f" ({'; '.join(remarks)})"
        return GradeResult(None, words, criteria.id, label, None, None)
    else:
        chosen = _Outcome(0, rules.high[-1] if rules.high else None, None)
        if rules.zero_note:
            notes.append(rules.zero_note)
        if rules.zero_note_above_uln and uln is not None and value > uln and not _close(value, uln):
            notes.append(rules.zero_note_above_uln)
    assert chosen.grade is not None
    detail, multiple, basis = "", None, None
    first = chosen.band.conditions[0] if chosen.band is not None else None
    if first is not None and (chosen.grade > 0 or first.basis != "absolute"):
        detail, multiple, basis = _describe(first, ctx, rules)
    if chosen.band is not None and chosen.band.remark and chosen.grade == chosen.band.grade > 0:
        remarks.append(chosen.band.remark)
    if abnormal and basis == "baseline":
        remarks.append("abnormal baseline")
    if chosen.band is not None and chosen.grade > 0 and not is_baseline:
        for cond in chosen.band.conditions:
            if cond.optional and cond.assumed and ctx.refs[cond.basis] is None:
                remarks.append(cond.assumed)
    words = shown + detail
    if name:
        words += f", {name}"
    for note in notes:
        words += f": {note}"
    words += f": grade {chosen.grade}, {label}"
    if remarks:
        words += f" ({'; '.join(remarks)})"
    return GradeResult(chosen.grade, words, criteria.id, label, multiple, basis)


_SIDE_WORDS = {"<": "below", "<=": "at or below", ">": "above", ">=": "at or above"}


def _thresholds(rules: RuleSet, ctx: _Context) -> list[float]:
    """Every bound of the rules in the unit of the result (the only places a grade changes)."""
    out: list[float] = []
    for band in (*rules.high, *rules.low):
        for cond in band.conditions:
            if cond.basis == "absolute":
                mine = [b for u, b in cond.absolute if u == ctx.unit]
                if mine:
                    out.append(mine[0])
                else:
                    unit, bound = cond.absolute[0]
                    out.append(convert(ctx.code, bound, unit, ctx.unit))
            elif ctx.refs[cond.basis] is not None:
                assert cond.multiple is not None
                out.append(ctx.refs[cond.basis] * cond.multiple)  # type: ignore[operator]
    if rules.no_grade_above_uln and ctx.refs["ULN"] is not None:
        out.append(ctx.refs["ULN"])
    return out


def censored_witnesses(bound: float, comparator: str, cuts: list[float]) -> list[float]:
    """Values of the interval a censored result stands for that meet each grade in it: the
    cuts inside, midpoints between neighbouring cuts, the bound when closed, a far value."""
    below = comparator in ("<", "<=")
    inside = sorted(
        {c for c in cuts if c > 0 and (c < bound if below else c > bound) and not _close(c, bound)}
    )
    merged: list[float] = []
    for c in inside:
        if not merged or not _close(merged[-1], c):
            merged.append(c)
    ends = [0.0, *merged, bound] if below else [bound, *merged]
    if not below:
        ends.append(ends[-1] * 2.0 + 1.0)
    values = [*merged, *((a + b) / 2.0 for a, b in itertools.pairwise(ends))]
    if not below:
        values.append(ends[-1])
    if comparator in ("<=", ">="):
        values.append(bound)
    return values


def _censored(
    inputs: tuple[Any, ...],
    more: tuple[Any, ...],
    rules: RuleSet,
    ctx: _Context,
) -> GradeResult:
    """Decision 6, worked out independently: grade every witness value of the interval one by
    one and take the lowest and highest."""
    analyte, unit, uln, lln, baseline, baseline_uln, baseline_abnormal = inputs
    is_baseline, criteria_id, comparator, bound, shown, label, remarks = more
    cid = load_criteria(criteria_id or DEFAULT_CRITERIA).id
    grades: list[int] = []
    no_grade = False
    sides: set[str] = set()
    for x in sorted(censored_witnesses(bound, comparator, _thresholds(rules, ctx))):
        point = _grade_cached.__wrapped__(
            analyte,
            x,
            "",
            unit,
            uln,
            lln,
            baseline,
            baseline_uln,
            baseline_abnormal,
            is_baseline,
            criteria_id,
        )
        if point.grade is None:
            if ": no grade, " in point.reason:
                no_grade = True
                continue
            words = point.reason.split(": ")[-2]
            return _ungraded(shown, words, cid, label)
        grades.append(point.grade)
        for name in (rules.high_name, rules.low_name):
            if point.grade and name and f", {name}:" in point.reason:
                sides.add(name)
    at = _grade_cached.__wrapped__(
        analyte,
        bound,
        "",
        unit,
        uln,
        lln,
        baseline,
        baseline_uln,
        baseline_abnormal,
        is_baseline,
        criteria_id,
    )
    plain = shown.replace(comparator, "", 1)
    detail = ""
    if at.multiple is not None and at.reason.startswith(plain + " = "):
        detail = at.reason[len(plain) : at.reason.index(")") + 1]
    names = [n for n in (rules.high_name, rules.low_name) if n in sides]
    named = f", {', '.join(names)}" if names else ""
    where = f"censored {_SIDE_WORDS[comparator]} {fmt_number(bound)} {ctx.unit}"
    notes = list(remarks)
    if no_grade and rules.no_grade_above_uln:
        notes.append(rules.no_grade_above_uln)
    low = min(grades) if grades else None
    high = max(grades) if grades else None
    if no_grade and low is not None and low > 0:
        low = None
    multiple = at.multiple
    basis = at.basis if multiple is not None else None
    top = high if high is not None and high != low else None
    if low is not None and low == high and not no_grade:
        text = "; ".join([f"{where}: every value of it reaches grade {low}", *notes])
        words = f"{shown}{detail}{named}: grade {low}, {label} ({text})"
    elif low is not None:
        text = "; ".join([f"at least grade {low}, possibly up to grade {high}", *notes])
        words = f"{shown}{detail}{named}: grade {low} to {high}: {where}, {label} ({text})"
    elif high is not None:
        text = "; ".join([*notes, "higher values of the interval are graded"])
        words = f"{shown}{named}: no grade, up to grade {high}: {where}, {label} ({text})"
    else:
        words = f"{shown}{named}: no grade: {where}, {label} ({'; '.join(notes)})"
    return GradeResult(low, words, cid, label, multiple, basis, top)


def reference_series(
    labs: list[Any],
    first_ici_start: date | None,
    overrides: Mapping[str, Any] | None,
    criteria_id: str,
) -> dict[int, tuple[int | None, str, str, bool]]:
    """Each result graded on its own against its baseline, rule by rule (no plans, no memory)."""
    from irae_desktop.domain.baseline import select_baseline
    from irae_desktop.domain.units import convert as convert_unit

    baselines = select_baseline(labs, first_ici_start, zone=UTC, overrides=overrides)
    unit_of = {lab.id: lab.unit for lab in labs}
    out: dict[int, tuple[int | None, str, str, bool]] = {}
    for lab in labs:
        base = baselines.get(lab.analyte)
        is_baseline = base is not None and base.origin == "result" and base.result_id == lab.id
        after = first_ici_start is None or lab.collected_at.date() > first_ici_start
        base_value = base_uln = None
        try:
            if base is not None and not is_baseline and after:
                base_unit = unit_of[base.result_id] if base.result_id is not None else lab.unit
                base_value, base_uln = base.value, base.uln
                if base_unit != lab.unit:
                    base_value = convert_unit(lab.analyte, base.value, base_unit, lab.unit)
                    if base.uln is not None:
                        base_uln = convert_unit(lab.analyte, base.uln, base_unit, lab.unit)
            r = _grade_cached.__wrapped__(
                lab.analyte,
                lab.value,
                lab.comparator,
                lab.unit,
                lab.uln,
                lab.lln,
                base_value,
                base_uln,
                None,
                is_baseline,
                criteria_id,
            )
            out[lab.id] = (r.grade, r.criteria_id, r.reason[:300], is_baseline)
        except ValueError as exc:
            out[lab.id] = (None, criteria_id, str(exc)[:300], is_baseline)
        except AssertionError:  # the words need a reference that is unknown
            out[lab.id] = (None, criteria_id, "AssertionError", is_baseline)
    return out
