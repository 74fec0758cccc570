"""One imported result as the bulk write inserts it: the lab_results columns that vary per row."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from irae_desktop.domain.records import LabRecord
from irae_desktop.store.lab_rows import LabRow, PatientRef


class LabInsertRow(NamedTuple):
    """A result on its way into lab_results, with its grade once graded.

    Built by name wherever a row is made (the per-row path by keyword, the long-CSV bulk
    path from the fields around a remembered `result_fields`) and graded by name
    (store.import_grading gives back rows with their grade); the SQLite
    insert binds the fields in this order (`position` gives a field's place). A tuple,
    because an import makes millions of them and a tuple is the cheapest named record to
    create. The columns every row of a batch shares are not here
    (store.lab_rows.batch_columns).
    """

    # an id, or a patient the import creates whose id is known once the buffer is written
    patient_id: int | PatientRef
    analyte: str
    collected_at: datetime
    # from here to grade_reason: a row's result_fields (below)
    value: float
    comparator: str
    unit: str
    original_text: str
    original_unit: str
    lln: float | None
    uln: float | None
    abnormal_flag: str | None
    status: str
    # filled by the bulk path or the writer's grader (store.import_grading)
    grade: int | None
    grade_criteria: str | None
    grade_reason: str | None
    source_ref: str

    @classmethod
    def ungraded(cls, patient: int | PatientRef, record: LabRecord | LabRow) -> LabInsertRow:
        """The row of a checked result, its grade left for the writer's grader."""
        return cls(
            patient_id=patient,
            analyte=record.analyte,
            collected_at=record.collected_at,
            value=record.value,
            comparator=record.comparator,
            unit=record.unit,
            original_text=record.original_text,
            original_unit=record.original_unit,
            lln=record.lln,
            uln=record.uln,
            abnormal_flag=record.abnormal_flag,
            status=str(record.status),
            grade=None,
            grade_criteria=None,
            grade_reason=None,
            source_ref=record.source_ref,
        )


def result_fields(
    *,
    value: float,
    comparator: str,
    unit: str,
    original_text: str,
    original_unit: str,
    lln: float | None,
    uln: float | None,
    abnormal_flag: str | None,
    status: str,
    grade: int | None,
    grade_criteria: str | None,
    grade_reason: str | None,
) -> tuple[Any, ...]:
    """A row's fields from `value` to `grade_reason`, in order: the row is
    `LabInsertRow._make((patient_id, analyte, collected_at) + result_fields(...) +
    (source_ref,))`, built without naming its 16 fields again for each of a million rows
    (the order is the table's, which the SQLite insert binds)."""
    return (
        value,
        comparator,
        unit,
        original_text,
        original_unit,
        lln,
        uln,
        abnormal_flag,
        status,
        grade,
        grade_criteria,
        grade_reason,
    )


def result_fields_of(row: LabInsertRow) -> tuple[Any, ...]:
    """`row`'s result_fields (see there)."""
    return row[_RESULT_FIRST:_RESULT_END]


def position(field: str) -> int:
    """Where `field` sits in a row's bound parameters."""
    return LabInsertRow._fields.index(field)


_RESULT_FIRST, _RESULT_END = position("value"), position("source_ref")
