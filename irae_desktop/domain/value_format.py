"""How a lab value is written anywhere (window, paper, exports): unit system, clinical precision,
censoring comparator, reference range, and rule texts restated in the units on display."""

from __future__ import annotations

import re
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

from irae_desktop.domain.analytes import ANALYTES, analyte_label, decimals_for, normalise_name
from irae_desktop.domain.units import UnitError, convert, display_unit

COMPARATOR_GLYPHS: dict[str, str] = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "": ""}
_ASCII_COMPARATOR = {"≤": "<=", "≥": ">="}
DASH = "\u2013"


# a censoring limit is rounded outwards so the statement stays true: "<1.71" reads "<2", never
# "<1.7"; ">1.71" reads ">1", never ">2" (which would claim more than the lab measured)
_CENSOR_ROUNDING = {"<": ROUND_CEILING, "<=": ROUND_CEILING, ">": ROUND_FLOOR, ">=": ROUND_FLOOR}


def _rounded(value: float, places: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    # half away from zero as labs and people round (11.97 -> 12, 3.885 -> 3.9), on the value's
    # shortest decimal spelling so binary noise (0.7 * 17.1 = 11.969999...) cannot tip it
    quantum = Decimal(1).scaleb(-places)
    return Decimal(repr(float(value))).quantize(quantum, rounding=rounding)


def _significant(value: float) -> str:
    """Up to three significant figures, for a value with no clinical precision listed."""
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{_rounded(value, 0)}"
    if magnitude >= 10:
        return f"{_rounded(value, 1)}".rstrip("0").rstrip(".")
    if magnitude >= 1:
        return f"{_rounded(value, 2)}".rstrip("0").rstrip(".")
    return f"{value:.3g}"


def number_text(analyte: str, value: float, unit: str, comparator: str = "") -> str:
    """`value` (already in `unit`) at the analyte's clinical precision for that unit."""
    places = decimals_for(analyte, unit)
    if places is None:
        return _significant(value)
    rounded = _rounded(value, places, _CENSOR_ROUNDING.get(comparator, ROUND_HALF_UP))
    if rounded == 0 and value != 0:
        # a small value never reads as a plain zero: one significant figure instead
        return f"{value:.1g}"
    text = f"{rounded}"
    return "0" if text.lstrip("-") in ("0", "0." + "0" * places) else text


def convert_for_display(analyte: str, value: float, unit: str, system: str) -> tuple[float, str]:
    """A stored value in the chosen system's unit; left as it is when it cannot be converted
    (unknown analyte or unit), so a value is never shown in a unit it is not in."""
    try:
        target = display_unit(analyte, system)  # type: ignore[arg-type]
        if unit == target:
            return value, unit
        return convert(analyte, value, unit, target), target
    except (UnitError, KeyError):
        return value, unit


def value_text(
    analyte: str, value: float, unit: str, system: str, comparator: str = ""
) -> tuple[str, str]:
    """The value in the display system at clinical precision with its comparator ("<2"), and
    the unit it is shown in: bilirubin 0.7 mg/dL in SI is ("12", "µmol/L")."""
    shown, shown_unit = convert_for_display(analyte, value, unit, system)
    glyph = COMPARATOR_GLYPHS.get(comparator, comparator)
    return f"{glyph}{number_text(analyte, shown, shown_unit, comparator)}", shown_unit


def range_text(
    analyte: str, lln: float | None, uln: float | None, unit: str, system: str, none: str = DASH
) -> str:
    """A reference range in the display system: bilirubin 0.1-1.2 mg/dL in SI is "2–21"."""

    def bound(v: float) -> str:
        return value_text(analyte, v, unit, system)[0]

    if lln is None and uln is None:
        return none
    if lln is None:
        return f"≤{bound(uln)}" if uln is not None else none
    if uln is None:
        return f"≥{bound(lln)}"
    return f"{bound(lln)}\u2013{bound(uln)}"


def source_decimals(text: str) -> int | None:
    """Decimals written in a lab's own value text ("540.48" -> 2, "<0.1" -> 1, "12" -> 0)."""
    found = re.search(r"\d+(?:[.,](\d*))?", text or "")
    if found is None:
        return None
    return len(found.group(1) or "")


def export_number(
    analyte: str, value: float, unit: str, original_text: str, original_unit: str
) -> float:
    """A stored value rounded to the precision its source gave, for exports.

    Stored in the unit it came in, it keeps the source's decimals (540.48 stays 540.48, never
    540.4799999999999). Converted from another unit, the source's decimals say nothing about the
    stored unit, so it keeps one decimal more than the clinical precision of the stored unit.
    """
    places = source_decimals(original_text)
    same_unit = not original_unit or original_unit == unit
    if places is None or not same_unit:
        clinical = decimals_for(analyte, unit)
        if clinical is None:
            return value
        places = clinical + 1
    try:
        return float(_rounded(value, places))
    except InvalidOperation:
        return value


# --- rule and alert texts --------------------------------------------------------------------

_NUMBER = r"(?P<cmp><=|>=|<|>|≤|≥)?(?P<num>\d+(?:\.\d+)?)"
_UNITS = sorted({a.canonical_unit for a in ANALYTES.values()}, key=len, reverse=True)
_UNIT_ALT = "|".join(re.escape(u) for u in _UNITS)
# an analyte named in a text: product codes (upper case) and the names rule texts use
_NAME_TO_CODE: dict[str, str] = {}
for _a in ANALYTES.values():
    for _name in (_a.code, _a.label, _a.name):
        _NAME_TO_CODE.setdefault(normalise_name(_name), _a.code)
_NAME_TO_CODE.update({"bilirubin": "TBILI", "glucose": "GLUCOSE"})
_NAMES_ALT = "|".join(
    re.escape(n)
    for n in sorted(
        {c for c in ANALYTES} | {a.name for a in ANALYTES.values()} | {"bilirubin", "glucose"},
        key=len,
        reverse=True,
    )
)
_TOKENS = re.compile(
    rf"(?P<name>(?<![\w-])(?:{_NAMES_ALT}|beta-hydroxybutyrate|C-peptide)(?![\w-]))"
    rf"|(?P<value>{_NUMBER} (?P<unit>{_UNIT_ALT})(?![\w/]))"
    r"|(?P<bound>(?P<which>ULN|LLN) \((?P<bnum>\d+(?:\.\d+)?)\))",
    re.IGNORECASE,
)
# "0.2 nmol/L = 0.60 ng/mL" restated in SI says one amount twice: the first is kept
_SAME_AMOUNT = re.compile(r"(?P<first>\d+(?:\.\d+)? (?P<unit>[^\s()]+)) = \d+(?:\.\d+)? (?P=unit)")
_CODES = re.compile(r"\b(" + "|".join(sorted(ANALYTES, key=len, reverse=True)) + r")\b")


def _code_for(name: str) -> str | None:
    return _NAME_TO_CODE.get(normalise_name(name))


def text_in_units(text: str, system: str) -> str:
    """A rule or alert text as stored (canonical units, product codes) restated for display:
    every "<number> <canonical unit>" and "ULN (<number>)" of the analyte last named before it
    is converted to the display system at clinical precision, and product codes become labels
    ("TBILI 1.4 mg/dL = 1.2 x ULN (1.2)" in SI reads "Bilirubin 24 µmol/L = 1.2 x ULN (21)").
    The stored text stays the record; only its display changes."""
    current: str | None = None

    def restate(match: re.Match[str]) -> str:
        nonlocal current
        if match.group("name"):
            code = _code_for(match.group("name"))
            current = code or current
            return match.group(0)
        if current is None:
            return match.group(0)
        analyte = ANALYTES[current]
        if convert_for_display(current, 1.0, analyte.canonical_unit, system)[1] == (
            analyte.canonical_unit
        ):
            return match.group(0)  # no conversion: the number stays as the rule wrote it
        if match.group("value"):
            if match.group("unit") != analyte.canonical_unit:
                return match.group(0)
            cmp = _ASCII_COMPARATOR.get(match.group("cmp") or "", match.group("cmp") or "")
            number = float(match.group("num"))
            shown, unit = value_text(current, number, match.group("unit"), system, cmp)
            return f"{shown} {unit}"
        # a bound in parentheses carries no unit: it is in the analyte's canonical unit
        bound, _ = value_text(current, float(match.group("bnum")), analyte.canonical_unit, system)
        return f"{match.group('which')} ({bound})"

    restated = _SAME_AMOUNT.sub(r"\g<first>", _TOKENS.sub(restate, text))
    return _CODES.sub(lambda m: analyte_label(m.group(1)), restated)
