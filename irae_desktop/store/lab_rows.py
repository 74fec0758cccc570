"""The row form of an imported lab result and the SQLite executemany that writes rows fast."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any, NamedTuple, Protocol, cast

from sqlalchemy import Table, bindparam, func, literal_column, null
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from irae_desktop.domain.records import LabRecord, ResultStatus
from irae_desktop.store.errors import StoreError
from irae_desktop.store.models import LabResult

# the Core table, not the mapped class: a plain executemany without per-row ORM work
_LAB_TABLE = cast(Table, LabResult.__table__)


def insert_ignoring_duplicates(session: Session) -> Any:
    """INSERT that skips rows hitting uq_lab_results_identity, on SQLite and PostgreSQL."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        return sqlite_insert(_LAB_TABLE).on_conflict_do_nothing()
    if dialect == "postgresql":
        return pg_insert(_LAB_TABLE).on_conflict_do_nothing()
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


# the columns of an imported row that vary from row to row, in the order `row_values` builds
# them; the others are the same for a whole batch (see `batch_columns`)
ROW_KEYS = (
    "patient_id",
    "analyte",
    "collected_at",
    "value",
    "comparator",
    "unit",
    "original_text",
    "original_unit",
    "lln",
    "uln",
    "abnormal_flag",
    "status",
    "grade",
    "grade_criteria",
    "grade_reason",
    "source_ref",
)


# nullable columns of an imported row that never hold "" (numbers, a flag read as "or None",
# the criteria set's id): SqliteExecutemany sends their None as ""
_EMPTY_IS_NULL = ("lln", "uln", "abnormal_flag", "grade", "grade_criteria")
_EMPTY: Any = literal_column("''")


def batch_columns(batch_id: int, source_file: str) -> dict[str, Any]:
    """What every row of an import batch stores in the columns ROW_KEYS leaves out (a result
    typed in by hand differs)."""
    return {
        "is_baseline": False,
        "batch_id": batch_id,
        "source_file": source_file,
        "entered_by": None,
        "version": 1,
    }


def row_values(patient: int | PatientRef, record: LabRecord | LabRow) -> list[Any]:
    return [
        patient,
        record.analyte,
        record.collected_at,
        record.value,
        record.comparator,
        record.unit,
        record.original_text,
        record.original_unit,
        record.lln,
        record.uln,
        record.abnormal_flag,
        str(record.status),
        None,
        None,
        None,
        record.source_ref,
    ]


def _sql_literal(key: str, value: Any, dialect: Any) -> Any:
    """`value` written into the SQL text as the column's type renders a literal (quotes doubled
    in text), or NULL."""
    if value is None:
        return null()
    render = _LAB_TABLE.c[key].type.literal_processor(dialect)
    if render is None:
        raise StoreError(f"internal error: no literal form for {key}")
    return literal_column(render(value))


class SqliteExecutemany:
    """The same INSERT, compiled once for a batch and fed to the driver's executemany.

    The columns every row of the batch shares (batch, file, and the constants of an imported
    row) are written into the statement as literals instead of being bound again for each row,
    and the only per-row conversion SQLAlchemy would apply on SQLite, a timestamp's text form,
    is applied with the dialect's own processor, once per distinct time. Floats go to the driver
    as they are: the columns have REAL affinity, which stores an integer as the float that
    SQLAlchemy's float() would have made of it.

    The driver binds None through its adapter look-up, several times slower than any other
    value. In a chunk where a column that can never hold "" has missing values, they are sent
    as "" and the statement used for that chunk stores them as NULL (NULLIF).
    """

    def __init__(self, session: Session, *, batch_id: int, source_file: str):
        self.connection = session.connection()
        self._dialect = self.connection.dialect
        self._shared = batch_columns(batch_id, source_file)
        self._statements: dict[tuple[str, ...], str] = {}
        self._empty_is_null = tuple(ROW_KEYS.index(key) for key in _EMPTY_IS_NULL)
        self._time_index = ROW_KEYS.index("collected_at")
        self._time_text = (
            _LAB_TABLE.c["collected_at"]
            .type.dialect_impl(self._dialect)
            .bind_processor(self._dialect)
        )
        # a few distinct collection times serve many rows (one per panel)
        self._times: dict[Any, Any] = {}

    def _statement(self, nullif: tuple[str, ...]) -> str:
        """The INSERT whose placeholders for the `nullif` columns store "" as NULL."""
        sql = self._statements.get(nullif)
        if sql is None:
            dialect = self._dialect
            statement = sqlite_insert(_LAB_TABLE).values(
                {
                    **{k: _sql_literal(k, v, dialect) for k, v in self._shared.items()},
                    **{
                        key: func.nullif(bindparam(key, type_=_LAB_TABLE.c[key].type), _EMPTY)
                        for key in nullif
                    },
                }
            )
            compiled = statement.on_conflict_do_nothing().compile(
                dialect=dialect, column_keys=list(ROW_KEYS)
            )
            if list(compiled.positiontup or ()) != list(ROW_KEYS):
                raise StoreError("internal error: unexpected insert parameters")
            sql = self._statements[nullif] = str(compiled)
        return sql

    def run(self, rows: list[list[Any]]) -> None:
        times = self._times
        if len(times) > 100_000:
            times.clear()
        index = self._time_index
        text_of = self._time_text or str
        for values in rows:
            when = values[index]
            text = times.get(when)
            if text is None:
                text = times[when] = text_of(when)
            values[index] = text
        missing = []
        for column in self._empty_is_null:
            empty = [values for values in rows if values[column] is None]
            if empty:
                missing.append(ROW_KEYS[column])
                for values in empty:
                    values[column] = ""
        sql = self._statement(tuple(missing))
        # the driver's own executemany takes the rows as they are; its errors are raised as
        # SQLAlchemy's, as every other statement's are
        cursor = self.connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise DBAPIError.instance(sql, None, exc, sqlite3.Error) from exc
        finally:
            cursor.close()
