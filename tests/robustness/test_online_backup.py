"""Backups taken while another process keeps saving are sound and transactionally consistent."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from irae_desktop.domain.records import PatientRecord
from irae_desktop.store.backup import backup_database, iter_backup, quick_check_file
from irae_desktop.store.concurrency import write_with_retry
from irae_desktop.store.database import open_database
from irae_desktop.store.patients import create_patient


def _writer(url: str, stop: Any, started: Any) -> None:
    db = open_database(url)
    i = 0
    while not stop.is_set():
        write_with_retry(
            db,
            lambda s, k=i: create_patient(s, PatientRecord(mrn=f"ON-{k}", name="x"), user="w"),
        )
        i += 1
        if i == 20:
            started.set()
    db.dispose()


def _consistent_counts(copy: Path) -> tuple[int, int]:
    engine = create_engine(f"sqlite:///{copy}")
    try:
        with engine.connect() as conn:
            patients = conn.scalar(text("SELECT count(*) FROM patients"))
            created = conn.scalar(text("SELECT count(*) FROM audit_events WHERE action = 'create'"))
    finally:
        engine.dispose()
    return int(patients or 0), int(created or 0)


def test_backups_during_writes(any_db_url: str, tmp_path: Path) -> None:
    open_database(any_db_url).dispose()
    ctx = multiprocessing.get_context("fork")
    stop, started = ctx.Event(), ctx.Event()
    writer = ctx.Process(target=_writer, args=(any_db_url, stop, started))
    writer.start()
    try:
        assert started.wait(60)
        db = open_database(any_db_url)
        try:
            copies = []
            for n in range(3):
                target = tmp_path / f"online-{n}.sqlite3"
                stages = [p.stage for p in iter_backup(db, target)]
                assert stages[-2:] == ["checking", "done"]
                copies.append(target)
            backup_database(db, tmp_path / "last.sqlite3", user="tester")
        finally:
            db.dispose()
    finally:
        stop.set()
        writer.join(60)
    assert writer.exitcode == 0
    seen = []
    for copy in copies:
        assert quick_check_file(copy) == []
        patients, created = _consistent_counts(copy)
        # each patient and its audit row were saved together, so a snapshot has both or neither
        assert patients == created and patients >= 20
        seen.append(patients)
    assert seen == sorted(seen)
    print(f"\npatients in successive online copies: {seen}")
