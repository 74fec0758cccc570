"""Start-up integrity check on a damaged file, and restoring the latest good backup."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from irae_desktop.domain.records import PatientRecord
from irae_desktop.store.backup import auto_backup_if_due
from irae_desktop.store.database import Database, open_database
from irae_desktop.store.errors import DatabaseDamagedError
from irae_desktop.store.integrity import (
    check_before_open,
    check_file,
    check_integrity,
    latest_backup,
    restore_backup,
)
from irae_desktop.store.models import Patient
from irae_desktop.store.patients import create_patient
from tests.file_modes import mode_is


def _patients(db: Database, n: int, start: int = 0) -> None:
    with db.write() as s:
        for i in range(start, start + n):
            create_patient(s, PatientRecord(mrn=f"I-{i}", name="x" * 500), user="alice")


def _damage(path: Path) -> None:
    """Overwrites pages in the middle of the file, as a failing disk or a bad copy would."""
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data) - 4096, 4096):
        data[offset + 8 : offset + 200] = b"\xa5" * 192
    path.write_bytes(bytes(data))


def test_sound_database_passes(any_db_url: str) -> None:
    db = open_database(any_db_url)
    try:
        report = check_integrity(db)
    finally:
        db.dispose()
    assert report.ok and report.problems == [] and "passed" in report.message()


def test_damaged_file_found_and_backup_restored(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    _patients(db, 40)
    assert auto_backup_if_due(db, now=datetime(2026, 3, 1, tzinfo=UTC), directory=folder)
    _patients(db, 40, start=40)
    assert auto_backup_if_due(db, now=datetime(2026, 3, 2, tzinfo=UTC), directory=folder)
    path = db.sqlite_file
    assert path is not None
    db.dispose()
    _damage(path)

    report = check_before_open(f"sqlite:///{path}", folder)
    assert not report.ok and report.problems
    assert report == check_file(path, folder)
    assert report.backup == latest_backup(folder)
    assert report.backup is not None and "2026030" in report.backup.name
    assert "damaged" in report.message() and str(report.backup) in report.message()

    moved = restore_backup(report.backup, path)
    assert moved is not None and moved.exists()  # the damaged file is kept, never deleted
    assert mode_is(path, 0o600)
    assert check_file(path, folder).ok
    restored = open_database(f"sqlite:///{path}")
    try:
        with restored.read() as s:
            assert s.scalar(select(func.count()).select_from(Patient)) == 80
    finally:
        restored.dispose()


def test_latest_backup_skips_damaged_copies(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    _patients(db, 40)
    day = datetime(2026, 3, 1, tzinfo=UTC)
    older = auto_backup_if_due(db, now=day, directory=folder)
    newer = auto_backup_if_due(db, now=day + timedelta(days=1), directory=folder)
    assert older is not None and newer is not None
    _damage(newer)
    assert latest_backup(folder) == older
    with pytest.raises(DatabaseDamagedError, match="damaged too"):
        restore_backup(newer, tmp_path / "target.sqlite3")
    assert not (tmp_path / "target.sqlite3").exists()


def test_no_backup_says_so(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200 + b"garbage" * 1000)
    report = check_file(bad, tmp_path / "none")
    assert not report.ok and report.backup is None
    assert "No backup was found" in report.message()
