"""Criteria sets (CTCAE versions) read from the data files in resources/criteria/."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from irae_desktop.domain.analytes import ANALYTES
from irae_desktop.domain.units import normalise_unit

DEFAULT_CRITERIA = "ctcae-5.0"

Basis = Literal["ULN", "LLN", "baseline", "absolute"]
Direction = Literal["above", "below"]
BaselineKind = Literal["normal", "abnormal", "any"]
_BASES = ("ULN", "LLN", "baseline", "absolute")


class CriteriaError(ValueError):
    """An unknown criteria set, or a criteria file that does not follow the expected shape."""


@dataclass(frozen=True, slots=True)
class Condition:
    """value above (or below) a multiple of a reference, or an absolute bound per unit."""

    basis: Basis
    direction: Direction
    inclusive: bool
    multiple: float | None
    absolute: tuple[tuple[str, float], ...]
    optional: bool  # skipped when its reference is unknown
    # what is assumed when an optional condition is skipped, said in the reason
    assumed: str | None = None
    # a baseline condition that holds only for a baseline below the LLN (CTCAE v6.0
    # creatinine: "x baseline if baseline is below LLN"); skipped otherwise, so it is optional
    baseline_below_lln: bool = False


@dataclass(frozen=True, slots=True)
class Band:
    grade: int
    conditions: tuple[Condition, ...]
    remark: str | None


@dataclass(frozen=True, slots=True)
class RuleSet:
    high: tuple[Band, ...]  # highest grade first
    low: tuple[Band, ...]
    high_name: str | None
    low_name: str | None
    zero_note: str | None
    zero_note_above_uln: str | None
    # above the ULN but below every band of this side: no grade at all, for this reason
    no_grade_above_uln: str | None = None


@dataclass(frozen=True, slots=True)
class Term:
    term: str
    label: str
    rules: dict[BaselineKind, RuleSet]


@dataclass(frozen=True, slots=True)
class CriteriaSet:
    id: str
    label: str
    source: str
    terms: dict[str, Term]  # by analyte code
    not_graded: dict[str, str]  # analyte code -> why


def _condition(raw: dict[str, Any], where: str) -> Condition:
    basis = raw.get("basis")
    if basis not in _BASES:
        raise CriteriaError(f"{where}: basis must be one of {', '.join(_BASES)}, not {basis!r}")
    if ("above" in raw) == ("below" in raw):
        raise CriteriaError(f"{where}: a condition needs exactly one of 'above' or 'below'")
    direction: Direction = "above" if "above" in raw else "below"
    bound = raw[direction]
    multiple: float | None = None
    absolute: tuple[tuple[str, float], ...] = ()
    if basis == "absolute":
        if not isinstance(bound, dict) or not bound:
            raise CriteriaError(f"{where}: an absolute bound maps units to numbers")
        absolute = tuple((normalise_unit(unit), float(v)) for unit, v in bound.items())
    else:
        if not isinstance(bound, int | float) or bound < 0:
            raise CriteriaError(f"{where}: a multiple must be a non-negative number")
        multiple = float(bound)
    optional = bool(raw.get("optional", False))
    below_lln = bool(raw.get("only_if_baseline_below_lln", False))
    if below_lln and (basis != "baseline" or not optional):
        raise CriteriaError(
            f"{where}: only an optional baseline condition can hold only below the LLN"
        )
    return Condition(
        basis=basis,
        direction=direction,
        inclusive=bool(raw.get("inclusive", False)),
        multiple=multiple,
        absolute=absolute,
        optional=optional,
        assumed=raw.get("assumed"),
        baseline_below_lln=below_lln,
    )


def _bands(raw: list[dict[str, Any]], where: str) -> tuple[Band, ...]:
    """The bands of one side, highest grade first. Two bands of one grade are alternatives
    (CTCAE's "; " between criteria: creatinine >1.5 x ULN or >1.5 x baseline): the grade
    holds when either does, and a band whose every condition is skipped for want of its
    reference applies to nothing."""
    bands = []
    for i, item in enumerate(raw):
        grade = item.get("grade")
        if grade not in (1, 2, 3, 4, 5):
            raise CriteriaError(f"{where}[{i}]: grade must be 1-5, not {grade!r}")
        conditions = tuple(_condition(c, f"{where}[{i}]") for c in item.get("when", []))
        if not conditions:
            raise CriteriaError(f"{where}[{i}]: a band needs at least one condition")
        bands.append(Band(grade=grade, conditions=conditions, remark=item.get("remark")))
    return tuple(sorted(bands, key=lambda b: b.grade, reverse=True))


def _rule_set(raw: dict[str, Any], where: str) -> RuleSet:
    return RuleSet(
        high=_bands(raw.get("high", []), f"{where}.high"),
        low=_bands(raw.get("low", []), f"{where}.low"),
        high_name=raw.get("high_name"),
        low_name=raw.get("low_name"),
        zero_note=raw.get("zero_note"),
        zero_note_above_uln=raw.get("zero_note_above_uln"),
        no_grade_above_uln=raw.get("no_grade_above_uln"),
    )


def parse_criteria(data: dict[str, Any]) -> CriteriaSet:
    """Checks and builds a criteria set from the decoded JSON of a criteria file."""
    cid = data.get("id")
    label = data.get("label")
    if not isinstance(cid, str) or not isinstance(label, str):
        raise CriteriaError("a criteria file needs a string 'id' and 'label'")
    terms: dict[str, Term] = {}
    for n, raw_term in enumerate(data.get("terms", [])):
        where = f"{cid} term {n + 1}"
        rules: dict[BaselineKind, RuleSet] = {}
        for kind in ("normal", "abnormal", "any"):
            if kind in raw_term.get("rules", {}):
                rules[kind] = _rule_set(raw_term["rules"][kind], f"{where}.{kind}")
        if (
            not rules
            or ("any" in rules and len(rules) > 1)
            or ("abnormal" in rules) != ("normal" in rules)
        ):
            raise CriteriaError(f"{where}: rules are either 'any' or both 'normal' and 'abnormal'")
        term = Term(term=raw_term.get("term", ""), label=raw_term.get("label", label), rules=rules)
        for code in raw_term.get("analytes", []):
            if code not in ANALYTES:
                raise CriteriaError(f"{where}: unknown analyte {code!r}")
            if code in terms:
                raise CriteriaError(f"{where}: analyte {code} appears in two terms")
            terms[code] = term
    not_graded = {str(k): str(v) for k, v in data.get("not_graded", {}).items()}
    return CriteriaSet(
        id=cid, label=label, source=str(data.get("source", "")), terms=terms, not_graded=not_graded
    )


def _shipped_ids() -> list[str]:
    folder = resources.files("irae_desktop.resources").joinpath("criteria")
    return sorted(
        e.name.removesuffix(".json") for e in folder.iterdir() if e.name.endswith(".json")
    )


def available_criteria() -> dict[str, str]:
    """Criteria set id -> label, for every file shipped in resources/criteria/."""
    return {cid: load_criteria(cid).label for cid in _shipped_ids()}


@cache
def load_criteria(criteria_id: str = DEFAULT_CRITERIA) -> CriteriaSet:
    """The criteria set with this id (file resources/criteria/<id>.json); CriteriaError if none."""
    name = (criteria_id or DEFAULT_CRITERIA).strip()
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise CriteriaError(f"unknown criteria set {criteria_id!r}")
    entry = resources.files("irae_desktop.resources").joinpath("criteria", f"{name}.json")
    if not entry.is_file():
        shipped = ", ".join(_shipped_ids())
        raise CriteriaError(f"unknown criteria set {criteria_id!r} (shipped: {shipped})")
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CriteriaError(f"criteria file {name}.json cannot be read: {exc}") from exc
    criteria = parse_criteria(data)
    if criteria.id != name:
        raise CriteriaError(f"criteria file {name}.json declares id {criteria.id!r}")
    return criteria


@cache
def grades_in_reported_unit(code: str) -> bool:
    """Clinical reference, decision 8: an analyte some shipped criteria set gives absolute
    thresholds for in more than one unit (glucose, hemoglobin, cholesterol, triglycerides) is
    graded in the unit it was reported in, since the columns are rounded separately (CTCAE's
    hemoglobin 4.9 mmol/L is 7.9 g/dL, not 8.0). Others are graded in the canonical unit."""
    for criteria_id in _shipped_ids():
        term = load_criteria(criteria_id).terms.get(code)
        if term is None:
            continue
        for rules in term.rules.values():
            for band in (*rules.high, *rules.low):
                if any(len(cond.absolute) > 1 for cond in band.conditions):
                    return True
    return False
