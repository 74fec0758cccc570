"""Retrying a transaction when the database was busy, and owner-only SQLite side files."""

from __future__ import annotations

import sqlite3
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


def _locked() -> OperationalError:
    return OperationalError("INSERT ...", {}, sqlite3.OperationalError("database is locked"))


class _PgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__("could not serialize access")
        self.sqlstate = sqlstate


def test_busy_errors_recognised() -> None:
    assert is_busy_error(_locked())
    assert is_busy_error(OperationalError("x", {}, _PgError("40001")))
    assert is_busy_error(OperationalError("x", {}, _PgError("40P01")))
    assert not is_busy_error(OperationalError("x", {}, sqlite3.OperationalError("no such table")))
    assert not is_busy_error(IntegrityError("x", {}, sqlite3.IntegrityError("UNIQUE failed")))


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


def test_other_errors_not_retried() -> None:
    calls = []

    def work() -> None:
        calls.append(1)
        raise OperationalError("x", {}, sqlite3.OperationalError("disk I/O error"))

    with pytest.raises(OperationalError, match="disk I/O"):
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
