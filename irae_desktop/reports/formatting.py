"""How numbers, dates, grades and analytes are written on paper: one place, so every page agrees."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from irae_desktop.domain.analytes import ANALYTES, display_rank, organ_analytes
from irae_desktop.domain.analytes import analyte_label as analyte_label
from irae_desktop.domain.criteria import CriteriaError, load_criteria
from irae_desktop.domain.units import UnitError, display_unit, from_canonical
from irae_desktop.domain.value_format import range_text, text_in_units, value_text
from irae_desktop.reports.fonts import SANS, paragraph_markup

# the team's display zone for the report being built (per thread/task, so workers do not clash)
_DISPLAY_TZ: ContextVar[tzinfo | None] = ContextVar("display_tz", default=None)
# the team's unit system ("US" or "SI") for the report being built
_UNITS: ContextVar[str] = ContextVar("display_units", default="US")

# episode organ words as typed by clinicians, mapped to the lab organ that grades them
EPISODE_ORGAN: dict[str, str] = {
    "hepatitis": "liver",
    "liver": "liver",
    "diabetes": "glucose",
    "hyperglycemia": "glucose",
    "hyperglycaemia": "glucose",
}

DASH = "–"


def analyte_sort_key(code: str) -> tuple[int, str]:
    """The analyte table's display order, the same as on screen."""
    return display_rank(code)


def number(value: float | None, *, digits: int | None = None) -> str:
    """Significant precision without noise: 892, 2.3, 0.06 - never 892.0000001."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    if digits is not None:
        return f"{value:.{digits}f}"
    magnitude = abs(value)
    if magnitude >= 10 and float(value).is_integer():
        return f"{value:.0f}"
    if magnitude >= 100:
        return f"{value:.0f}"
    if float(value).is_integer():
        return f"{value:.1f}"
    if magnitude >= 10:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    if magnitude >= 1:
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{value:.3g}"


def page_count(pages: int) -> str:
    """ "1 page", "3 pages": the count every message about a written PDF gives."""
    return f"{pages} page" if pages == 1 else f"{pages} pages"


def amount(value: float | None) -> str:
    """A dose or weight as prescribed: 5 mg, 0.5 mg, 1000 mg, 62.5 mg (no trailing zeros)."""
    if value is None:
        return DASH
    return f"{round(value, 2):g}"


_COMPARATOR_GLYPH = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "": ""}


def lab_value(value: float, comparator: str = "") -> str:
    """A result as reported, keeping a censored result's comparator (<0.1, ≥600)."""
    return f"{_COMPARATOR_GLYPH.get(comparator, comparator)}{number(value)}"


# the liver analytes: graded as multiples of the ULN (clinical reference, section 2); glucose
# is graded on absolute values and C-peptide not at all, so a multiple of their ULN would only
# mislead
MULTIPLE_OF_ULN = organ_analytes("liver")


def times_uln(value: float, uln: float | None, analyte: str | None = None) -> str:
    if uln is None or uln <= 0 or (analyte is not None and analyte not in MULTIPLE_OF_ULN):
        return DASH
    return f"{value / uln:.1f}×"


def grade_text(grade: int | None) -> str:
    return DASH if grade is None else f"G{grade}"


def trend_arrow(previous: float | None, latest: float, *, tolerance: float = 0.1) -> str:
    """↑ or ↓ when the change from the previous result exceeds 10 %, → otherwise."""
    if previous is None:
        return ""
    if previous == 0:
        return "↑" if latest > 0 else "→"
    change = (latest - previous) / abs(previous)
    if change > tolerance:
        return "↑"
    if change < -tolerance:
        return "↓"
    return "→"


@contextmanager
def display_timezone(name: str | None) -> Iterator[tzinfo | None]:
    """Shows times in the named zone while a report is built (the machine's zone if unknown)."""
    zone: tzinfo | None = None
    if name:
        try:
            zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            zone = None
    token = _DISPLAY_TZ.set(zone)
    try:
        yield zone
    finally:
        _DISPLAY_TZ.reset(token)


@contextmanager
def display_units(system: str | None) -> Iterator[str]:
    """Shows lab values in the team's unit system ("US" canonical units, or "SI")."""
    chosen = "SI" if system == "SI" else "US"
    token = _UNITS.set(chosen)
    try:
        yield chosen
    finally:
        _UNITS.reset(token)


def shown(analyte: str, value: float, unit: str) -> tuple[float, str]:
    """A stored value (canonical unit) in the display system; left as stored if it is not in
    the canonical unit or the analyte is unknown, so nothing is ever converted twice."""
    if _UNITS.get() == "US" or analyte not in ANALYTES:
        return value, unit
    if ANALYTES[analyte].canonical_unit != unit:
        return value, unit
    try:
        return from_canonical(analyte, value, "SI")
    except UnitError:
        return value, unit


def shown_bound(analyte: str, value: float | None, unit: str) -> float | None:
    return None if value is None else shown(analyte, value, unit)[0]


def lab_text(analyte: str, value: float, unit: str, comparator: str = "") -> tuple[str, str]:
    """A stored result in the report's unit system at clinical precision, with its comparator,
    and the unit it is shown in: the same text the window shows."""
    return value_text(analyte, value, unit, _UNITS.get(), comparator)


def lab_range(analyte: str, lln: float | None, uln: float | None, unit: str) -> str:
    """A reference range in the report's unit system at clinical precision ("2–21")."""
    return range_text(analyte, lln, uln, unit, _UNITS.get())


def rule_text(text: str | None) -> str:
    """A stored rule or alert text in the report's unit system, analytes by their labels."""
    return text_in_units(text or "", _UNITS.get())


def display_unit_for(analyte: str, fallback: str) -> str:
    if _UNITS.get() == "US" or analyte not in ANALYTES:
        return fallback
    return display_unit(analyte, "SI")


def local_time(moment: datetime) -> datetime:
    return moment.astimezone(_DISPLAY_TZ.get())


# strftime's %b follows the process locale (Qt sets it from the desktop on Linux), so a page
# would mix English labels with another language's months; these names are the same everywhere
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_name(day: date) -> str:
    return MONTHS[day.month - 1]


def local_midnight(day: date) -> datetime:
    """The instant day `day` begins in the report's zone (the team's clinical time zone)."""
    zone = _DISPLAY_TZ.get() or datetime.now().astimezone().tzinfo
    return datetime.combine(day, time(0), tzinfo=zone)


def date_text(day: date | datetime | None) -> str:
    if day is None:
        return DASH
    if isinstance(day, datetime):
        day = local_time(day).date()
    return f"{day.day:02d} {month_name(day)} {day.year}"


def short_date(day: date | datetime | None) -> str:
    if day is None:
        return DASH
    if isinstance(day, datetime):
        day = local_time(day).date()
    return f"{day.day:02d} {month_name(day)}"


def datetime_text(moment: datetime | None) -> str:
    if moment is None:
        return DASH
    local = local_time(moment)
    return f"{date_text(local.date())} {local:%H:%M} " + (local.tzname() or "")


def criteria_label(criteria_id: str | None) -> str:
    """'ctcae-5.0' -> 'CTCAE v5.0'; unknown ids are shown as stored so nothing is invented."""
    if not criteria_id:
        return "not graded"
    try:
        return load_criteria(criteria_id).label
    except CriteriaError:
        return criteria_id


def markup(
    text: str | None,
    *,
    size: float | None = None,
    width: float | None = None,
    font_name: str = SANS,
    taken: float = 0.0,
) -> str:
    """Free text made safe for reportlab Paragraph markup, line breaks kept; each line in
    visual order with the characters DejaVu lacks (CJK) tagged with a font that has them.

    Give the paragraph's font size and the width it wraps at (its cell's width less padding)
    wherever the text may run longer than a line: right-to-left prose is then broken into
    lines before it is reordered, so its lines come in reading order. `taken` is what the
    paragraph's first line holds before this text (a bold label, say)."""
    if not text:
        return ""
    return "<br/>".join(
        paragraph_markup(line, font_name, size=size, width=width, taken=taken if i == 0 else 0.0)
        for i, line in enumerate(text.split("\n"))
    )
