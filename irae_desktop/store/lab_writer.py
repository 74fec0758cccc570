"""The bulk write path for imported labs: chunked INSERT ... ON CONFLICT DO NOTHING, corrections
with audit, and the holding area for results whose MRN matched no patient."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, and_, delete, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from irae_desktop.domain.records import LabRecord, ResultStatus
from irae_desktop.store.audit import record_event
from irae_desktop.store.errors import StoreError
from irae_desktop.store.grading import regrade_patients
from irae_desktop.store.import_grading import ImportGrader
from irae_desktop.store.lab_insert_row import LabInsertRow
from irae_desktop.store.lab_rows import (
    LabRow,
    PatientRef,
    batch_columns,
    insert_ignoring_duplicates,
    lab_row,
)
from irae_desktop.store.models import LabResult, Patient
from irae_desktop.store.sqlite_lab_insert import SqliteLabInsert

CHUNK_ROWS = 20000
_LAB = cast(Table, LabResult.__table__)
_CORRECTED = ResultStatus.CORRECTED.value
REGRADE_GROUP = 50
_COMPARED = (
    "value",
    "comparator",
    "unit",
    "original_text",
    "original_unit",
    "lln",
    "uln",
    "abnormal_flag",
    "status",
)


# SQLite's page cache while a batch is written: the indexes of a large lab_results table do not
# fit the default 2 MB, and every miss costs a page read and, in WAL mode, a spill
IMPORT_CACHE_KIB = 131_072


@contextmanager
def bulk_write_cache(session: Session) -> Iterator[None]:
    """A larger SQLite page cache for the length of a bulk write, then the usual one again."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    usual = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        # after a failed write the connection may be unusable; it is then discarded anyway,
        # and the error that matters is the one already on its way up
        with suppress(SQLAlchemyError):
            connection.exec_driver_sql(f"PRAGMA cache_size={int(usual or -2000)}")


@dataclass
class WriteCounts:
    attempted: int = 0
    corrected: int = 0
    # corrections of rows stored by earlier batches: they now carry this batch id too
    adopted: int = 0
    duplicates_seen: int = 0
    # results the file gives in the version a stored correction replaced
    superseded: int = 0


class LabBatchWriter:
    """Buffers results of one import batch and writes them in chunks in the caller's transaction.

    Duplicates are skipped by the database's unique identity; how many were skipped is the
    number attempted minus the rows that now carry this batch id (see `inserted`).
    `before_flush` runs before each write, e.g. to insert new patients whose ids the buffered
    rows need.
    """

    def __init__(
        self,
        session: Session,
        *,
        batch_id: int,
        source_file: str,
        user: str,
        chunk_rows: int | None = None,
        before_flush: Callable[[], None] | None = None,
    ):
        self.session = session
        self.batch_id = batch_id
        self.source_file = source_file
        self.user = user
        self.chunk_rows = chunk_rows or CHUNK_ROWS
        self.before_flush = before_flush
        # grades each chunk as it is written (see store.import_grading)
        self.grader = ImportGrader(session)
        # patients whose stored rows this batch changed outside the grader (corrections)
        self._changed_patients: set[int] = set()
        self.counts = WriteCounts()
        self._buffer: list[LabInsertRow] = []
        self._shared = batch_columns(batch_id, source_file)
        self._statement = insert_ignoring_duplicates(session)
        self._sqlite = (
            SqliteLabInsert(session, batch_id=batch_id, source_file=source_file)
            if (session.get_bind().dialect.name == "sqlite")
            else None
        )

    def add(self, patient: int | PatientRef, record: LabRecord | LabRow) -> None:
        """Buffers one result; `patient` is an id or a reference whose id is set by the time
        `before_flush` has run."""
        if record.status == ResultStatus.CORRECTED:
            self._correct(patient, record if isinstance(record, LabRecord) else record.record())
            return
        self.counts.attempted += 1
        self._buffer.append(LabInsertRow.ungraded(patient, record))
        if len(self._buffer) >= self.chunk_rows:
            self.flush()

    def add_rows(self, rows: list[LabInsertRow]) -> None:
        """Buffers new results (graded already or not: see LabInsertRow)."""
        self.counts.attempted += len(rows)
        self._buffer.extend(rows)
        if len(self._buffer) >= self.chunk_rows:
            self.flush()

    def flush(self) -> None:
        if self.before_flush is not None:
            self.before_flush()
        if not self._buffer:
            return
        buffered, self._buffer = self._buffer, []
        resolved: list[LabInsertRow] = []
        for row in buffered:
            patient = row.patient_id
            if patient.__class__ is not int:
                patient_id = cast(PatientRef, patient).id
                if not patient_id:
                    raise StoreError("internal error: a result's new patient was not stored")
                row = row._replace(patient_id=patient_id)
            resolved.append(row)
        # rows graded on the bulk path already come back as they are
        rows = self.grader.grade_rows(resolved)
        if self._sqlite is not None:
            self._sqlite.run(rows)
        else:
            self.session.connection().execute(
                self._statement,
                [
                    {**dict(zip(LabInsertRow._fields, values, strict=True)), **self._shared}
                    for values in rows
                ],
            )

    def inserted(self) -> int:
        """Rows this batch added (corrections of earlier rows are counted apart)."""
        self.flush()
        if self._sqlite is not None:
            self._sqlite.wait()
        self._drop_superseded()
        rows = self.session.scalar(
            select(func.count()).select_from(LabResult).where(LabResult.batch_id == self.batch_id)
        )
        return int(rows or 0) - self.counts.adopted

    def _drop_superseded(self) -> None:
        """Removes rows this batch inserted whose specimen already has a corrected result.

        A final result at the very time of a corrected one is the value the correction
        replaced (re-importing the file that carried both, or an older export): storing it
        again would show the superseded number beside the correct one.
        """
        lab = _LAB
        corrected = lab.alias("corrected")
        # driven from the corrected results (a small partial index), not from this batch's
        # rows, which may be millions: "+ 0" keeps the planner off the batch index
        superseded = (
            select(lab.c.id)
            .select_from(corrected)
            .join(
                lab,
                and_(
                    lab.c.patient_id == corrected.c.patient_id,
                    lab.c.analyte == corrected.c.analyte,
                    lab.c.collected_at == corrected.c.collected_at,
                ),
            )
            .where(
                corrected.c.status == _CORRECTED,
                (lab.c.batch_id + 0) == self.batch_id,
                lab.c.status != _CORRECTED,
                lab.c.id != corrected.c.id,
            )
        )
        statement = delete(lab).where(lab.c.id.in_(superseded))
        result = self.session.connection().execute(statement)
        self.counts.superseded += max(result.rowcount or 0, 0)

    def needs_regrade(self) -> set[int]:
        """The patients of this batch whose grades are not final yet: those whose baseline the
        file may have moved, and those with a stored result it corrected."""
        self.flush()
        return self.grader.needs_regrade | self._changed_patients

    def _correct(self, patient: int | PatientRef, record: LabRecord) -> None:
        """A corrected result replaces the earlier one for the same patient, analyte and time."""
        self.flush()
        patient_id = patient if isinstance(patient, int) else patient.id
        existing = self.session.scalars(
            select(LabResult)
            .where(
                LabResult.patient_id == patient_id,
                LabResult.analyte == record.analyte,
                LabResult.collected_at == record.collected_at,
            )
            .order_by(LabResult.id.desc())
        ).first()
        if existing is None:
            self.counts.attempted += 1
            self._buffer.append(LabInsertRow.ungraded(patient_id, record))
            return
        new = lab_row(patient_id, record, batch_id=self.batch_id, source_file=self.source_file)
        before = {k: getattr(existing, k) for k in _COMPARED}
        after = {k: new[k] for k in _COMPARED}
        if before["value"] == after["value"] and before["comparator"] == after["comparator"]:
            self.counts.duplicates_seen += 1
            return
        clash = self.session.scalar(
            select(func.count())
            .select_from(LabResult)
            .where(
                LabResult.patient_id == patient_id,
                LabResult.analyte == record.analyte,
                LabResult.collected_at == record.collected_at,
                LabResult.value == record.value,
                LabResult.comparator == record.comparator,
            )
        )
        if clash:  # the corrected value is already stored as another row at that time
            self.counts.duplicates_seen += 1
            return
        if existing.batch_id != self.batch_id:
            self.counts.adopted += 1
        for key, value in after.items():
            setattr(existing, key, value)
        existing.batch_id = self.batch_id
        existing.source_file = self.source_file
        existing.source_ref = record.source_ref
        existing.grade = None
        self._changed_patients.add(patient_id)
        self.session.flush()
        self.counts.corrected += 1
        patient_mrn = self.session.scalar(select(Patient.mrn).where(Patient.id == patient_id))
        record_event(
            self.session,
            user=self.user,
            action="correct",
            entity="lab_result",
            entity_id=existing.id,
            patient_id=patient_id,
            patient_mrn=patient_mrn,
            before=before,
            after=after,
            reason=f"corrected result in {self.source_file} ({record.source_ref})",
        )


def regrade(session: Session, patient_ids: Sequence[int]) -> None:
    """Recomputes the grades of these patients' results (and their lab summaries)."""
    ids = list(patient_ids)
    # a few patients at a time: grading holds every result of the patients it is given,
    # and a bulk import can touch thousands of patients with years of results each
    for start in range(0, len(ids), REGRADE_GROUP):
        regrade_patients(session, ids[start : start + REGRADE_GROUP])
