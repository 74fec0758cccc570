"""Writes from the window: off the GUI thread, retried when busy, announced when done.

Another program holding SQLite's write lock is a real second connection in BEGIN IMMEDIATE.
The window is responsive when a timer queued on the GUI thread fires while the write waits.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from sqlalchemy import select

from irae_desktop.domain.records import PatientRecord
from irae_desktop.store import engine as engine_module
from irae_desktop.store.database import Database, open_database
from irae_desktop.store.errors import DatabaseBusyError
from irae_desktop.store.models import AuditEvent, Patient
from irae_desktop.store.patients import create_patient
from irae_desktop.ui.operations import PATIENTS, Change, change_notice, run_write
from tests.ui.conftest import wait_written


@pytest.fixture
def lock_holder(db: Database) -> Iterator[sqlite3.Connection]:
    """Another program's connection holding the database's write lock until released."""
    path = db.sqlite_file
    assert path is not None
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    yield holder
    if holder.in_transaction:
        holder.rollback()
    holder.close()


def _mrns(db: Database) -> list[str]:
    with db.read() as s:
        return list(s.scalars(select(Patient.mrn).order_by(Patient.mrn)))


def test_a_write_waiting_on_a_lock_leaves_the_window_responsive(
    qtbot: Any, db: Database, lock_holder: sqlite3.Connection
) -> None:
    started = threading.Event()
    notices: list[Change] = []
    change_notice().changed.connect(notices.append)

    def work(session: Any, user: str) -> int:
        started.set()  # the next statement begins the transaction and waits for the lock
        return create_patient(session, PatientRecord(mrn="LOCK-1"), user=user).id

    op = run_write(db, work, title="Save patient", change=Change(frozenset({PATIENTS})))
    qtbot.waitUntil(started.is_set, timeout=5_000)
    # the GUI thread still turns its event loop while the write waits (busy timeout 15 s):
    # a timer queued now fires at once; a write on the GUI thread would hold it back
    tick = QTimer()
    tick.setSingleShot(True)
    with qtbot.waitSignal(tick.timeout, timeout=2_000):
        tick.start(0)
    assert not op.done  # the lock is still held: the write cannot have finished
    assert notices == []
    lock_holder.rollback()  # the other program lets go
    wait_written(qtbot, op)
    assert op.error is None
    assert _mrns(db) == ["LOCK-1"]
    assert notices == [Change(frozenset({PATIENTS}))]
    change_notice().changed.disconnect(notices.append)


@pytest.fixture
def quick_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Database]:
    """A database whose busy timeout is 50 ms, so a held lock fails an attempt quickly."""
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 50)
    database = open_database(f"sqlite:///{tmp_path / 'quick.sqlite3'}")
    yield database
    database.dispose()


def test_a_busy_attempt_is_run_again_whole(
    qtbot: Any, quick_db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    path = quick_db.sqlite_file
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    attempts: list[int] = []

    def work(session: Any, user: str) -> None:
        attempts.append(1)
        if len(attempts) == 2:
            holder.rollback()  # the other program finished between the attempts
        create_patient(session, PatientRecord(mrn=f"RETRY-{len(attempts)}"), user=user)

    caplog.set_level("INFO", logger="irae_desktop.store.concurrency")
    try:
        op = wait_written(qtbot, run_write(quick_db, work, title="Save", change=None))
    finally:
        holder.close()
    assert op.error is None
    assert len(attempts) == 2
    assert _mrns(quick_db) == ["RETRY-2"]  # the first attempt left nothing behind
    assert "database busy (SQLITE_BUSY), retrying (attempt 1 of 3)" in caplog.text
    with quick_db.read() as s:
        assert len(s.scalars(select(AuditEvent)).all()) == 1


def test_a_lock_that_is_never_released_is_refused_in_plain_words(
    qtbot: Any, quick_db: Database
) -> None:
    path = quick_db.sqlite_file
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    notices: list[Change] = []
    change_notice().changed.connect(notices.append)
    refused: list[str] = []
    try:
        op = run_write(
            quick_db,
            lambda s, user: create_patient(s, PatientRecord(mrn="NEVER"), user=user),
            title="Save",
            change=Change(frozenset({PATIENTS})),
        )
        op.refused.connect(refused.append)
        wait_written(qtbot, op)
    finally:
        holder.rollback()
        holder.close()
        change_notice().changed.disconnect(notices.append)
    assert isinstance(op.error, DatabaseBusyError)
    assert refused and "stayed busy" in refused[0] and "Nothing was saved" in refused[0]
    assert notices == []  # nothing changed, nothing announced
    assert _mrns(quick_db) == []
