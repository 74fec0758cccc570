"""Censored results ("<0.1", ">600"): the interval such a value stands for, the points that
decide every grade in it, and the words for the grades it spans (clinical reference,
decision 6)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from irae_desktop.domain.grade_parts import fmt_number, is_close
from irae_desktop.domain.units import convert

# a value that has no grade by rule (a non-fasting glucose between ULN and the grade 3 bound)
NO_GRADE = "no grade"

# how the words mark a range and a value without a grade; grade_display reads them back
RANGE_WORDS = (": grade ", ": censored ")
UP_TO_WORDS = (": no grade, up to grade ", ": censored ")
NO_GRADE_WORDS = ": no grade, "

SIDES = {"<": "below", "<=": "at or below", ">": "above", ">=": "at or above"}


class Span(NamedTuple):
    """The grades of an interval: the lowest every value reaches (None: some values have no
    grade and none has grade 0), the highest any value gets, and whether some have no grade."""

    low: int | None
    high: int | None
    no_grade: bool


def breakpoints(
    code: str, unit: str, steps: Iterable[Any], extra: float | None
) -> tuple[float, ...]:
    """Every threshold of these steps in `unit` (absolute bounds of another unit converted),
    positive, sorted, with thresholds equal within the grading tolerance kept once."""
    found = set()
    for step in steps:
        for threshold, _above, _inclusive, to_unit in step[2]:
            found.add(threshold if to_unit is None else convert(code, threshold, to_unit, unit))
    if extra is not None:
        found.add(extra)
    kept: list[float] = []
    for b in sorted(found):
        if b > 0 and math.isfinite(b) and not (kept and is_close(kept[-1], b)):
            kept.append(b)
    return tuple(kept)


def interval_points(bound: float, comparator: str, breaks: Sequence[float]) -> list[float]:
    """Values that between them meet every grade a value of the interval can have: each
    threshold inside it, a point between each two neighbours, the bound when it is included
    and, above, a point past the last threshold. Grades only change at thresholds."""
    below = comparator.startswith("<")
    inner = [b for b in breaks if (b < bound if below else b > bound) and not is_close(b, bound)]
    if below:
        edges = [0.0, *inner, bound]
    else:
        edges = [bound, *inner, 2.0 * (inner[-1] if inner else bound) + 1.0]
    points = [(a + b) / 2.0 for a, b in itertools.pairwise(edges)]
    points.extend(inner)
    if not below:
        points.append(edges[-1])
    if comparator.endswith("="):
        points.append(bound)
    return sorted(points)  # in order, so the first missing reference met is always the same


def grade_span(found: Iterable[tuple[int | str, int]]) -> Span:
    """The span of the grades (or NO_GRADE marks) met at the interval's points."""
    grades = [g for g, _ in found if isinstance(g, int)]
    no_grade = any(g == NO_GRADE for g, _ in found)
    low = min(grades) if grades else None
    if no_grade and low is not None and low > 0:
        low = None  # the values without a grade are certain to reach no grade at all
    return Span(low, max(grades) if grades else None, no_grade)


def censored_words(
    shown: str,
    bound_reason: str,
    span: Span,
    comparator: str,
    bound: float,
    unit: str,
    name: str,
    label: str,
    notes: list[str],
) -> str:
    """The reason of a censored result: its multiple at the bound (if any), the grade or
    grades, the interval in words and what the stored grade means."""
    detail = ""
    if bound_reason.startswith(shown + " = "):
        rest = bound_reason[len(shown) :]
        detail = rest[: rest.find(")") + 1]
    where = f"censored {SIDES[comparator]} {fmt_number(bound)} {unit}"
    named = f", {name}" if name else ""
    low, high = span.low, span.high
    if low is not None and low == high and not span.no_grade:
        more = "; ".join([f"{where}: every value of it reaches grade {low}", *notes])
        return f"{shown}{detail}{named}: grade {low}, {label} ({more})"
    if low is not None:
        certain = f"at least grade {low}, possibly up to grade {high}"
        more = "; ".join([certain, *notes])
        grades = f"{RANGE_WORDS[0]}{low} to {high}{RANGE_WORDS[1]}{where[len('censored ') :]}"
        return f"{shown}{detail}{named}{grades}, {label} ({more})"
    if high is not None:
        more = "; ".join([*notes, "higher values of the interval are graded"])
        grades = f"{UP_TO_WORDS[0]}{high}{UP_TO_WORDS[1]}{where[len('censored ') :]}"
        return f"{shown}{named}{grades}, {label} ({more})"
    return f"{shown}{named}: no grade: {where}, {label} ({'; '.join(notes)})"
