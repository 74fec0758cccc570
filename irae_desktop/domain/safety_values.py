"""How the treatment safety rules read a result against a limit: a censored value ("<0.2") meets
"below 0.5" only when every value it stands for does (clinical reference, decision 6), and may
meet it when some do; the words a rule uses to show a result."""

from __future__ import annotations

from datetime import date
from typing import Literal

from irae_desktop.domain.analytes import analyte_label
from irae_desktop.domain.grade_parts import fmt_number, is_close
from irae_desktop.domain.timeline import LabPoint, PatientTimeline

# "yes": every value the result stands for meets the limit; "maybe": some do (a censored
# result whose interval straddles the limit); "no": none does
Meets = Literal["yes", "maybe", "no"]


def meets_below(value: float, comparator: str, bound: float, inclusive: bool = False) -> Meets:
    """Whether the true value of a result (`value` with its `comparator`) is below `bound`, or
    at or below it when `inclusive`. Equal within the grading tolerance counts as equal
    (clinical reference, decision 2)."""
    at_bound = is_close(value, bound)
    under = value < bound and not at_bound
    # whether the one value at the result's edge (`value` itself, or just below or above it
    # for "<" and ">") meets the limit
    if comparator == "<":
        edge_meets = under or at_bound  # every value below 0.5 is below 0.5
    elif comparator == ">":
        edge_meets = under  # values above 0.5 are never below it
    else:
        edge_meets = under or (inclusive and at_bound)
    if comparator == "":
        return "yes" if edge_meets else "no"
    if comparator in ("<", "<="):
        # the interval reaches down to 0: when its top does not meet the limit, its bottom does
        return "yes" if edge_meets else "maybe"
    # ">" or ">=": the interval reaches up without end, so at most some of it meets the limit
    return "maybe" if edge_meets else "no"


def unit_words(unit: str) -> str:
    """A count's unit as clinicians write it: "x10^3/µL"."""
    return f"x{unit}" if unit.startswith("10^") else unit


def value_text(lab: LabPoint) -> str:
    """The result with its comparator and unit: "0.42 x10^3/µL", "<0.2 x10^3/µL"."""
    return f"{lab.comparator}{fmt_number(lab.value)} {unit_words(lab.unit)}"


def lab_text(timeline: PatientTimeline, lab: LabPoint) -> str:
    """The result named and dated: "ANC 0.42 x10^3/µL on 2026-03-10"."""
    day = timeline.day_of(lab.collected_at).isoformat()
    return f"{analyte_label(lab.analyte)} {value_text(lab)} on {day}"


def labs_between(
    timeline: PatientTimeline, analyte: str, first: date, last: date
) -> list[LabPoint]:
    """The analyte's results of the clinical days `first` to `last` (both included), oldest
    first."""
    return [
        lab
        for lab in timeline.labs_for(analyte)
        if first <= timeline.day_of(lab.collected_at) <= last
    ]
