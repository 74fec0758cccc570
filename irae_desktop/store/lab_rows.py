"""The row form of an imported lab result and the SQLite executemany that writes rows fast."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, NamedTuple, Protocol, cast

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
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


_PROBE = LabRecord(
    mrn="", analyte="", collected_at=datetime(2000, 1, 1, tzinfo=UTC), value=0.0, unit=""
)


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


# what every imported row stores in these columns (a result typed in by hand differs)
_CONSTANT_VALUES: dict[str, Any] = {"is_baseline": False, "entered_by": None, "version": 1}
# the columns of an imported row, in the order `row_values` builds them
ROW_KEYS = tuple(lab_row(0, _PROBE, batch_id=None, source_file=None))


def row_values(
    patient: int | PatientRef, record: LabRecord | LabRow, batch_id: int, source_file: str
) -> list[Any]:
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
        _CONSTANT_VALUES["is_baseline"],
        batch_id,
        source_file,
        record.source_ref,
        _CONSTANT_VALUES["entered_by"],
        _CONSTANT_VALUES["version"],
    ]


class SqliteExecutemany:
    """The same INSERT, compiled once and fed to the driver's executemany with the columns' own
    bind processors, skipping per-row statement bookkeeping (the bulk of the cost on SQLite)."""

    def __init__(self, session: Session, statement: Any):
        self.connection = session.connection()
        dialect = self.connection.dialect
        compiled = statement.compile(dialect=dialect, column_keys=list(ROW_KEYS))
        self.sql = str(compiled)
        order = list(compiled.positiontup or ())
        if sorted(order) != sorted(ROW_KEYS):
            raise StoreError("internal error: unexpected insert parameters")
        self.positions = [ROW_KEYS.index(key) for key in order]
        self.natural = self.positions == list(range(len(ROW_KEYS)))
        # the dialect-level processors, exactly those SQLAlchemy applies (e.g. the
        # SQLite text form of a timestamp), so rows match ones written by the ORM
        processors = [
            (index, _LAB_TABLE.c[key].type.dialect_impl(dialect).bind_processor(dialect))
            for index, key in enumerate(ROW_KEYS)
        ]
        self.time_index = ROW_KEYS.index("collected_at")
        self.time_processor = processors[self.time_index][1]
        # columns every row of an import shares are converted once, here
        constants = {ROW_KEYS.index(key) for key in ("is_baseline", "entered_by", "version")}
        self.converting = [
            (i, p)
            for i, p in processors
            if p is not None and i != self.time_index and i not in constants
        ]
        self.constants = [
            (i, p(_CONSTANT_VALUES[ROW_KEYS[i]]))
            for i, p in processors
            if i in constants and p is not None
        ]
        # a few distinct collection times serve many rows (one per panel)
        self._times: dict[Any, Any] = {}

    def run(self, rows: list[list[Any]]) -> None:
        converting = self.converting
        time_index = self.time_index
        time_processor = self.time_processor
        times = self._times
        if len(times) > 100_000:
            times.clear()
        constants = self.constants
        for values in rows:
            for index, proc in converting:
                values[index] = proc(values[index])
            for index, value in constants:
                values[index] = value
            if time_processor is not None:
                when = values[time_index]
                text = times.get(when)
                if text is None:
                    text = times[when] = time_processor(when)
                values[time_index] = text
        if self.natural:
            params = [tuple(values) for values in rows]
        else:
            positions = self.positions
            params = [tuple([values[i] for i in positions]) for values in rows]
        self.connection.exec_driver_sql(self.sql, params)
