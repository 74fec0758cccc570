"""Turns a rule set and the known references into steps that grade a value quickly, and the
words each step gives."""

from __future__ import annotations

import math
from typing import Any

from irae_desktop.domain.criteria import Band, Condition, RuleSet
from irae_desktop.domain.grade_parts import REL_TOL, GradeBasis, boundary_multiples, fmt_number

# (threshold, above, inclusive, unit to convert the value to first, or None)
Check = tuple[float, bool, bool, str | None]
# How a chosen band is put in words: a fixed detail text (absolute bound) or the reference
# the value is divided by, its basis, the text after the multiple and the boundaries that
# decide how many decimals the multiple needs; then the text after the detail.
Words = tuple[str | None, float, GradeBasis, str, frozenset[float], str]
# (grade, reference missing for it or None, checks, words; or the basis of the reference the
# words need when it is unknown)
Step = tuple[int, str | None, tuple[Check, ...], Words | str]
Zero = tuple[Words | None, str, str] | str


def baseline_below_lln(refs: dict[str, float | None]) -> bool:
    """Whether the baseline is known and below the LLN (strictly, beyond the tolerance)."""
    baseline, lln = refs["baseline"], refs["LLN"]
    if baseline is None or lln is None:
        return False
    return baseline < lln and not math.isclose(baseline, lln, rel_tol=REL_TOL, abs_tol=0.0)


def skipped(cond: Condition, refs: dict[str, float | None]) -> bool:
    """An optional condition left out: its reference is unknown, or it holds only for a
    baseline below the LLN and the baseline is known not to be. With no LLN it is kept, and
    its band misses the LLN (see band_checks): whether it applies cannot be told."""
    if not cond.optional:
        return False
    if cond.basis != "absolute" and refs[cond.basis] is None:
        return True
    return cond.baseline_below_lln and refs["LLN"] is not None and not baseline_below_lln(refs)


def band_checks(
    band: Band, code: str, unit: str, refs: dict[str, float | None]
) -> tuple[int, str | None, tuple[Check, ...]]:
    """The band's grade, the reference it misses (or None) and its conditions with every
    reference multiplied out."""
    missing: str | None = None
    checks: list[Check] = []
    for cond in band.conditions:
        if skipped(cond, refs):
            continue
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
        if cond.baseline_below_lln and refs["LLN"] is None and missing is None:
            # the value meets the baseline multiple, but only a baseline below the LLN counts
            missing = "LLN"
    return band.grade, missing, tuple(checks)


def band_detail(cond: Condition, unit: str, refs: dict[str, float | None], rules: RuleSet) -> Any:
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


class Compiler:
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
        self.assume = True  # say what a skipped optional condition assumed

    def steps(self) -> tuple[tuple[Step, ...], tuple[Step, ...], Zero]:
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

    def _worded(self, bands: tuple[Band, ...], name: str | None) -> tuple[Step, ...]:
        steps = []
        for band in bands:
            grade, missing, checks = band_checks(band, self.code, self.unit, self.refs)
            if not checks and missing is None:
                continue  # every condition skipped: an alternative that does not apply here
            detail = band_detail(band.conditions[0], self.unit, self.refs, self.rules)
            words: Words | str = band.conditions[0].basis
            if detail is not None:
                more = [band.remark] if band.remark and grade > 0 else []
                if self.abnormal and detail[2] == "baseline":
                    more.append("abnormal baseline")
                if self.assume and grade > 0:
                    # clinical reference, decision 3: a missing baseline is a normal one
                    more.extend(
                        c.assumed for c in band.conditions if c.assumed and skipped(c, self.refs)
                    )
                words = (*detail, self._tail(grade, name, [], more))
            steps.append((grade, missing, checks, words))
        return tuple(steps)

    def _zero(self) -> Zero:
        """Grade 0: (words with the multiple or None, tail, tail when above the ULN); or the
        basis of the multiple when its reference is unknown."""
        rules = self.rules
        first = rules.high[-1].conditions[0] if rules.high else None
        detail = None
        if first is not None and first.basis != "absolute":
            detail = band_detail(first, self.unit, self.refs, rules)
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
