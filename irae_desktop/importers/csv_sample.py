"""A first look at a CSV file's opening rows, before any row is imported: the file's decimal mark,
and whether columns a roster does not use hold lab results.

Only the first SAMPLE_ROWS rows are read here (the import then streams the whole file once).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import islice

from irae_desktop.domain.values import decimal_evidence
from irae_desktop.importers.sniff import FileFacts, open_text

SAMPLE_ROWS = 5000
# cells per column looked at to judge what a column holds
_CELLS_JUDGED = 200
_NUMBER_TOKEN = re.compile(r"\d[\d.,]*\d|\d")
_NUMBER_CELL = re.compile(r"^(<=|>=|<|>|≤|≥)?\s*[+-]?\s*(\d[\d.,]*|[.,]\d+)$")
_DATE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
_CLOCK = re.compile(r"\d{1,2}:\d{2}")

SampleRows = list[tuple[int, list[str]]]


def read_sample(facts: FileFacts, header_line: int, delimiter: str) -> SampleRows:
    """The first data rows with their line numbers (the header is line `header_line`)."""
    text, _ = open_text(facts)
    with text:
        for _ in range(header_line):
            if not text.readline():
                return []
        reader = csv.reader(text, delimiter=delimiter)
        return [(header_line + reader.line_num, row) for row in islice(reader, SAMPLE_ROWS)]


@dataclass(frozen=True, slots=True)
class NumberConvention:
    """A file's decimal mark: True for a comma, False for a point, None while undecided;
    `basis` says what decided it (or, when undecided, why)."""

    decimal_comma: bool | None
    basis: str

    def reading(self, text: str, value: float) -> str:
        """The provenance of a number the convention decided, e.g. "1.020" read as 1020."""
        mark = "decimal comma" if self.decimal_comma else "decimal point"
        return f"{text!r} read as {value:g} by the file's {mark} ({self.basis})"


def find_convention(rows: SampleRows, columns: Sequence[int]) -> NumberConvention:
    """The decimal mark the sample's number cells show without doubt; undecided when they
    show none, or both."""
    first: dict[bool, str] = {}
    seen: set[str] = set()  # the same few hundred values repeat
    for line, row in rows:
        for index in columns:
            cell = row[index].strip() if index < len(row) else ""
            if cell in seen or ("," not in cell and "." not in cell):
                continue
            seen.add(cell)
            for token in _NUMBER_TOKEN.findall(cell):
                shown = decimal_evidence(token)
                if shown is not None and shown not in first:
                    first[shown] = f"line {line}: {cell!r}"
        if len(first) == 2:
            break
    if len(first) == 2:
        return NumberConvention(
            None,
            f"its opening rows write both a decimal comma ({first[True]}) and a decimal point "
            f"({first[False]})",
        )
    if first:
        ((comma, where),) = first.items()
        return NumberConvention(comma, f"as on {where}")
    return NumberConvention(
        None, f"its first {SAMPLE_ROWS} rows show neither a decimal comma nor a decimal point"
    )


def _cells(rows: SampleRows, index: int) -> list[str]:
    cells = []
    for _, row in rows:
        cell = row[index].strip() if index < len(row) else ""
        if cell:
            cells.append(cell)
            if len(cells) == _CELLS_JUDGED:
                break
    return cells


def _mostly(cells: list[str], test: Callable[[str], bool]) -> bool:
    return bool(cells) and sum(1 for c in cells if test(c)) >= 0.8 * len(cells)


def result_like_columns(
    rows: SampleRows, header: list[str], unused: Sequence[int], is_analyte: Callable[[str], bool]
) -> list[str]:
    """Why the `unused` columns look like lab results, one reason per column that does: test
    names, or numbers beside a date-time column. Empty when they do not."""
    tests: list[str] = []
    numbers: list[str] = []
    times: list[str] = []
    for index in unused:
        cells = _cells(rows, index)
        name = header[index]
        if not cells:
            continue
        named = sorted({c for c in cells if is_analyte(c)})
        if named and len(named) * 2 >= len(set(cells)):
            tests.append(f"{name!r} holds test names ({', '.join(named[:3])})")
        elif _mostly(cells, lambda c: bool(_NUMBER_CELL.match(c))):
            numbers.append(f"{name!r} holds numbers ({cells[0]})")
        elif _mostly(cells, lambda c: bool(_DATE.search(c) and _CLOCK.search(c))):
            times.append(f"{name!r} holds dates with times ({cells[0]})")
    if tests or (numbers and times):
        return tests + numbers + times
    return []
