"""The SQLite lab insert writes on a second thread: every later statement must see its rows,
in file order, a failed write must stop the batch, and nothing may be left running."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from irae_desktop.store.database import Database
from irae_desktop.store.lab_insert_row import LabInsertRow, position
from irae_desktop.store.models import ImportBatch, LabResult
from irae_desktop.store.sqlite_lab_insert import SqliteLabInsert
from tests.fault_driver import FailingDriver

START = datetime(2024, 3, 1, 8, tzinfo=UTC)


def _row(patient_id: int, n: int, *, value: float | None = None, lln: Any = 7.0) -> list[Any]:
    row = LabInsertRow(
        patient_id=patient_id,
        analyte="alt",
        collected_at=START + timedelta(hours=n),
        value=float(n) if value is None else value,
        comparator="",
        unit="U/L",
        original_text=str(n),
        original_unit="U/L",
        lln=lln,
        uln=56.0,
        abnormal_flag=None,
        status="final",
        grade=None,
        grade_criteria=None,
        grade_reason=None,
        source_ref=f"line {n + 2}",
    )
    return list(row)


def _batch(session: Session) -> int:
    batch = ImportBatch(file_name="labs.csv", format="csv", timezone="UTC", imported_by="t")
    session.add(batch)
    session.flush()
    return batch.id


def _stored(db: Database) -> list[tuple[Any, ...]]:
    with db.read() as s:
        return [
            tuple(r)
            for r in s.execute(
                select(
                    LabResult.id,
                    LabResult.source_ref,
                    LabResult.value,
                    LabResult.original_text,
                    LabResult.lln,
                ).order_by(LabResult.id)
            )
        ]


def _no_writer_left() -> bool:
    return not any(t.name == "irae-lab-insert" and t.is_alive() for t in threading.enumerate())


def test_rows_are_stored_in_file_order_across_statements_and_the_rest(
    db: Database, patient_id: int
) -> None:
    rows = [_row(patient_id, n) for n in range(23)]
    # a duplicate inside a multi-row statement and one in the rows written one by one: the
    # first of each is kept, as row-by-row inserts keep it
    rows[5] = _row(patient_id, 3, value=3.0)
    rows[5][position("original_text")] = "3.0"
    rows[21] = _row(patient_id, 20)
    rows[21][position("original_text")] = "20.0"
    rows[9][position("lln")] = None
    with db.write() as session:
        insert = SqliteLabInsert(session, batch_id=_batch(session), source_file="labs.csv")
        insert.rows_per_statement = 4  # 5 statements of 4 rows, then 3 rows one by one
        insert.run([list(r) for r in rows[:12]])
        insert.run([list(r) for r in rows[12:]])
        # the next statement waits for the write: it sees every row
        count = session.scalar(text("SELECT count(*) FROM lab_results"))
        assert count == 21

    stored = _stored(db)
    assert [ref for _id, ref, *_ in stored] == [
        f"line {n + 2}" for n in range(23) if n not in (5, 21)
    ]
    assert [i for i, *_ in stored] == sorted(i for i, *_ in stored)
    by_ref = {ref: (value, original, lln) for _id, ref, value, original, lln in stored}
    assert by_ref["line 5"] == (3.0, "3", 7.0)  # the first of the pair, not "3.0"
    assert by_ref["line 22"] == (20.0, "20", 7.0)
    assert by_ref["line 11"] == (9.0, "9", None)  # stored as NULL, not ""
    with db.read() as s:
        kinds = s.execute(text("SELECT DISTINCT typeof(lln) FROM lab_results")).scalars()
        assert set(kinds) == {"real", "null"}
    assert _no_writer_left()


def test_a_failed_write_fails_the_next_statement_and_the_commit_and_leaves_nothing(
    db: Database, patient_id: int
) -> None:
    rows = [_row(patient_id, n) for n in range(10)]
    rows[7][position("analyte")] = None  # NOT NULL: the write of this chunk fails
    session = db.session_factory(writer=True)()
    try:
        session.begin()
        insert = SqliteLabInsert(session, batch_id=_batch(session), source_file="labs.csv")
        insert.rows_per_statement = 4
        insert.run([_row(patient_id, 100)])
        insert.run(rows)
        with pytest.raises(DBAPIError, match="NOT NULL"):
            session.execute(text("SELECT count(*) FROM lab_results"))
        with pytest.raises(DBAPIError, match="NOT NULL"):
            session.commit()
    finally:
        session.close()

    assert _stored(db) == []
    with db.write() as session:  # the connection went back to the pool rolled back
        assert session.scalar(text("SELECT count(*) FROM import_batches")) == 0
    assert _no_writer_left()


def test_a_rollback_waits_for_the_write_and_undoes_it(db: Database, patient_id: int) -> None:
    with db.write() as session:
        insert = SqliteLabInsert(session, batch_id=_batch(session), source_file="labs.csv")
        insert.run([_row(patient_id, n) for n in range(3000)])
        session.rollback()
        assert _no_writer_left()
    assert _stored(db) == []


class _CursorRefused:
    """A driver connection that may not be used from another thread."""

    def __init__(self, real: Any):
        self._real = real

    def cursor(self) -> Any:
        raise sqlite3.ProgrammingError("SQLite objects created in a thread can only be used there")


def test_a_write_that_cannot_start_fails_the_batch(db: Database, patient_id: int) -> None:
    with pytest.raises(DBAPIError, match="only be used there"), db.write() as session:
        insert = SqliteLabInsert(session, batch_id=_batch(session), source_file="labs.csv")
        insert._driver = _CursorRefused(insert._driver)  # type: ignore[assignment]
        insert.run([_row(patient_id, n) for n in range(5)])
        insert.wait()

    assert _stored(db) == []
    assert _no_writer_left()


def _fail_at(insert: SqliteLabInsert, at: int, error: BaseException) -> FailingDriver:
    failing = FailingDriver(insert._driver, at=at, error=error)
    insert._driver = failing  # type: ignore[assignment]
    return failing


@pytest.mark.parametrize(
    "error",
    [
        sqlite3.OperationalError("disk I/O error"),
        RuntimeError("writer crashed"),
        MemoryError("no memory for the parameters"),
    ],
    ids=["sqlite", "python", "memory"],
)
@pytest.mark.parametrize("at", [1, 3, 6], ids=["first statement", "one by one", "last chunk"])
def test_a_write_that_fails_part_way_fails_the_commit_and_stores_no_row(
    db: Database, patient_id: int, at: int, error: BaseException
) -> None:
    # chunk 1: statements 1-2 (4 rows each) and 3 (its last 2 rows one by one); chunk 2:
    # statements 4-5 and 6. The commit comes straight after: no other statement waits first
    session = db.session_factory(writer=True)()
    try:
        session.begin()
        insert = SqliteLabInsert(session, batch_id=_batch(session), source_file="labs.csv")
        insert.rows_per_statement = 4
        failing = _fail_at(insert, at, error)
        expected = DBAPIError if isinstance(error, sqlite3.Error) else type(error)
        # the second chunk waits for the first, so a failure there may surface at once; even
        # if the caller swallowed it, the commit must fail, roll back and keep nothing
        with suppress(expected):
            insert.run([_row(patient_id, n) for n in range(10)])
            insert.run([_row(patient_id, n) for n in range(10, 20)])
        with pytest.raises(expected, match=str(error)):
            session.commit()
        assert failing.statements == at  # nothing after the failure was written
    finally:
        session.close()

    assert _stored(db) == []
    with db.read() as s:  # nor the batch the rows belonged to
        assert s.scalar(text("SELECT count(*) FROM import_batches")) == 0
    assert _no_writer_left()


def test_a_failure_on_the_importing_side_while_writing_stores_nothing(
    db: Database, patient_id: int
) -> None:
    with pytest.raises(ValueError, match="bad row in the file"), db.write() as session:
        insert = SqliteLabInsert(session, batch_id=_batch(session), source_file="labs.csv")
        insert.run([_row(patient_id, n) for n in range(3000)])
        raise ValueError("bad row in the file")  # while the chunk is still being written

    assert _stored(db) == []
    assert _no_writer_left()


def test_closing_the_session_during_a_write_waits_and_keeps_nothing(
    db: Database, patient_id: int
) -> None:
    session = db.session_factory(writer=True)()
    session.begin()
    insert = SqliteLabInsert(session, batch_id=_batch(session), source_file="labs.csv")
    insert.run([_row(patient_id, n) for n in range(3000)])
    session.close()

    assert _no_writer_left()
    assert _stored(db) == []


def test_a_commit_waits_for_the_write_in_progress(db: Database, patient_id: int) -> None:
    with db.write() as session:
        insert = SqliteLabInsert(session, batch_id=_batch(session), source_file="labs.csv")
        insert.run([_row(patient_id, n) for n in range(3000)])
        # the commit of the `with` block is the next thing on the connection

    assert len(_stored(db)) == 3000
    assert _no_writer_left()
