"""The store's error classes, made from real failures provoked on real SQLite and PostgreSQL.

Each test makes the database itself fail (a held write lock, a read-only file, a duplicate key,
a refused grant, a full file, a damaged file) and checks the class the store boundary raises.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from irae_desktop.domain.records import PatientRecord
from irae_desktop.store import engine as engine_module
from irae_desktop.store.database import Database, open_database
from irae_desktop.store.error_codes import classify
from irae_desktop.store.errors import (
    ConstraintViolationError,
    CorruptDatabaseError,
    DatabaseBusyError,
    DatabaseFailure,
    DatabaseReadOnlyError,
    DatabaseUnavailableError,
    DiskFullError,
    PermissionDeniedError,
)
from irae_desktop.store.patients import create_patient
from irae_desktop.store.pg_roles import grant_application_role


def _driver_error(action: object) -> BaseException:
    try:
        action()  # type: ignore[operator]
    except (sqlite3.Error, DBAPIError) as exc:
        return exc
    raise AssertionError("the database did not fail")


# SQLite ---------------------------------------------------------------------------------------
@pytest.fixture
def quick_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A short busy timeout, so a held lock fails in a moment instead of 15 s."""
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 50)


def test_sqlite_write_lock_held_by_another_connection_is_busy(
    sqlite_url: str, quick_busy: None
) -> None:
    db = open_database(sqlite_url)
    path = db.sqlite_file
    assert path is not None
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holding the write lock
    try:
        with pytest.raises(DatabaseBusyError) as caught, db.write() as s:
            create_patient(s, PatientRecord(mrn="L-1"), user="alice")
        assert caught.value.retryable
        assert caught.value.code == "SQLITE_BUSY"
    finally:
        holder.rollback()
        holder.close()
        db.dispose()


def test_sqlite_read_only_file_is_read_only(sqlite_url: str) -> None:
    db = open_database(sqlite_url)
    path = db.sqlite_file
    db.dispose()
    ro = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        exc = _driver_error(lambda: ro.execute("INSERT INTO patients (mrn) VALUES ('X')"))
    finally:
        ro.close()
    failure = classify(exc)
    assert type(failure) is DatabaseReadOnlyError
    assert failure.code == "SQLITE_READONLY"
    assert not failure.retryable


def test_sqlite_duplicate_key_is_a_constraint_violation(db: Database) -> None:
    with db.write() as s:
        create_patient(s, PatientRecord(mrn="D-1"), user="alice")
    with pytest.raises(ConstraintViolationError) as caught, db.write() as s:
        # past the store's own duplicate check, straight into the unique index
        s.execute(
            text(
                "INSERT INTO patients (mrn, name, status, version, created_at, updated_at) "
                "SELECT mrn, name, status, 1, created_at, updated_at FROM patients"
            )
        )
    assert caught.value.code.startswith("SQLITE_CONSTRAINT")


def test_sqlite_file_full_is_disk_full(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "small.sqlite3")
    conn.execute("CREATE TABLE t (x BLOB)")
    conn.execute("PRAGMA max_page_count = 4")  # the file may not grow: as a full disk
    exc = _driver_error(lambda: conn.execute("INSERT INTO t VALUES (zeroblob(100000))"))
    conn.close()
    failure = classify(exc)
    assert isinstance(failure, DiskFullError)
    assert failure.code == "SQLITE_FULL"


def test_sqlite_file_that_is_not_a_database_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"these are my notes, not a database\n" * 200)
    conn = sqlite3.connect(path)
    exc = _driver_error(lambda: conn.execute("SELECT * FROM sqlite_master").fetchall())
    conn.close()
    failure = classify(exc)
    assert isinstance(failure, CorruptDatabaseError)
    assert failure.code == "SQLITE_NOTADB"


def test_sqlite_missing_folder_is_unavailable(tmp_path: Path) -> None:
    exc = _driver_error(lambda: sqlite3.connect(tmp_path / "no" / "such" / "folder.sqlite3"))
    assert isinstance(classify(exc), DatabaseUnavailableError)


def test_sqlite_bug_is_left_unclassified(db: Database) -> None:
    with pytest.raises(DBAPIError) as caught, db.read() as s:
        s.execute(text("SELECT no_such_column FROM patients"))
    assert classify(caught.value) is None


# PostgreSQL -----------------------------------------------------------------------------------
@pytest.fixture
def pg_table(pg_url: str) -> Iterator[str]:
    owner = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with owner.connect() as conn:
        conn.execute(text("CREATE TABLE pairs (id int PRIMARY KEY, n int NOT NULL)"))
        conn.execute(text("INSERT INTO pairs VALUES (1, 0), (2, 0)"))
    owner.dispose()
    yield pg_url


def test_pg_serialization_failure_is_busy(pg_table: str) -> None:
    engine = create_engine(pg_table, isolation_level="REPEATABLE READ")
    try:
        with engine.connect() as first, engine.connect() as second:
            first.execute(text("SELECT n FROM pairs WHERE id = 1")).scalar()
            second.execute(text("UPDATE pairs SET n = n + 1 WHERE id = 1"))
            second.commit()
            exc = _driver_error(
                lambda: first.execute(text("UPDATE pairs SET n = n + 1 WHERE id = 1"))
            )
            first.rollback()
    finally:
        engine.dispose()
    failure = classify(exc)
    assert isinstance(failure, DatabaseBusyError) and failure.code == "40001"
    assert failure.retryable


def test_pg_deadlock_is_busy(pg_table: str) -> None:
    engine = create_engine(pg_table)
    caught: list[BaseException] = []
    first_holds = threading.Event()

    def first() -> None:
        with engine.connect() as conn:
            conn.execute(text("UPDATE pairs SET n = 1 WHERE id = 1"))
            first_holds.set()
            try:
                conn.execute(text("UPDATE pairs SET n = 1 WHERE id = 2"))
            except DBAPIError as exc:
                caught.append(exc)
            conn.rollback()

    try:
        with engine.connect() as conn:
            conn.execute(text("UPDATE pairs SET n = 2 WHERE id = 2"))
            worker = threading.Thread(target=first)
            worker.start()
            assert first_holds.wait(10)
            # row 1 is the first's and row 2 is held here: whichever of the two asks for the
            # other's row second closes the cycle, and the server (after deadlock_timeout)
            try:
                conn.execute(text("UPDATE pairs SET n = 2 WHERE id = 1"))
            except DBAPIError as exc:
                caught.append(exc)
            conn.rollback()
            worker.join(30)
    finally:
        engine.dispose()
    assert len(caught) == 1, caught  # aborts exactly one of the two
    failure = classify(caught[0])
    assert isinstance(failure, DatabaseBusyError) and failure.code == "40P01"


def test_pg_duplicate_key_is_a_constraint_violation(pg_table: str) -> None:
    engine = create_engine(pg_table)
    try:
        with engine.connect() as conn:
            exc = _driver_error(lambda: conn.execute(text("INSERT INTO pairs VALUES (1, 5)")))
    finally:
        engine.dispose()
    failure = classify(exc)
    assert isinstance(failure, ConstraintViolationError) and failure.code == "23505"


def test_pg_read_only_transaction_is_read_only(pg_table: str) -> None:
    engine = create_engine(pg_table)
    try:
        with engine.connect() as conn:
            conn.execute(text("SET TRANSACTION READ ONLY"))
            exc = _driver_error(lambda: conn.execute(text("INSERT INTO pairs VALUES (3, 0)")))
    finally:
        engine.dispose()
    failure = classify(exc)
    assert type(failure) is DatabaseReadOnlyError and failure.code == "25006"


def test_pg_app_role_refused_is_permission_denied(pg_url: str, pg_app_url: str) -> None:
    open_database(pg_url).dispose()  # the owner runs the migrations
    owner = create_engine(pg_url)
    try:
        grant_application_role(owner, "irae_app")
    finally:
        owner.dispose()
    db = open_database(pg_app_url)
    try:
        # the application role may write patients but never delete from the audit trail
        with pytest.raises(PermissionDeniedError) as caught, db.write() as s:
            s.execute(text("DELETE FROM audit_events"))
        assert caught.value.code == "42501"
        assert isinstance(caught.value, DatabaseReadOnlyError)
    finally:
        db.dispose()


def test_pg_server_not_listening_is_unavailable(pg_url: str) -> None:
    closed = make_url(pg_url).set(port=1)  # nothing listens on port 1
    engine = create_engine(closed, connect_args={"connect_timeout": 2})
    try:
        exc = _driver_error(engine.connect)
    finally:
        engine.dispose()
    assert isinstance(classify(exc), DatabaseUnavailableError)


def test_pg_missing_database_is_unavailable(pg_url: str) -> None:
    missing = make_url(pg_url).set(database="irae_no_such_database")
    engine = create_engine(missing)
    try:
        exc = _driver_error(engine.connect)
    finally:
        engine.dispose()
    failure = classify(exc)
    assert isinstance(failure, DatabaseUnavailableError)


def test_pg_bug_is_left_unclassified(pg_table: str) -> None:
    engine = create_engine(pg_table)
    try:
        with engine.connect() as conn:
            exc = _driver_error(lambda: conn.execute(text("SELECT no_such_column FROM pairs")))
    finally:
        engine.dispose()
    assert classify(exc) is None
    assert not isinstance(classify(exc), DatabaseFailure)
