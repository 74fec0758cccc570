"""Streams a CSV file (long, wide or roster layout) into raw results and patients."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from irae_desktop.importers.csv_layouts import detect_layout, layout_from_mapping
from irae_desktop.importers.errors import ImportFileError
from irae_desktop.importers.raw import Notice, Problem, RawPatient, RawResult, ReadItem
from irae_desktop.importers.sniff import FileFacts, open_text

DELIMITERS = (",", ";", "\t", "|")
NON_LAB_CATEGORIES = frozenset(
    {
        "vital-signs",
        "survey",
        "social-history",
        "exam",
        "imaging",
        "procedure",
        "therapy",
        "activity",
        "sdoh",
        "functional-status",
        "disability-status",
        "cognitive-status",
    }
)
csv.field_size_limit(1 << 24)


def sniff_delimiter(header_line: str) -> str:
    """The delimiter that splits the header into the most fields (quotes respected)."""
    best, best_count = ",", 0
    for delimiter in DELIMITERS:
        fields = next(csv.reader([header_line], delimiter=delimiter), [])
        if len(fields) > best_count:
            best, best_count = delimiter, len(fields)
    return best


class CsvSource:
    """One CSV file: the header is read and recognised on open; `items()` streams the rows."""

    def __init__(
        self,
        facts: FileFacts,
        is_analyte: Callable[[str], bool],
        mapping: Mapping[str, Any] | None = None,
    ):
        self.facts = facts
        self._text, self._counter = open_text(facts)
        try:
            first = ""
            self._skipped = 0
            for line in self._text:
                self._skipped += 1
                if line.strip().strip(",;\t|"):
                    first = line
                    break
            if not first:
                raise ImportFileError(f"{facts.path.name}: the file has no header and no rows.")
            self.delimiter = str((mapping or {}).get("delimiter") or sniff_delimiter(first))
            header = next(csv.reader([first], delimiter=self.delimiter))
            header = [h.strip() for h in header]
            if mapping is not None:
                self.columns = layout_from_mapping(header, mapping)
            else:
                self.columns = detect_layout(header, is_analyte)
            self.decimal_comma: bool | None = (
                bool(mapping["decimal_comma"])
                if mapping and "decimal_comma" in mapping
                else (True if self.delimiter == ";" else None)
            )
            self.date_order = str((mapping or {}).get("date_order", "auto"))
        except BaseException:
            self._text.close()
            raise

    @property
    def layout(self) -> str:
        return self.columns.name or self.columns.layout

    def fraction(self) -> float:
        return min(1.0, self._counter.bytes_read / self.facts.size) if self.facts.size else 1.0

    def close(self) -> None:
        self._text.close()

    def items(self) -> Iterator[ReadItem]:
        cols = self.columns
        for notice in cols.notices:
            yield Notice("header", notice)
        self._cols = {role: tuple(indexes) for role, indexes in cols.roles.items()}
        self._patients: dict[tuple[str, ...], RawPatient | None] = {}
        self._column_names = {
            "value": cols.column_name("value"),
            "unit": cols.column_name("unit"),
            "collected": cols.column_name("collected"),
            "test": cols.column_name("test" if "test" in cols.roles else "code"),
        }
        reader = csv.reader(self._text, delimiter=self.delimiter)
        line_base = self._skipped
        width = len(cols.header)
        make: Callable[[list[str], str], list[ReadItem]]
        if cols.layout == "roster":
            make = self._roster_row
        elif cols.layout == "wide":
            make = self._wide_row
        else:
            make = self._long_row
        for row in reader:
            line = str(line_base + reader.line_num)
            if len(row) < width:
                if not any(cell.strip() for cell in row):
                    continue
                row = row + [""] * (width - len(row))
            items = make(row, line)
            if len(items) == 1:
                yield items[0]
            else:
                yield from items

    def _first(self, row: list[str], role: str) -> str:
        indexes = self._cols.get(role)
        if not indexes:
            return ""
        if len(indexes) == 1:
            return row[indexes[0]].strip()
        for index in indexes:
            cell = row[index].strip()
            if cell:
                return cell
        return ""

    def _patient(self, row: list[str], mrn: str, line: str) -> RawPatient | None:
        first = self._first
        name = first(row, "name")
        if not name:
            name = f"{first(row, 'first_name')} {first(row, 'last_name')}".strip()
        fields = (
            mrn,
            name,
            first(row, "birth"),
            first(row, "sex"),
            first(row, "weight"),
            first(row, "diagnosis"),
        )
        # the same demographics repeat on every row of a patient: one record serves them all
        cached = self._patients.get(fields, False)
        if cached is not False:
            return cached  # type: ignore[return-value]
        patient = (
            RawPatient(
                mrn, fields[1], fields[2], None, fields[3], fields[4], fields[5], ref=f"line {line}"
            )
            if any(fields[1:])
            else None
        )
        if len(self._patients) > 100_000:
            self._patients.clear()
        self._patients[fields] = patient
        return patient

    def _mrn(self, row: list[str], line: str) -> str | Problem:
        mrn = self._first(row, "mrn")
        if not mrn:
            if not any(cell.strip() for cell in row):
                return Problem("", "")
            return Problem(f"line {line}", "no patient MRN", self.columns.column_name("mrn"))
        return mrn

    def _collected(self, row: list[str]) -> str:
        when = self._first(row, "collected")
        if "collected_time" in self._cols:
            clock = self._first(row, "collected_time")
            if clock and when and ":" not in when:
                when = f"{when} {clock}"
        return when

    def _roster_row(self, row: list[str], line: str) -> list[ReadItem]:
        mrn = self._mrn(row, line)
        if isinstance(mrn, Problem):
            return [mrn] if mrn.ref else []
        patient = self._patient(row, mrn, line)
        return [patient if patient is not None else RawPatient(mrn, ref=f"line {line}")]

    def _long_row(self, row: list[str], line: str) -> list[ReadItem]:
        mrn = self._mrn(row, line)
        if isinstance(mrn, Problem):
            return [mrn] if mrn.ref else []
        first = self._first
        result = RawResult(
            f"line {line}",
            mrn,
            first(row, "code"),
            first(row, "test"),
            first(row, "value"),
            None,
            "",
            first(row, "unit"),
            self._collected(row),
            first(row, "range"),
            first(row, "low"),
            first(row, "high"),
            first(row, "flag"),
            first(row, "status").lower() or "final",
            first(row, "category").lower() not in NON_LAB_CATEGORIES,
            self.columns.name == "synthea-observations",
            self._patient(row, mrn, line),
            "",
            self._column_names,
        )
        return [result]

    def _wide_row(self, row: list[str], line: str) -> list[ReadItem]:
        mrn = self._mrn(row, line)
        if isinstance(mrn, Problem):
            return [mrn] if mrn.ref else []
        patient = self._patient(row, mrn, line)
        collected = self._collected(row)
        items: list[ReadItem] = []
        for index, (header, base, unit) in self.columns.analyte_columns.items():
            text = row[index].strip()
            if not text:
                continue
            result = RawResult(
                ref=f"line {line} column {header}",
                mrn=mrn,
                name=base,
                value_text=text,
                unit=unit,
                collected=collected,
                patient=patient,
            )
            result.column = {
                "value": header,
                "unit": header,
                "collected": self._column_names["collected"],
                "test": header,
            }
            items.append(result)
        return items
