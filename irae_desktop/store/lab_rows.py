"""The row forms of an imported lab result: table row, LabRow, and the list a bulk write binds."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple, Protocol, cast

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from irae_desktop.domain.records import LabRecord, ResultStatus
from irae_desktop.store.errors import StoreError
from irae_desktop.store.models import LabResult

# the Core table, not the mapped class: a plain executemany without per-row ORM work
LAB_TABLE = cast(Table, LabResult.__table__)


def insert_ignoring_duplicates(session: Session) -> Any:
    """INSERT that skips rows hitting uq_lab_results_identity, on SQLite and PostgreSQL."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        return sqlite_insert(LAB_TABLE).on_conflict_do_nothing()
    if dialect == "postgresql":
        return pg_insert(LAB_TABLE).on_conflict_do_nothing()
    raise StoreError(f"Bulk lab import is not supported on {dialect}.")


def lab_row(
    patient_id: int,
    record: LabRecord,
    *,
    batch_id: int | None,
    source_file: str | None,
    entered_by: str | None = None,
) -> dict[str, Any]:
    return {
        "patient_id": patient_id,
        "analyte": record.analyte,
        "collected_at": record.collected_at,
        "value": record.value,
        "comparator": record.comparator,
        "unit": record.unit,
        "original_text": record.original_text,
        "original_unit": record.original_unit,
        "lln": record.lln,
        "uln": record.uln,
        "abnormal_flag": record.abnormal_flag,
        "status": str(record.status),
        # graded by the caller (ImportGrader) or by a regrade after the write
        "grade": None,
        "grade_criteria": None,
        "grade_reason": None,
        "is_baseline": False,
        "batch_id": batch_id,
        "source_file": source_file,
        "source_ref": record.source_ref,
        "entered_by": entered_by,
        "version": 1,
    }


class LabRow(NamedTuple):
    """A checked result on its way to the table: LabRecord's fields without the patient, as a
    tuple because a bulk import builds millions of them (a frozen dataclass costs several times
    more to create). `record()` gives the LabRecord where one is needed."""

    mrn: str
    analyte: str
    collected_at: datetime
    value: float
    unit: str
    comparator: str = ""
    original_text: str = ""
    original_unit: str = ""
    lln: float | None = None
    uln: float | None = None
    status: ResultStatus = ResultStatus.FINAL
    abnormal_flag: str | None = None
    source_ref: str = ""
    warnings: tuple[str, ...] = ()

    def record(self) -> LabRecord:
        return LabRecord(**self._asdict())


class PatientRef(Protocol):
    """A patient whose id may only be known when the buffered rows are written."""

    id: int


def batch_columns(batch_id: int, source_file: str) -> dict[str, Any]:
    """What every row of an import batch stores in the columns LabInsertRow leaves out
    (store.lab_insert_row; a result typed in by hand differs)."""
    return {
        "is_baseline": False,
        "batch_id": batch_id,
        "source_file": source_file,
        "entered_by": None,
        "version": 1,
    }
