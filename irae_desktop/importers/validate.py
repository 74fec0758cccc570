"""Turns a raw result into a checked LabRecord in the canonical unit, or says why it cannot."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from irae_desktop.domain.analyte_names import OTHER_SPECIMEN_OR_FRACTION, URINE_PREFIXES
from irae_desktop.domain.analytes import (
    Analyte,
    lookup_analyte,
    lookup_shared_name,
    normalise_name,
)
from irae_desktop.domain.plausibility import Verdict, check_value
from irae_desktop.domain.records import LabRecord, ResultStatus
from irae_desktop.domain.units import (
    UnitError,
    accepted_units,
    is_percent,
    measures,
    normalise_unit,
    to_canonical,
)
from irae_desktop.domain.values import ValueTextError, depends_on_convention, parse_result_text
from irae_desktop.importers.csv_sample import NumberConvention
from irae_desktop.importers.raw import RawResult
from irae_desktop.importers.timeparse import TimeTextError, parse_datetime_text
from irae_desktop.store.lab_rows import LabRow

_RANGE = re.compile(
    r"^\s*(?P<low>[0-9.,]+)?\s*(?:-|_|–|to)\s*(?P<high>[0-9.,]+)?\s*$|^\s*(?P<cmp><=|>=|<|>)\s*(?P<bound>[0-9.,]+)\s*$"
)
# a collection time this far ahead of now is a wrong date, not a clock difference
FUTURE_TOLERANCE = timedelta(days=1)
_STATUS = {
    "final": ResultStatus.FINAL,
    "f": ResultStatus.FINAL,
    "corrected": ResultStatus.CORRECTED,
    "amended": ResultStatus.CORRECTED,
    "c": ResultStatus.CORRECTED,
    "preliminary": ResultStatus.PRELIMINARY,
    "p": ResultStatus.PRELIMINARY,
}


@dataclass(frozen=True, slots=True)
class Rejected:
    ref: str
    column: str
    reason: str


@dataclass(frozen=True, slots=True)
class NotTracked:
    ref: str
    test: str


_LOINC = re.compile(r"^\d{1,7}-\d$")
_PARENS = re.compile(r"^(?P<outer>[^()]*)\((?P<inner>[^()]+)\)\s*$")
# words that make a test name a percentage ("Lymphocytes percent", "Lymphozyten Prozent")
_PERCENT_WORDS = frozenset({"percent", "pct", "prozent", "pourcentage", "porcentaje"})


def _lookup_parts(name: str) -> Analyte | None:
    """ "Alanine Aminotransferase (ALT)": the abbreviation in brackets, else the words before it.

    Both parts must agree when both are known, so a label cannot pick a test by accident, and
    a name that says another specimen or fraction is not matched by its other part.
    """
    m = _PARENS.match(name.strip())
    if m is None:
        return None
    words = normalise_name(name).split()
    if (words and words[0] in URINE_PREFIXES) or OTHER_SPECIMEN_OR_FRACTION.intersection(words):
        # "Glukose (Urin)", "Bilirubin (indirekt)": the known part names a different test
        return None
    inner = lookup_analyte(m.group("inner"))
    outer = lookup_analyte(m.group("outer"))
    if inner is not None and outer is not None and inner.code != outer.code:
        return None
    return inner or outer


class Validator:
    """Checks rows of one file; caches analyte and time look-ups, which repeat a lot."""

    def __init__(
        self,
        zone: tzinfo,
        *,
        decimal_comma: bool | None = None,
        convention: NumberConvention | None = None,
        date_order: str = "auto",
        now: datetime | None = None,
    ):
        self.zone = zone
        # a CSV file's decimal mark, decided from its opening rows (see csv_sample); without
        # one, either mark is read where the text is unambiguous
        self.convention = convention
        self.decimal_comma = convention.decimal_comma if convention else decimal_comma
        self.date_order = date_order
        self.latest = (now or datetime.now(UTC)) + FUTURE_TOLERANCE
        self._analytes: dict[tuple[str, str, bool], Analyte | None] = {}
        self._shared: dict[tuple[str, str, bool], Analyte | None] = {}
        self._times: dict[str, datetime | str] = {}
        self._canonical_units: dict[tuple[str, str], bool] = {}
        # result texts repeat (the same few hundred values per test): parse each once
        self._values: dict[str, tuple[float, str, str]] = {}
        self._ranges: dict[
            tuple[str, str, str, str, str], tuple[float | None, float | None, tuple[str, ...]]
        ] = {}

    def analyte(self, raw: RawResult) -> Analyte | None:
        key = (raw.code, raw.name, raw.code_is_standard)
        if key in self._analytes:
            return self._analytes[key]
        found = lookup_analyte(raw.code) if raw.code else None
        standard = raw.code_is_standard or bool(_LOINC.match(raw.code))
        if found is None and raw.name and not (raw.code and standard):
            # a standard code we do not track names another test; only local codes fall back
            found = lookup_analyte(raw.name) or _lookup_parts(raw.name)
        if len(self._analytes) > 50_000:
            self._analytes.clear()
        self._analytes[key] = found
        return found

    def shared(self, raw: RawResult) -> Analyte | None:
        """The analyte a shared name in the row may stand for (see Analyte.shared_names);
        never for a standard code, which names one test."""
        key = (raw.code, raw.name, raw.code_is_standard)
        if key in self._shared:
            return self._shared[key]
        found: Analyte | None = None
        if not (raw.code and (raw.code_is_standard or _LOINC.match(raw.code))):
            by_code = lookup_shared_name(raw.code) if raw.code else None
            found = by_code or lookup_shared_name(raw.name)
        if len(self._shared) > 50_000:
            self._shared.clear()
        self._shared[key] = found
        return found

    def _time(self, text: str) -> datetime | str:
        cached = self._times.get(text)
        if cached is not None:
            return cached
        try:
            parsed: datetime | str = parse_datetime_text(
                text, self.zone, date_order=self.date_order
            )
        except TimeTextError as exc:
            parsed = str(exc)
        if len(self._times) > 50_000:
            self._times.clear()
        self._times[text] = parsed
        return parsed

    def _canonical(self, analyte: Analyte, value: float, unit: str) -> float:
        key = (analyte.code, unit)
        same = self._canonical_units.get(key)
        if same is None:
            converted = to_canonical(analyte.code, 1.0, unit)  # raises UnitError for a bad unit
            try:
                same = normalise_unit(unit) == analyte.canonical_unit and converted == 1.0
            except UnitError:
                same = False
            self._canonical_units[key] = same
        return value if same else to_canonical(analyte.code, value, unit)

    def _bound(self, text: str) -> float:
        return self._number(text)[0]

    def _number(self, text: str) -> tuple[float, str, str]:
        """(value, comparator, provenance): the provenance says how the file's decimal mark
        read a number that reads two ways ("1.020"), and is empty for any other."""
        convention = self.convention
        if convention is None or not depends_on_convention(text):
            return (*parse_result_text(text, decimal_comma=self.decimal_comma), "")
        if convention.decimal_comma is None:
            comma, _ = parse_result_text(text, decimal_comma=True)
            point, _ = parse_result_text(text, decimal_comma=False)
            raise ValueTextError(
                f"result {text.strip()!r} is ambiguous: {comma:g} if the file writes decimal "
                f"commas, {point:g} if it writes decimal points, and the file does not say "
                f"({convention.basis}); set the decimal separator in a column mapping"
            )
        value, comparator = parse_result_text(text, decimal_comma=convention.decimal_comma)
        return value, comparator, convention.reading(text.strip(), value)

    def _range(
        self, raw: RawResult, analyte: Analyte, unit: str, warnings: list[str]
    ) -> tuple[float | None, float | None]:
        low: float | None = None
        high: float | None = None
        try:
            if raw.low_text or raw.high_text:
                low = self._bound(raw.low_text) if raw.low_text else None
                high = self._bound(raw.high_text) if raw.high_text else None
            elif raw.range_text:
                m = _RANGE.match(raw.range_text)
                if m is None:
                    raise ValueTextError(f"reference range {raw.range_text!r} not understood")
                if m.group("cmp"):
                    bound = self._bound(m.group("bound"))
                    if m.group("cmp").startswith("<"):
                        high = bound
                    else:
                        low = bound
                else:
                    low = self._bound(m.group("low")) if m.group("low") else None
                    high = self._bound(m.group("high")) if m.group("high") else None
            low = self._canonical(analyte, low, unit) if low is not None else None
            high = self._canonical(analyte, high, unit) if high is not None else None
        except (ValueTextError, UnitError) as exc:
            warnings.append(f"reference range ignored: {exc}")
            return None, None
        if low is not None and high is not None and low > high:
            warnings.append(f"reference range {low:g}-{high:g} has low above high; ignored")
            return None, None
        return low, high

    def check(self, raw: RawResult) -> LabRecord | Rejected | NotTracked:
        """The checked record, or why not; the caller has already tested `raw.is_lab`."""
        checked = self.check_row(raw)
        return checked.record() if isinstance(checked, LabRow) else checked

    def check_row(self, raw: RawResult) -> LabRow | Rejected | NotTracked:
        """As `check`, as the lighter row the bulk writer takes."""
        col = raw.column
        analyte = self.analyte(raw)
        if analyte is None:
            shared = self.shared(raw)
            if shared is None:
                return NotTracked(raw.ref, raw.name or raw.code)
            decided = by_unit(shared, raw)
            if decided is not None:
                return decided
            analyte = shared
        if raw.value_error:
            return Rejected(raw.ref, col.get("value", "value"), raw.value_error)
        ref = raw.ref
        try:
            if raw.number is not None:
                value, comparator = raw.number, raw.comparator
            else:
                parsed = self._values.get(raw.value_text)
                if parsed is None:
                    parsed = self._number(raw.value_text)
                    if len(self._values) > 50_000:
                        self._values.clear()
                    self._values[raw.value_text] = parsed
                value, comparator, reading = parsed
                if reading:
                    ref = f"{ref}; {reading}"
        except ValueTextError as exc:
            return Rejected(raw.ref, col.get("value", "value"), f"{analyte.code}: {exc}")
        try:
            canonical = self._canonical(analyte, value, raw.unit)
        except UnitError as exc:
            return Rejected(raw.ref, col.get("unit", "unit"), f"{analyte.code}: {exc}")
        if isinstance(raw.collected, datetime):
            collected: datetime | str = raw.collected
        elif raw.collected:
            collected = self._time(raw.collected)
        else:
            collected = "no collection date/time"
        if isinstance(collected, str):
            return Rejected(raw.ref, col.get("collected", "collected"), collected)
        if collected > self.latest:
            return Rejected(
                raw.ref,
                col.get("collected", "collected"),
                f"collection time {collected:%Y-%m-%d %H:%M} UTC is in the future",
            )
        status = _STATUS.get(raw.status.lower())
        if status is None:
            return Rejected(
                raw.ref, "status", f"result status {raw.status!r} is not final or corrected"
            )
        warnings = list(raw.warnings)
        if raw.range_text or raw.low_text or raw.high_text:
            # the same few ranges repeat on thousands of rows
            key = (raw.range_text, raw.low_text, raw.high_text, analyte.code, raw.unit)
            cached = self._ranges.get(key)
            if cached is None:
                range_warnings: list[str] = []
                low, high = self._range(raw, analyte, raw.unit, range_warnings)
                cached = (low, high, tuple(range_warnings))
                if len(self._ranges) > 50_000:
                    self._ranges.clear()
                self._ranges[key] = cached
            lln, uln = cached[0], cached[1]
            warnings.extend(cached[2])
        else:
            lln = uln = None
        verdict, why = check_value(analyte.code, canonical, comparator)
        if verdict is Verdict.IMPOSSIBLE:
            return Rejected(raw.ref, col.get("value", "value"), why)
        if verdict is not Verdict.OK:
            warnings.append(why)
        if verdict is Verdict.NEEDS_REVIEW:
            status = ResultStatus.NEEDS_REVIEW
        original = raw.value_text or f"{raw.comparator}{raw.number}"
        return LabRow(
            raw.mrn,
            analyte.code,
            collected,
            canonical,
            analyte.canonical_unit,
            comparator,
            original[:100],
            raw.unit[:32],
            lln,
            uln,
            status,
            raw.flag[:8] or None,
            ref[:200],
            tuple(warnings),
        )


def _says_percent(raw: RawResult) -> bool:
    words = set(normalise_name(f"{raw.code} {raw.name}").split())
    return "%" in raw.code or "%" in raw.name or bool(_PERCENT_WORDS & words)


def by_unit(analyte: Analyte, raw: RawResult) -> NotTracked | Rejected | None:
    """A row named by a shared name: None when its unit makes it `analyte`; otherwise the
    percentage of the white-cell differential or another test (not tracked, the reason in
    the summary's list), or, without a unit to tell, refused: never stored as a count on a
    guess (clinical reference, section 6)."""
    test = raw.name or raw.code
    unit_column = raw.column.get("unit", "unit")
    percent = _says_percent(raw)
    if raw.unit.strip() and measures(analyte.code, raw.unit):
        if not percent:
            return None
        return Rejected(
            raw.ref,
            unit_column,
            f"{analyte.code}: the test {test!r} says a percentage and the unit "
            f"{raw.unit.strip()!r} a count; not stored",
        )
    if percent or is_percent(raw.unit):
        return NotTracked(
            raw.ref,
            f"{test} (a percentage, not the {analyte.name.lower()} tracked as {analyte.code})",
        )
    if raw.unit.strip():
        return NotTracked(raw.ref, test)  # another test of that name ("TG" in ng/mL)
    return Rejected(
        raw.ref,
        unit_column,
        f"{analyte.code}: {test!r} with no unit may be the {analyte.name.lower()} or a "
        f"percentage or another test; not stored (expected {accepted_units(analyte.code)})",
    )


def birth_year_ok(birth: date) -> bool:
    return 1900 <= birth.year <= datetime.now(UTC).year
