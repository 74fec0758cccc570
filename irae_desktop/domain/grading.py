"""Grades one lab value under a criteria set and says, in words, which rule gave the grade."""

from __future__ import annotations

import itertools
import math
import threading
import weakref
from functools import lru_cache
from typing import Any

from irae_desktop.domain.criteria import DEFAULT_CRITERIA, Band, Condition, RuleSet, load_criteria
from irae_desktop.domain.grade_parts import (
    MISSING_WORDS,
    REL_TOL,
    GradeBasis,
    GradeResult,
    GradingError,
    boundary_multiples,
    choose_rules,
    fmt_number,
    is_close,
    resolve_analyte,
    ungraded,
)
from irae_desktop.domain.units import convert, unit_for
from irae_desktop.domain.values import COMPARATORS

__all__ = ["GradePlan", "GradeResult", "GradingError", "fmt_number", "grade_value", "grader"]


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
    return grader(
        analyte,
        comparator,
        unit,
        uln,
        lln,
        baseline,
        baseline_uln,
        baseline_abnormal,
        is_baseline,
        criteria_id,
    ).grade(value)


@lru_cache(maxsize=4096)
def grader(
    analyte: str,
    comparator: str,
    unit: str,
    uln: float | None,
    lln: float | None,
    baseline: float | None = None,
    baseline_uln: float | None = None,
    baseline_abnormal: bool | None = None,
    is_baseline: bool = False,
    criteria_id: str = DEFAULT_CRITERIA,
) -> GradePlan:
    """The plan for grading values that share everything but the value itself; its
    `.grade(value)` answers exactly as grade_value does.

    Raises what grade_value raises for an unknown analyte, unit, criteria set or comparator.
    """
    return GradePlan(
        analyte,
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


# (threshold, above, inclusive, unit to convert the value to first, or None)
_Check = tuple[float, bool, bool, str | None]
# How a chosen band is put in words: a fixed detail text (absolute bound) or the reference
# the value is divided by, its basis, the text after the multiple and the boundaries that
# decide how many decimals the multiple needs; then the text after the detail.
_Words = tuple[str | None, float, GradeBasis, str, frozenset[float], str]
# (grade, reference missing for it or None, checks, words; or the basis of the reference the
# words need when it is unknown)
_Step = tuple[int, str | None, tuple[_Check, ...], _Words | str]

# Results repeat a lot (whole-number enzymes, shared reference ranges, normal baselines that
# play no part): plans that would word every value alike share one memory of results.
# GradeResult is immutable, so sharing is safe.
_PLANS_MAX = 8192
_RESULTS_MAX = 1 << 16  # as many results as are kept at once, whatever the number of plans
_Zero = tuple[_Words | None, str, str] | str
# plan key -> (high steps, low steps, grade 0 words, results already given)
_COMPILED: dict[tuple[Any, ...], tuple[Any, Any, _Zero, _Memo]] = {}


class _Memo(dict[float, GradeResult]):
    """The results a plan (or plans that word every value alike) already gave."""


_LIVE: weakref.WeakValueDictionary[int, _Memo] = weakref.WeakValueDictionary()
_numbers = itertools.count()
_kept = [0]


# grading may run in an import thread and the window at once
_LIVE_LOCK = threading.Lock()


def _new_memo() -> _Memo:
    memo = _Memo()
    with _LIVE_LOCK:
        _LIVE[next(_numbers)] = memo
    return memo


def _remember(memo: _Memo, value: float, result: GradeResult) -> None:
    if _kept[0] >= _RESULTS_MAX:
        with _LIVE_LOCK:
            for live in list(_LIVE.values()):
                live.clear()
            _kept[0] = 0
    memo[value] = result
    _kept[0] += 1


def _checks(
    band: Band, code: str, unit: str, refs: dict[str, float | None]
) -> tuple[int, str | None, tuple[_Check, ...]]:
    """The band's grade, the reference it misses (or None) and its conditions with every
    reference multiplied out."""
    missing: str | None = None
    checks: list[_Check] = []
    for cond in band.conditions:
        above = cond.direction == "above"
        if cond.basis == "absolute":
            bound = next((b for u, b in cond.absolute if u == unit), None)
            if bound is None:
                to_unit, bound = cond.absolute[0]
                checks.append((bound, above, cond.inclusive, to_unit))
            else:
                checks.append((bound, above, cond.inclusive, None))
            continue
        ref = refs[cond.basis]
        if ref is None:
            if not cond.optional and missing is None:
                missing = cond.basis
            continue
        assert cond.multiple is not None
        checks.append((ref * cond.multiple, above, cond.inclusive, None))
    return band.grade, missing, tuple(checks)


def _detail(cond: Condition, unit: str, refs: dict[str, float | None], rules: RuleSet) -> Any:
    """(fixed text, 0, "absolute", "", no boundaries) or (None, reference, basis, text after
    the multiple, boundaries); None when the reference is unknown (the rules cannot word it)."""
    if cond.basis == "absolute":
        to_unit, bound = next(((u, b) for u, b in cond.absolute if u == unit), cond.absolute[0])
        side = "above" if cond.direction == "above" else "below"
        if cond.inclusive:
            side = "at or " + side
        return f": {side} {fmt_number(bound)} {to_unit}", 0.0, "absolute", "", frozenset()
    ref = refs[cond.basis]
    if ref is None:
        return None
    after = f" x {cond.basis} ({fmt_number(ref)})"
    return None, ref, cond.basis, after, frozenset(boundary_multiples(rules, cond.basis))


def _first_met(steps: tuple[_Step, ...], code: str, unit: str, value: float) -> _Step | None:
    """The highest band whose conditions all hold (None: no band, grade 0)."""
    for step in steps:
        for threshold, above, inclusive, to_unit in step[2]:
            v = value if to_unit is None else convert(code, value, unit, to_unit)
            if math.isclose(v, threshold, rel_tol=REL_TOL, abs_tol=0.0):
                if not inclusive:
                    break
            elif not (v > threshold if above else v < threshold):
                break
        else:
            return step
    return None


class GradePlan:
    """Everything about a grade that does not depend on the value, worked out once."""

    __slots__ = (
        "_bad_refs",
        "_code",
        "_fixed",
        "_high",
        "_low",
        "_memo",
        "_raw",
        "_uln",
        "_unit",
        "_unusable",
        "_zero",
        "criteria_id",
        "label",
        "shown_prefix",
        "shown_suffix",
    )

    def __init__(
        self,
        analyte: str,
        comparator: str,
        unit: str,
        uln: float | None,
        lln: float | None,
        baseline: float | None,
        baseline_uln: float | None,
        baseline_abnormal: bool | None,
        is_baseline: bool,
        criteria_id: str,
    ) -> None:
        code = resolve_analyte(analyte).code
        std_unit = unit_for(code, unit)
        criteria = load_criteria(criteria_id or DEFAULT_CRITERIA)
        if comparator not in COMPARATORS:
            raise GradingError(f"comparator {comparator!r} is not one of <, <=, >, >=")
        self._code, self._unit, self._uln = code, std_unit, uln
        self._raw = (uln, lln, baseline)
        self._bad_refs = not all(n is None or math.isfinite(n) for n in (uln, lln, baseline))
        self.shown_prefix = f"{code} {comparator}"
        self.shown_suffix = f" {std_unit}"
        self.criteria_id = criteria.id
        self._fixed: GradeResult | None = None
        self._unusable: str | None = None
        self._high: tuple[_Step, ...] = ()
        self._low: tuple[_Step, ...] = ()
        self._zero: _Zero = "ULN"
        self._memo = _new_memo()
        term = criteria.terms.get(code)
        if term is None:
            why = criteria.not_graded.get(code, f"{code} has no term in {criteria.label}")
            self.label = criteria.label
            self._fixed = GradeResult(
                None, f"{why}: not graded", criteria.id, criteria.label, None, None
            )
            return
        self.label = term.label
        if self._bad_refs:
            return  # every value is refused, with the value in the message
        for what, ref in (("ULN", uln), ("LLN", lln)):
            if ref is not None and ref <= 0:
                shown_ref = fmt_number(ref)
                self._unusable = f"{what} {shown_ref} {std_unit} cannot be used as a reference"
                key = ("unusable", self.shown_prefix, self.shown_suffix, self._unusable)
                entry = _COMPILED.get((*key, criteria.id, self.label))
                if entry is None:
                    entry = _COMPILED[(*key, criteria.id, self.label)] = ((), (), "ULN", self._memo)
                self._memo = entry[3]
                return
        if is_baseline:
            baseline = None
        rules, abnormal = choose_rules(
            term.rules, uln, baseline, baseline_uln, baseline_abnormal, is_baseline
        )
        if baseline is not None and baseline <= 0:
            baseline = None
        uses_baseline = any(
            c.basis == "baseline" for b in (*rules.high, *rules.low) for c in b.conditions
        )
        used = baseline if uses_baseline else None
        shared = (self.shown_prefix, self.shown_suffix, criteria.id, self.label, id(rules))
        plan_key = (*shared, uln, lln, used, abnormal, is_baseline)
        found = _COMPILED.get(plan_key)
        if found is None:
            remarks: list[str] = []
            if is_baseline:
                remarks.append("baseline result, graded against ULN")
            if comparator:
                remarks.append("censored result: its bound is graded")
            refs: dict[str, float | None] = {"ULN": uln, "LLN": lln, "baseline": used}
            compiled = _Compiler(code, std_unit, self.label, rules, refs, abnormal, remarks)
            if len(_COMPILED) >= _PLANS_MAX:
                _COMPILED.clear()
            found = _COMPILED[plan_key] = (*compiled.steps(), _new_memo())
        self._high, self._low, self._zero, self._memo = found

    def grade(self, value: float) -> GradeResult:
        """The result grade_value gives for this value under this plan."""
        # 0.0 and -0.0 are one key but are worded differently (-0.0 x ULN): never shared
        if value:
            found = self._memo.get(value)
            if found is not None:
                return found
        result = self._grade(value)
        if value:
            _remember(self._memo, value, result)
        return result

    def _grade(self, value: float) -> GradeResult:
        if not math.isfinite(value) or self._bad_refs:
            uln, lln, baseline = self._raw
            raise GradingError(
                f"value, ULN, LLN and baseline must be finite numbers ({value}, {uln}, {lln}, "
                f"{baseline})"
            )
        if self._fixed is not None:
            return self._fixed
        shown = self.shown_prefix + fmt_number(value) + self.shown_suffix
        if self._unusable is not None:
            return ungraded(shown, self._unusable, self.criteria_id, self.label)
        code, unit = self._code, self._unit
        high = _first_met(self._high, code, unit, value)
        low = _first_met(self._low, code, unit, value)
        for step in (high, low):
            if step is not None and step[1] is None and step[0]:
                return self._worded(shown, value, step[0], step[3])
        for step in (high, low):
            if step is not None and step[1] is not None:
                missing = MISSING_WORDS.get(step[1], f"no {step[1]}")
                return ungraded(shown, missing, self.criteria_id, self.label)
        zero = self._zero
        if isinstance(zero, str):
            return self._unworded(shown, zero)
        words, plain, above = zero
        uln = self._uln
        text = above if uln is not None and value > uln and not is_close(value, uln) else plain
        if words is None:
            return GradeResult(0, shown + text, self.criteria_id, self.label, None, None)
        return self._worded(shown, value, 0, (*words[:5], text))

    def _unworded(self, shown: str, basis: str) -> GradeResult:
        """The grade would be worded as a multiple of a reference that is unknown (only an
        optional condition was skipped): not graded, saying which reference is missing."""
        words = MISSING_WORDS.get(basis, f"no {basis}")
        return ungraded(shown, words, self.criteria_id, self.label)

    def _worded(self, shown: str, value: float, grade: int, words: _Words | str) -> GradeResult:
        if isinstance(words, str):
            return self._unworded(shown, words)
        fixed, ref, basis, after, boundaries, tail = words
        if fixed is not None:
            return GradeResult(
                grade, shown + fixed + tail, self.criteria_id, self.label, None, basis
            )
        multiple = value / ref
        digits = 1
        while digits < 4:
            rounded = round(multiple, digits)
            if rounded not in boundaries or is_close(multiple, rounded):
                break
            digits += 1
        text = f"{shown} = {multiple:.{digits}f}{after}{tail}"
        return GradeResult(grade, text, self.criteria_id, self.label, multiple, basis)


class _Compiler:
    """Turns the chosen rules and known references into steps that grade a value quickly."""

    def __init__(
        self,
        code: str,
        unit: str,
        label: str,
        rules: RuleSet,
        refs: dict[str, float | None],
        abnormal: bool,
        remarks: list[str],
    ) -> None:
        self.code, self.unit, self.label, self.rules = code, unit, label, rules
        self.refs, self.abnormal, self.remarks = refs, abnormal, remarks

    def steps(self) -> tuple[tuple[_Step, ...], tuple[_Step, ...], _Zero]:
        rules = self.rules
        return (
            self._worded(rules.high, rules.high_name),
            self._worded(rules.low, rules.low_name),
            self._zero(),
        )

    def _tail(self, grade: int, name: str | None, notes: list[str], more: list[str]) -> str:
        text = f", {name}" if name else ""
        for note in notes:
            text += f": {note}"
        text += f": grade {grade}, {self.label}"
        if self.remarks or more:
            text += f" ({'; '.join([*self.remarks, *more])})"
        return text

    def _worded(self, bands: tuple[Band, ...], name: str | None) -> tuple[_Step, ...]:
        steps = []
        for band in bands:
            grade, missing, checks = _checks(band, self.code, self.unit, self.refs)
            detail = _detail(band.conditions[0], self.unit, self.refs, self.rules)
            words: _Words | str = band.conditions[0].basis
            if detail is not None:
                more = [band.remark] if band.remark and grade > 0 else []
                if self.abnormal and detail[2] == "baseline":
                    more.append("abnormal baseline")
                words = (*detail, self._tail(grade, name, [], more))
            steps.append((grade, missing, checks, words))
        return tuple(steps)

    def _zero(self) -> _Zero:
        """Grade 0: (words with the multiple or None, tail, tail when above the ULN); or the
        basis of the multiple when its reference is unknown."""
        rules = self.rules
        first = rules.high[-1].conditions[0] if rules.high else None
        detail = None
        if first is not None and first.basis != "absolute":
            detail = _detail(first, self.unit, self.refs, rules)
            if detail is None:
                return first.basis
        abnormal_words = self.abnormal and detail is not None and detail[2] == "baseline"
        more = ["abnormal baseline"] if abnormal_words else []
        notes = [rules.zero_note] if rules.zero_note else []
        plain = self._tail(0, None, notes, more)
        above = plain
        if rules.zero_note_above_uln:
            above = self._tail(0, None, [*notes, rules.zero_note_above_uln], more)
        words = None if detail is None else (*detail, "")
        return words, plain, above
