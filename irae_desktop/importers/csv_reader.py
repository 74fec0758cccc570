"""Streams a CSV file (long, wide or roster layout) into raw results and patients."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Mapping, Sequence
from operator import itemgetter
from typing import Any

from irae_desktop.importers.csv_layouts import (
    detect_layout,
    layout_from_mapping,
    roster_result_columns,
    unknown_layout,
    unused_columns,
)
from irae_desktop.importers.csv_sample import (
    NumberConvention,
    SampleRows,
    find_convention,
    read_sample,
    result_like_columns,
)
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


_LONG_ROLES = (
    "mrn",
    "code",
    "test",
    "value",
    "unit",
    "collected",
    "collected_time",
    "range",
    "low",
    "high",
    "flag",
    "status",
    "category",
)
_PATIENT_ROLES = ("name", "first_name", "last_name", "birth", "sex", "weight", "diagnosis")
# the roles each part of a long-layout row is read from (see importers.long_lane)
RESULT_KIND_ROLES = ("code", "test", "unit", "range", "low", "high", "flag", "status", "category")
VALUE_ROLES = ("value",)
TIME_ROLES = ("collected", "collected_time")
PATIENT_ROLES = ("mrn", *_PATIENT_ROLES)


def cell_reader(
    roles: Mapping[str, Sequence[int]], wanted: Sequence[str]
) -> Callable[[list[str]], list[str]]:
    """A function giving the stripped cells of `wanted` roles from a row ("" when a role has
    no column), worked out once per file: the per-row part runs in C for the usual case of
    one column per role. Rows must carry a trailing "" (index -1) for absent roles."""
    specs = [tuple(roles.get(role) or ()) for role in wanted]
    if all(len(spec) <= 1 for spec in specs):
        if not specs:
            return lambda row: []
        pick = itemgetter(*[spec[0] if spec else -1 for spec in specs])
        if len(specs) == 1:
            return lambda row: [pick(row).strip()]
        strip = str.strip
        return lambda row: list(map(strip, pick(row)))

    def first_cells(row: list[str]) -> list[str]:
        cells = []
        for spec in specs:
            text = ""
            for index in spec:
                text = row[index].strip()
                if text:
                    break
            cells.append(text)
        return cells

    return first_cells


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
            sample = self._sample(mapping)
            if mapping is None and self.columns.layout == "roster":
                self._check_roster(sample, is_analyte)
            self.convention = self._convention(mapping, sample)
            self.decimal_comma = self.convention.decimal_comma
            self.date_order = str((mapping or {}).get("date_order", "auto"))
            self._prepare_rows()
        except BaseException:
            self._text.close()
            raise

    def _sample(self, mapping: Mapping[str, Any] | None) -> SampleRows:
        """The opening rows, when something is decided from them before the import."""
        wants_convention = not (mapping and "decimal_comma" in mapping)
        if self.columns.layout != "roster" and not wants_convention:
            return []
        return read_sample(self.facts, self._skipped, self.delimiter)

    def _check_roster(self, sample: SampleRows, is_analyte: Callable[[str], bool]) -> None:
        """Refuses a header read as a roster whose other columns hold results (a lab file whose
        result columns have unfamiliar names must not lose them in silence), and names the
        columns a real roster leaves out."""
        cmap = self.columns
        if cmap.name == "synthea-patients":
            return
        unused = unused_columns(cmap)
        reasons = roster_result_columns(cmap) + result_like_columns(
            sample, cmap.header, unused, is_analyte
        )
        if reasons:
            raise unknown_layout(
                cmap.header,
                cmap.roles,
                "This file was not read as a patient roster: its columns look like lab results ("
                + "; ".join(reasons)
                + "). ",
            )
        if unused:
            cmap.notices.append(
                "columns a roster does not use, left out: "
                + ", ".join(repr(cmap.header[i]) for i in unused)
            )

    def _convention(
        self, mapping: Mapping[str, Any] | None, sample: SampleRows
    ) -> NumberConvention:
        """The file's decimal mark: the mapping's, else the one its opening number cells show."""
        if mapping and "decimal_comma" in mapping:
            return NumberConvention(bool(mapping["decimal_comma"]), "as the column mapping says")
        columns = self.role_columns(("value", "range", "low", "high"))
        return find_convention(sample, (*columns, *self.columns.analyte_columns))

    @property
    def layout(self) -> str:
        return self.columns.name or self.columns.layout

    def fraction(self) -> float:
        return min(1.0, self._counter.bytes_read / self.facts.size) if self.facts.size else 1.0

    def close(self) -> None:
        self._text.close()

    def items(self) -> Iterator[ReadItem]:
        yield from self.notices()
        make: Callable[[list[str], str], list[ReadItem]]
        if self.columns.layout == "roster":
            make = self._roster_row
        elif self.columns.layout == "wide":
            make = self._wide_row
        else:
            make = self._long_row
        for row, line in self.rows():
            items = make(row, line)
            if len(items) == 1:
                yield items[0]
            else:
                yield from items

    def notices(self) -> Iterator[Notice]:
        """The header's warnings."""
        for notice in self.columns.notices:
            yield Notice("header", notice)

    def _prepare_rows(self) -> None:
        """The per-file state the row readers use, worked out once from the columns."""
        cols = self.columns
        self._cols = {role: tuple(indexes) for role, indexes in cols.roles.items()}
        self._patients: dict[tuple[str, ...], RawPatient | None] = {}
        self._column_names = {
            "value": cols.column_name("value"),
            "unit": cols.column_name("unit"),
            "collected": cols.column_name("collected"),
            "test": cols.column_name("test" if "test" in cols.roles else "code"),
        }
        self._long_cells = cell_reader(self._cols, _LONG_ROLES)
        self._patient_cells = cell_reader(self._cols, _PATIENT_ROLES)
        self._synthea = self.columns.name == "synthea-observations"

    def rows(self) -> Iterator[tuple[list[str], str]]:
        """The data rows with their line numbers, padded to the header's width and ending in
        the "" a role without a column reads; wholly blank short rows are left out."""
        reader, line_base, width = self.row_reader()
        for row in reader:
            if len(row) < width:
                padded = self.pad(row)
                if padded is None:
                    continue
                row = padded
            row.append("")
            yield row, str(line_base + reader.line_num)

    def row_reader(self) -> tuple[Any, int, int]:
        """What `rows` reads from, for a caller that does its work inline: the csv reader
        (its `line_num` plus the second number is a row's line), and the header's width;
        a shorter row goes through `pad`, and every row then gets a trailing ""."""
        return (
            csv.reader(self._text, delimiter=self.delimiter),
            self._skipped,
            len(self.columns.header),
        )

    def pad(self, row: list[str]) -> list[str] | None:
        """A short row padded to the header's width, or None when it is wholly blank."""
        if not any(cell.strip() for cell in row):
            return None
        return row + [""] * (len(self.columns.header) - len(row))

    def role_columns(self, roles: Sequence[str]) -> tuple[int, ...]:
        """Every column index that holds one of `roles`, in role order."""
        return tuple(index for role in roles for index in self.columns.roles.get(role, ()))

    def long_items(self, row: list[str], line: str) -> list[ReadItem]:
        """What one long-layout row (as `rows` gives it) reads as."""
        return self._long_row(row, line)

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
        name, first_name, last_name, birth, sex, weight, diagnosis = self._patient_cells(row)
        if not name:
            name = f"{first_name} {last_name}".strip()
        fields = (mrn, name, birth, sex, weight, diagnosis)
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
        (
            mrn,
            code,
            test,
            value,
            unit,
            collected,
            clock,
            range_text,
            low,
            high,
            flag,
            status,
            category,
        ) = self._long_cells(row)
        if not mrn:
            problem = self._mrn(row, line)
            if isinstance(problem, Problem):
                return [problem] if problem.ref else []
        if clock and collected and ":" not in collected:
            collected = f"{collected} {clock}"
        result = RawResult(
            f"line {line}",
            mrn,
            code,
            test,
            value,
            None,
            "",
            unit,
            collected,
            range_text,
            low,
            high,
            flag,
            status.lower() or "final",
            category.lower() not in NON_LAB_CATEGORIES,
            self._synthea,
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
