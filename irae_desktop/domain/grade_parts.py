"""The parts of a grade: the result record, its errors, the rule set chosen and number wording."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from irae_desktop.domain.analytes import ANALYTES, Analyte, lookup_analyte
from irae_desktop.domain.criteria import (
    BaselineKind,
    RuleSet,
)

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
    # a censored value whose interval spans grades: the highest it could be (clinical
    # reference, decision 6); None when the grade is certain
    grade_max: int | None = None


def fmt_number(value: float) -> str:
    """A number as a clinician would write it: 412, 0.1, 10.35 (no trailing zeros)."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}"


def is_close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=0.0)


@lru_cache(maxsize=256)
def resolve_analyte(analyte: str) -> Analyte:
    found = ANALYTES.get(analyte.strip().upper()) if analyte else None
    if found is None:
        found = lookup_analyte(analyte)
    if found is None:
        raise GradingError(f"unknown analyte {analyte!r} (known: {', '.join(ANALYTES)})")
    return found


MISSING_WORDS = {
    "ULN": "no ULN reported and no site default",
    "LLN": "no LLN reported and no site default",
    "baseline": "baseline marked abnormal but no baseline value",
}


# rule sets live as long as the cached criteria sets, so their identity is a stable key
_BOUNDARIES: dict[tuple[int, str], tuple[RuleSet, list[float]]] = {}


def boundary_multiples(rules: RuleSet, basis: str) -> list[float]:
    """Every multiple of `basis` that is a boundary in these rules."""
    key = (id(rules), basis)
    entry = _BOUNDARIES.get(key)
    if entry is None or entry[0] is not rules:
        found = [
            c.multiple
            for b in (*rules.high, *rules.low)
            for c in b.conditions
            if c.basis == basis and c.multiple is not None
        ]
        entry = _BOUNDARIES[key] = (rules, found)
    return entry[1]


def choose_rules(
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
            and not is_close(baseline, ref)
        )
    return (kinds["abnormal"], True) if abnormal else (kinds["normal"], False)


def ungraded(shown: str, words: str, criteria_id: str, label: str) -> GradeResult:
    return GradeResult(None, f"{shown}: {words}: not graded", criteria_id, label, None, None)
