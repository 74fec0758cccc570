"""Grades one lab value under a criteria set and says, in words, which rule gave the grade."""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import NamedTuple

from irae_desktop.domain.censored import (
    NO_GRADE,
    NO_GRADE_WORDS,
    breakpoints,
    censored_words,
    grade_span,
    interval_points,
)
from irae_desktop.domain.criteria import DEFAULT_CRITERIA, load_criteria
from irae_desktop.domain.grade_parts import (
    MISSING_WORDS,
    REL_TOL,
    GradeResult,
    GradingError,
    choose_rules,
    fmt_number,
    is_close,
    resolve_analyte,
    ungraded,
)
from irae_desktop.domain.grade_steps import Compiler, Step, Words, Zero
from irae_desktop.domain.plan_cache import NOTHING_KEPT, CacheSize, PlanCache
from irae_desktop.domain.units import convert, unit_for
from irae_desktop.domain.values import COMPARATORS

__all__ = [
    "PLANS",
    "CacheSize",
    "GradePlan",
    "GradeResult",
    "GradingError",
    "PlanRequest",
    "fmt_number",
    "grade_value",
    "grader",
]

# a plan's steps: the high bands, the low bands and how grade 0 is worded
Steps = tuple[tuple[Step, ...], tuple[Step, ...], Zero]


class PlanRequest(NamedTuple):
    """What a grading plan is asked for: everything about a grade but the value itself, with
    ULN, LLN and baseline in `unit`, the unit as reported."""

    analyte: str
    comparator: str
    unit: str
    uln: float | None
    lln: float | None
    baseline: float | None = None
    baseline_uln: float | None = None
    baseline_abnormal: bool | None = None
    is_baseline: bool = False
    criteria_id: str = DEFAULT_CRITERIA


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
    # a plain tuple in PlanRequest's order is equal to, and hashes as, the PlanRequest: the
    # look-up pays for a tuple, not for the named one's constructor (most of a repeat's cost)
    request = (
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
    return PLANS.plan(request).grade(value)


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
    request = (  # in PlanRequest's order, as in grade_value
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
    return PLANS.plan(request)


def _no_steps() -> Steps:
    return (), (), "ULN"


def _first_met(steps: tuple[Step, ...], code: str, unit: str, value: float) -> Step | None:
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
        "_breaks",
        "_code",
        "_comparator",
        "_fixed",
        "_high",
        "_keep",
        "_low",
        "_names",
        "_no_grade",
        "_notes",
        "_raw",
        "_results",
        "_uln",
        "_unit",
        "_unusable",
        "_zero",
        "criteria_id",
        "label",
        "shown_prefix",
        "shown_suffix",
    )

    def __init__(self, request: tuple[Hashable, ...], cache: PlanCache[GradePlan, Steps]) -> None:
        """Works out the plan for `request` (a PlanRequest, or a plain tuple in its order), with
        the steps and results `cache` holds for its setting."""
        (
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
        ) = PlanRequest._make(request)
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
        self._high: tuple[Step, ...] = ()
        self._low: tuple[Step, ...] = ()
        self._zero: Zero = "ULN"
        self._results = NOTHING_KEPT
        self._keep = cache.keep
        self._comparator = comparator
        self._breaks: tuple[float, ...] = ()
        self._no_grade: str | None = None
        self._names: tuple[str | None, str | None] = (None, None)
        self._notes: tuple[str, ...] = ()
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
                # the words depend on the value and on these only
                unusable = (self.shown_prefix, self.shown_suffix, self._unusable, self.label)
                _, self._results = cache.steps(("unusable", *unusable, criteria.id), _no_steps)
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
        # what the words depend on: a baseline the chosen rules never use is left out, so
        # results with and without one share their steps and results
        shown = (self.shown_prefix, self.shown_suffix, criteria.id, self.label, id(rules))
        setting = (*shown, uln, lln, used, abnormal, is_baseline)

        def work_out() -> Steps:
            remarks = ["baseline result, graded against ULN"] if is_baseline else []
            refs: dict[str, float | None] = {"ULN": uln, "LLN": lln, "baseline": used}
            compiler = Compiler(code, std_unit, self.label, rules, refs, abnormal, remarks)
            compiler.assume = not is_baseline
            return compiler.steps()

        (self._high, self._low, self._zero), self._results = cache.steps(setting, work_out)
        self._no_grade = rules.no_grade_above_uln
        self._names = (rules.high_name, rules.low_name)
        self._notes = ("baseline result, graded against ULN",) if is_baseline else ()
        if comparator:
            self._breaks = breakpoints(
                code, std_unit, (*self._high, *self._low), uln if self._no_grade else None
            )

    def grade(self, value: float) -> GradeResult:
        """The result grade_value gives for this value under this plan."""
        # 0.0 and -0.0 are one key but are worded differently (-0.0 x ULN): never shared
        if value:
            found = self._results.get(value)
            if found is not None:
                return found
        result = self._censored(value) if self._comparator else self._grade(value)
        if value:
            self._keep(self._results, value, result)
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
        if self._no_grade is not None:
            uln = self._uln
            if uln is None:
                return ungraded(shown, MISSING_WORDS["ULN"], self.criteria_id, self.label)
            if value > uln and not is_close(value, uln):
                return self._not_graded_above_uln(shown)
        zero = self._zero
        if isinstance(zero, str):
            return self._unworded(shown, zero)
        words, plain, above = zero
        uln = self._uln
        text = above if uln is not None and value > uln and not is_close(value, uln) else plain
        if words is None:
            return GradeResult(0, shown + text, self.criteria_id, self.label, None, None)
        return self._worded(shown, value, 0, (*words[:5], text))

    def _not_graded_above_uln(self, shown: str) -> GradeResult:
        """Clinical reference, decision 9: a non-fasting glucose above the ULN that no band
        grades has no grade (grades 1-2 need a fasting value), never grade 0."""
        name = f", {self._names[0]}" if self._names[0] else ""
        notes = f" ({'; '.join(self._notes)})" if self._notes else ""
        text = f"{shown}{name}: {self._no_grade}{NO_GRADE_WORDS}{self.label}{notes}"
        return GradeResult(None, text, self.criteria_id, self.label, None, None)

    def _point(self, value: float) -> tuple[int | str, int]:
        """What one exact value gets: (grade, side: 0 high, 1 low, -1 neither), or (the
        missing reference, -1), or (NO_GRADE, -1) for a value that has no grade by rule."""
        code, unit = self._code, self._unit
        high = _first_met(self._high, code, unit, value)
        low = _first_met(self._low, code, unit, value)
        for side, step in enumerate((high, low)):
            if step is not None and step[1] is None and step[0]:
                return step[0], side
        for step in (high, low):
            if step is not None and step[1] is not None:
                return step[1], -1
        if self._no_grade is not None:
            uln = self._uln
            if uln is None:
                return "ULN", -1
            if value > uln and not is_close(value, uln):
                return NO_GRADE, -1
        if isinstance(self._zero, str):
            return self._zero, -1
        return 0, -1

    def _censored(self, bound: float) -> GradeResult:
        """Clinical reference, decision 6: the lowest grade every value of the interval the
        censored value stands for is certain to reach, and the highest any of them could get."""
        if self._fixed is not None or self._unusable is not None or not math.isfinite(bound):
            return self._grade(bound)
        if self._bad_refs or (bound <= 0 and self._comparator in ("<", "<=")):
            return self._grade(bound)
        found = [self._point(x) for x in interval_points(bound, self._comparator, self._breaks)]
        shown = self.shown_prefix + fmt_number(bound) + self.shown_suffix
        missing = next((g for g, _ in found if isinstance(g, str) and g != NO_GRADE), None)
        if missing is not None:
            words = MISSING_WORDS.get(missing, f"no {missing}")
            return ungraded(shown, words, self.criteria_id, self.label)
        span = grade_span(found)
        at_bound = self._grade(bound)
        sides = {side for g, side in found if side >= 0 and g != 0}
        names = [n for i, n in enumerate(self._names) if i in sides and n]
        text = censored_words(
            shown,
            at_bound.reason if at_bound.multiple is not None else "",
            span,
            self._comparator,
            bound,
            self._unit,
            ", ".join(names),
            self.label,
            [*self._notes, *([self._no_grade] if span.no_grade and self._no_grade else [])],
        )
        low, high = span.low, span.high
        multiple = at_bound.multiple
        basis = at_bound.basis if multiple is not None else None
        grade_max = high if high is not None and high != low else None
        return GradeResult(low, text, self.criteria_id, self.label, multiple, basis, grade_max)

    def _unworded(self, shown: str, basis: str) -> GradeResult:
        """The grade would be worded as a multiple of a reference that is unknown (only an
        optional condition was skipped): not graded, saying which reference is missing."""
        words = MISSING_WORDS.get(basis, f"no {basis}")
        return ungraded(shown, words, self.criteria_id, self.label)

    def _worded(self, shown: str, value: float, grade: int, words: Words | str) -> GradeResult:
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


# every plan of this process: see plan_cache for what it keeps and its bound
PLANS: PlanCache[GradePlan, Steps] = PlanCache(GradePlan)
