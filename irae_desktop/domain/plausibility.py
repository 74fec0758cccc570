"""Whether a lab value can be true: impossible, beyond anything reported in a living patient,
unusual, or ordinary (clinical reference, decision 11). Limits come from the analyte table."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from irae_desktop.domain.analytes import Analyte, get_analyte
from irae_desktop.domain.grade_parts import fmt_number


class Verdict(StrEnum):
    OK = "ok"
    # possible but rare: graded, with a warning
    UNUSUAL = "unusual"
    # beyond what has been reported in a living patient: stored, ungraded, until confirmed
    NEEDS_REVIEW = "needs_review"
    # cannot be true: rejected
    IMPOSSIBLE = "impossible"


class ValueCheck(NamedTuple):
    verdict: Verdict
    # empty for OK; otherwise a sentence saying why, naming the value and the limit
    reason: str


NEEDS_REVIEW_PREFIX = "needs review"
# what a reviewer is asked to do, in every reason that puts a result on hold
REVIEW_ACTION = "not graded until a clinician confirms or corrects it"


def _shown(analyte: Analyte, value: float, comparator: str) -> str:
    return f"{analyte.code} {comparator}{fmt_number(value)} {analyte.canonical_unit}"


def check_value(code: str, value: float, comparator: str = "") -> ValueCheck:
    """The verdict on `value` (canonical unit; the bound of a censored value with its
    `comparator`). KeyError for an unknown analyte code."""
    analyte = get_analyte(code)
    shown = _shown(analyte, value, comparator)
    below = comparator in ("<", "<=")
    if value < 0 or (value == 0 and comparator == "<"):
        return ValueCheck(Verdict.IMPOSSIBLE, f"{shown} cannot be true: no result is negative")
    if value == 0 and not analyte.zero_possible and comparator not in (">", ">="):
        return ValueCheck(
            Verdict.IMPOSSIBLE,
            f"{shown} cannot be true: {analyte.name.lower()} is never 0 in a living patient",
        )
    if value > analyte.possible_high and not below:
        limit = f"{fmt_number(analyte.possible_high)} {analyte.canonical_unit}"
        return ValueCheck(
            Verdict.NEEDS_REVIEW,
            f"{NEEDS_REVIEW_PREFIX}: {shown} is above {limit}, beyond values reported in a "
            f"living patient (a wrong unit?); {REVIEW_ACTION}",
        )
    if (value < analyte.plausible_low and comparator not in (">", ">=")) or (
        value > analyte.plausible_high and not below
    ):
        low, high = fmt_number(analyte.plausible_low), fmt_number(analyte.plausible_high)
        return ValueCheck(
            Verdict.UNUSUAL,
            f"{shown} is unusual (outside {low}-{high} {analyte.canonical_unit}) but possible; "
            "graded, please check",
        )
    return ValueCheck(Verdict.OK, "")


def review_reason(code: str, value: float, comparator: str = "") -> str:
    """The stored reason of a result held for review, even where the limits have since moved."""
    checked = check_value(code, value, comparator)
    if checked.verdict is Verdict.NEEDS_REVIEW:
        return checked.reason
    analyte = get_analyte(code)
    return (
        f"{NEEDS_REVIEW_PREFIX}: {_shown(analyte, value, comparator)} was held as beyond values "
        f"reported in a living patient; {REVIEW_ACTION}"
    )
