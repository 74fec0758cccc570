"""Retrying a transaction when the database was busy, and owner-only SQLite side files."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from irae_desktop.domain.records import PatientRecord
from irae_desktop.store.concurrency import (
    DatabaseBusyError,
    is_busy_error,
    retry_on_busy,
    write_with_retry,
)
from irae_desktop.store.database import Database
from irae_desktop.store.patients import create_patient, get_by_mrn
from tests.file_modes import mode_is

_LOCKED: list[sqlite3.OperationalError] = []


def _real_sqlite_error(tmp: Path, statement: str, *, hold_lock: bool = False) -> sqlite3.Error:
    path = tmp / "busy.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE IF NOT EXISTS t (x INTEGER PRIMARY KEY)")
    holder.execute("INSERT OR IGNORE INTO t VALUES (1)")
    if hold_lock:
        holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute(statement)
    except sqlite3.Error as exc:
        return exc
    finally:
        other.close()
        holder.close()
    raise AssertionError("SQLite did not fail")


def _locked() -> OperationalError:
    """A real "database is locked" from SQLite, wrapped as SQLAlchemy wraps it."""
    if not _LOCKED:
        with tempfile.TemporaryDirectory() as tmp:
            exc = _real_sqlite_error(Path(tmp), "BEGIN IMMEDIATE", hold_lock=True)
        assert isinstance(exc, sqlite3.OperationalError)
        _LOCKED.append(exc)
    return OperationalError("INSERT ...", {}, _LOCKED[0])


def test_busy_errors_recognised(tmp_path: Path) -> None:
    assert is_busy_error(_locked())
    no_table = _real_sqlite_error(tmp_path, "SELECT * FROM no_such_table")
    duplicate = _real_sqlite_error(tmp_path, "INSERT INTO t VALUES (1)")
    assert not is_busy_error(OperationalError("x", {}, no_table))
    assert not is_busy_error(IntegrityError("x", {}, duplicate))


def test_retry_until_free() -> None:
    calls, sleeps = [], []

    def work() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise _locked()
        return "saved"

    assert retry_on_busy(work, sleep=sleeps.append) == "saved"
    assert len(calls) == 3 and sleeps == [0.1, 0.2]


def test_gives_up_with_plain_message() -> None:
    def work() -> None:
        raise _locked()

    with pytest.raises(DatabaseBusyError, match="Nothing was saved"):
        retry_on_busy(work, attempts=4, sleep=lambda _s: None)


def test_other_errors_not_retried(tmp_path: Path) -> None:
    calls = []
    no_table = _real_sqlite_error(tmp_path, "SELECT * FROM no_such_table")

    def work() -> None:
        calls.append(1)
        raise OperationalError("x", {}, no_table)

    with pytest.raises(OperationalError, match="no such table"):
        retry_on_busy(work, sleep=lambda _s: None)
    assert calls == [1]


def test_write_with_retry_runs_a_whole_transaction_again(db: Database) -> None:
    attempts = []

    def work(session):  # type: ignore[no-untyped-def]
        create_patient(session, PatientRecord(mrn=f"R-{len(attempts)}"), user="alice")
        attempts.append(1)
        if len(attempts) == 1:
            raise _locked()  # the first attempt's patient must be rolled back
        return "ok"

    assert write_with_retry(db, work, sleep=lambda _s: None) == "ok"
    with db.read() as s:
        assert get_by_mrn(s, "R-0") is None and get_by_mrn(s, "R-1") is not None


def test_database_and_its_wal_are_owner_only(db: Database) -> None:
    with db.write() as s:
        create_patient(s, PatientRecord(mrn="W-1", name="Wal Test"), user="alice")
    path = db.sqlite_file
    assert path is not None
    # the write-ahead log holds recent changes (patient data) until the next checkpoint
    assert Path(f"{path}-wal").exists()
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        assert mode_is(candidate, 0o600), candidate
