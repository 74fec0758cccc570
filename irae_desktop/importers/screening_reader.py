"""Reads a CSV of infection screening results, one result per row: MRN, test, date, result and
an optional note, columns in any order, their headers in the languages the lab import reads
(importers/header_names.py: "Patienten-ID, Untersuchung, Datum, Ergebnis" is such a file too).

A file is one of screening results when its header reads as a lab file's one-result-per-row
layout (MRN, test, date and result columns) and the tests its first rows name are screening
tests (domain/screening_names.py) and none is a lab test this program tracks: a lab export
with HBsAg among its ALT results stays a lab export. Test names and results are read as plain
words in English, German, French and Spanish ("QuantiFERON", "HBcAb"; "non-reactive",
"negativ", "négatif")."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, tzinfo
from itertools import islice

from irae_desktop.domain.analytes import lookup_analyte
from irae_desktop.domain.screening_names import (
    known_tests_hint,
    result_words_hint,
    screening_result,
    screening_test,
)
from irae_desktop.importers.csv_layouts import detect_layout, normalise_header
from irae_desktop.importers.errors import ImportFileError
from irae_desktop.importers.raw import Problem
from irae_desktop.importers.sniff import FileFacts, open_text
from irae_desktop.importers.timeparse import TimeTextError, parse_day_text
from irae_desktop.importers.treatment_reader import first_row, sniff

LAYOUT = "infection screening"
# the rows read to tell a file of screening results from a lab export
SAMPLE_ROWS = 200
# headers of the optional note column, after csv_layouts.normalise_header
NOTE_HEADERS = frozenset(
    (
        "note", "notes", "comment", "comments", "remark", "remarks", "bemerkung", "bemerkungen",
        "kommentar", "anmerkung", "commentaire", "commentaires", "remarque", "remarques",
        "comentario", "comentarios", "observaciones", "nota", "notas", "commento", "opmerking",
        "opmerkingen",
    )
)  # fmt: skip
# field -> the lab layout's role that holds it
_ROLES = {"mrn": "mrn", "test": "test", "date": "collected", "result": "value"}


def _not_a_lab_test(_name: str) -> bool:
    return False


def screening_columns(header: list[str]) -> dict[str, int] | None:
    """Field (mrn, test, date, result, note) -> column index when `header` has the columns a
    file of screening results needs, else None."""
    try:
        layout = detect_layout(header, _not_a_lab_test)
    except ImportFileError:
        return None
    if layout.layout != "long" or not all(layout.has(role) for role in _ROLES.values()):
        return None
    columns = {name: layout.roles[role][0] for name, role in _ROLES.items()}
    note = next((i for i, h in enumerate(header) if normalise_header(h) in NOTE_HEADERS), None)
    if note is not None:
        columns["note"] = note
    return columns


def is_screening_file(facts: FileFacts) -> bool:
    """Whether a CSV file is one of screening results (see the module docstring)."""
    columns = screening_columns(first_row(facts))
    if columns is None:
        return False
    text, _ = open_text(facts)
    with text:
        rows = csv.reader(text, sniff(facts))
        next(rows, None)
        names = [
            row[columns["test"]].strip()
            for row in islice(rows, SAMPLE_ROWS)
            if columns["test"] < len(row) and row[columns["test"]].strip()
        ]
    if any(lookup_analyte(name) is not None for name in names):
        return False
    return any(screening_test(name) is not None for name in names)


@dataclass(frozen=True, slots=True)
class ReadScreening:
    """One row read: which test (a key of SCREENING_TESTS), the day and the result (one of
    SCREENING_RESULTS), as the file gave them."""

    ref: str
    mrn: str
    test: str
    taken_on: date
    result: str
    note: str | None


class _RowError(ValueError):
    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column = column


class ScreeningCsv:
    """The rows of a screening CSV, as ReadScreenings and Problems."""

    layout = LAYOUT

    def __init__(self, facts: FileFacts, zone: tzinfo, clinical_zone: tzinfo):
        self.facts = facts
        self.zone = zone  # for times without an offset
        self.clinical_zone = clinical_zone  # the day a timed result falls on
        dialect = sniff(facts)
        self._text, self._counter = open_text(facts)
        self._reader = csv.reader(self._text, dialect)
        self.header: list[str] = next(self._reader, [])
        found = screening_columns(self.header)
        if found is None:
            self._text.close()
            raise ImportFileError(f"{facts.path.name}: not a file of screening results.")
        self.columns = found

    def fraction(self) -> float:
        return min(1.0, self._counter.bytes_read / self.facts.size) if self.facts.size else 1.0

    def close(self) -> None:
        self._text.close()

    def rows(self) -> Iterator[ReadScreening | Problem]:
        for row in self._reader:
            ref = f"line {self._reader.line_num}"
            if not any(cell.strip() for cell in row):
                continue
            try:
                yield self._row(ref, row)
            except _RowError as exc:
                yield Problem(ref, str(exc), exc.column)

    def _cell(self, row: list[str], name: str) -> str:
        index = self.columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    def column_header(self, name: str) -> str:
        """The header of the column that holds `name` (mrn, test, date, result, note)."""
        return self.header[self.columns[name]]

    def _row(self, ref: str, row: list[str]) -> ReadScreening:
        mrn = self._cell(row, "mrn")
        if not mrn:
            raise _RowError(self.column_header("mrn"), "no MRN")
        test_text = self._cell(row, "test")
        if not test_text:
            raise _RowError(self.column_header("test"), "no test named")
        test = screening_test(test_text)
        if test is None:
            raise _RowError(
                self.column_header("test"),
                f"unknown screening test {test_text!r}; the tests read are {known_tests_hint()}",
            )
        day_text = self._cell(row, "date")
        if not day_text:
            raise _RowError(self.column_header("date"), "no date")
        try:
            taken_on = parse_day_text(day_text, self.zone, self.clinical_zone)
        except TimeTextError as exc:
            raise _RowError(self.column_header("date"), str(exc)) from exc
        result_text = self._cell(row, "result")
        if not result_text:
            raise _RowError(self.column_header("result"), "no result")
        result = screening_result(result_text)
        if result is None:
            raise _RowError(
                self.column_header("result"),
                f"result {result_text!r} is not one this program reads; write "
                f"{result_words_hint()}",
            )
        return ReadScreening(ref, mrn, test, taken_on, result, self._cell(row, "note") or None)
