"""The bulk path for long-layout CSV rows: a row made only of parts already seen in rows that were
imported cleanly is assembled from those parts; every other row takes the full per-row path.

A long-layout row is four independent parts: the kind of result (test, unit, reference range,
flag, status, category), the value, the collection time and the patient. What the full path
makes of a row depends on each part alone: the analyte, canonical unit and range on the kind,
the canonical value on the kind and the value, the time on the time cells, the patient on the
demographic cells. So when a row goes through the full path and is written without a warning,
its parts are remembered exactly as the full path produced them, keyed by the raw cell texts;
a later row whose four parts are all remembered is written from them. Rows with anything new,
anything rejected, held or warned about, corrections, and rows missing an MRN always take the
full path, which reports them as it always has. Untracked tests are remembered the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Any, Protocol

from irae_desktop.domain.records import ResultStatus
from irae_desktop.importers.csv_reader import (
    PATIENT_ROLES,
    RESULT_KIND_ROLES,
    TIME_ROLES,
    VALUE_ROLES,
    CsvSource,
)
from irae_desktop.importers.patient_match import KnownPatient
from irae_desktop.importers.raw import ReadItem
from irae_desktop.importers.summary import ImportSummary
from irae_desktop.store.lab_insert_row import (
    LabInsertRow,
    result_fields,
    result_fields_of,
)
from irae_desktop.store.lab_rows import LabRow

# entries a part's memory may hold before it starts again (a miss only costs a full-path row)
MEMORY_LIMIT = 50_000
# a row from its fields joined in order (see result_fields)
_make_row = LabInsertRow._make


@dataclass(frozen=True, slots=True)
class Written:
    """The full path wrote `row` for `patient` (a new result, not a correction)."""

    row: LabRow
    patient: KnownPatient


# what the full path did with one read item: Written, the label of an untracked test, or None
Outcome = Written | str | None


class RowHandler(Protocol):
    summary: ImportSummary

    def handle(self, item: ReadItem) -> Outcome: ...

    def add_rows(self, rows: list[LabInsertRow]) -> None: ...

    def plain_sex(self, patient: KnownPatient) -> tuple[bool, str | None]: ...

    def grade_alone(self, row: LabInsertRow, sex: str) -> tuple[int | None, str, str]: ...


@dataclass(slots=True)
class _Kind:
    """The parts of a written row that come from its result-kind cells, and its known values."""

    analyte: str
    unit: str
    original_unit: str
    lln: float | None
    uln: float | None
    flag: str | None
    status: str
    values: dict[Any, _Value] = field(default_factory=dict)


@dataclass(slots=True)
class _Value:
    """The parts of a written row that come from its value cell(s), given its kind."""

    value: float
    comparator: str
    original_text: str
    # the row's result_fields for a patient of this sex whose results are each graded alone,
    # with the grade; under None, for a patient whose results the writer's grader grades
    result_fields: dict[str | None, tuple[Any, ...]] = field(default_factory=dict)


@dataclass(slots=True)
class _Patient:
    """A patient rows were written for, and the sex their grades are shared by when each
    result is graded alone (None when not, or not known yet: then `settled` is False)."""

    known: KnownPatient
    sex: str | None = None
    settled: bool = False


def _picker(indexes: tuple[int, ...]) -> Callable[[list[str]], Any]:
    """The cells at `indexes` as a dict key (one index: the cell itself)."""
    if not indexes:
        return lambda row: ""
    return itemgetter(*indexes)


class LongRowLane:
    """Reads a long-layout CSV source row by row into `handler` (see the module docstring)."""

    def __init__(self, source: CsvSource, handler: RowHandler):
        self.source = source
        self.handler = handler
        self._kind_of = _picker(source.role_columns(RESULT_KIND_ROLES))
        self._value_of = _picker(source.role_columns(VALUE_ROLES))
        self._time_of = _picker(source.role_columns(TIME_ROLES))
        self._patient_of = _picker(source.role_columns(PATIENT_ROLES))
        self._mrn_columns = source.role_columns(("mrn",))
        self._kinds: dict[Any, _Kind] = {}
        # result-kind cells of tests that are not tracked -> the name the summary counts
        self._untracked: dict[Any, str] = {}
        self._times: dict[Any, datetime] = {}
        self._patients: dict[Any, _Patient] = {}
        self.fast_rows = 0

    def run(self, every: int) -> Iterator[None]:
        """Handles every row, yielding after each `every` rows read (progress, cancel)."""
        handler = self.handler
        summary = handler.summary
        for notice in self.source.notices():
            handler.handle(notice)
        kinds, untracked = self._kinds, self._untracked
        times, patients = self._times, self._patients
        kind_of, value_of = self._kind_of, self._value_of
        time_of, patient_of = self._time_of, self._patient_of
        # rows assembled here wait in `ready` and go to the writer before any full-path row,
        # so the writer sees every row in file order
        ready: list[LabInsertRow] = []
        add = ready.append
        fast = 0  # rows read here since the summary's count was last brought up to date
        count = 0
        pause = every
        reader, line_base, width = self.source.row_reader()
        pad = self.source.pad
        for row in reader:
            if len(row) < width:
                padded = pad(row)
                if padded is None:
                    continue
                row = padded
            row.append("")  # as CsvSource.rows gives it: what a role without a column reads
            line = line_base + reader.line_num
            if count == pause:
                pause += every
                summary.rows_read += fast
                self.fast_rows += fast
                fast = 0
                handler.add_rows(ready)
                ready.clear()
                yield
            count += 1
            key = kind_of(row)
            kind = kinds.get(key)
            if kind is not None:
                value = kind.values.get(value_of(row))
                when = times.get(time_of(row))
                patient = patients.get(patient_of(row))
                if value is not None and when is not None and patient is not None:
                    sex = patient.sex
                    if sex is None and not patient.settled:
                        sex = self._settle(patient)
                    parts = value.result_fields.get(sex) or self._result_fields(
                        kind, value, when, sex
                    )
                    add(
                        _make_row(
                            # the id once the patient is stored (a new one is not yet);
                            # tuples joined by `+`: half the time of unpacking, per row
                            (patient.known.id or patient.known, kind.analyte, when)  # noqa: RUF005
                            + parts
                            + (f"line {line}",)
                        )
                    )
                    fast += 1
                    continue
            else:
                label = untracked.get(key)
                # an untracked test: the full path skips it once its MRN is there
                if label is not None and self._has_mrn(row):
                    summary.skip_untracked(label)
                    fast += 1
                    continue
            if ready:
                handler.add_rows(ready)
                ready.clear()
            self._full_path(row, str(line))
        summary.rows_read += fast
        self.fast_rows += fast
        handler.add_rows(ready)

    def _settle(self, patient: _Patient) -> str | None:
        patient.settled, patient.sex = self.handler.plain_sex(patient.known)
        return patient.sex

    def _result_fields(
        self, kind: _Kind, value: _Value, when: datetime, sex: str | None
    ) -> tuple[Any, ...]:
        """The result_fields of this kind and value for a patient of this sex, graded here when
        the patient's results are each graded alone (the grade then depends on nothing else),
        left to the writer's grader when `sex` is None; remembered with the value."""
        ungraded = result_fields(
            value=value.value,
            comparator=value.comparator,
            unit=kind.unit,
            original_text=value.original_text,
            original_unit=kind.original_unit,
            lln=kind.lln,
            uln=kind.uln,
            abnormal_flag=kind.flag,
            status=kind.status,
            grade=None,
            grade_criteria=None,
            grade_reason=None,
        )
        parts = ungraded
        if sex is not None:
            probe = _make_row((0, kind.analyte, when) + ungraded + ("",))  # noqa: RUF005
            grade, criteria, reason = self.handler.grade_alone(probe, sex)
            graded = probe._replace(grade=grade, grade_criteria=criteria, grade_reason=reason)
            parts = result_fields_of(graded)
        value.result_fields[sex] = parts
        return parts

    def _has_mrn(self, row: list[str]) -> bool:
        return any(row[i].strip() for i in self._mrn_columns)

    def _full_path(self, row: list[str], line: str) -> None:
        for item in self.source.long_items(row, line):
            outcome = self.handler.handle(item)
            if outcome is None:
                continue
            if isinstance(outcome, Written) and outcome.row.source_ref != f"line {line}":
                # its provenance notes how the file's decimal mark read it: every row keeps that
                continue
            self._learn(row, outcome)

    def _learn(self, row: list[str], outcome: Written | str) -> None:
        for memory in (self._kinds, self._untracked, self._times, self._patients):
            if len(memory) > MEMORY_LIMIT:
                memory.clear()
        if isinstance(outcome, str):
            self._untracked[self._kind_of(row)] = outcome
            return
        checked = outcome.row
        if checked.warnings or checked.status == ResultStatus.CORRECTED:
            return
        key = self._kind_of(row)
        kind = self._kinds.get(key)
        if kind is None:
            kind = self._kinds[key] = _Kind(
                checked.analyte,
                checked.unit,
                checked.original_unit,
                checked.lln,
                checked.uln,
                checked.abnormal_flag,
                str(checked.status),
            )
        if len(kind.values) > MEMORY_LIMIT:
            kind.values.clear()
        kind.values[self._value_of(row)] = _Value(
            checked.value, checked.comparator, checked.original_text
        )
        self._times[self._time_of(row)] = checked.collected_at
        key = self._patient_of(row)
        known = self._patients.get(key)
        if known is None or known.known is not outcome.patient:
            self._patients[key] = _Patient(outcome.patient)
