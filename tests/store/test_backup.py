"""Backups: consistent online copies (SQLite and PostgreSQL), owner-only, atomic, scheduled."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from irae_desktop.cli.main import main
from irae_desktop.domain.records import PatientRecord
from irae_desktop.store.backup import BackupError, auto_backup_if_due, auto_backups, backup_database
from irae_desktop.store.database import Database, open_database
from irae_desktop.store.labs import add_manual_lab
from irae_desktop.store.models import AuditEvent, LabResult, Patient
from irae_desktop.store.patients import create_patient
from tests.file_modes import mode_is

T = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)


def _fill(db: Database, n: int = 3) -> None:
    with db.write() as s:
        for i in range(n):
            p = create_patient(s, PatientRecord(mrn=f"B-{i}", name=f"Person {i}"), user="alice")
            add_manual_lab(s, "alice", p.id, "ALT", T, str(40 + i), "U/L", None, 40)


def _counts(url: str) -> tuple[int, int, int]:
    db = open_database(url)
    try:
        with db.read() as s:
            return (
                int(s.scalar(select(func.count()).select_from(Patient)) or 0),
                int(s.scalar(select(func.count()).select_from(LabResult)) or 0),
                int(s.scalar(select(func.count()).select_from(AuditEvent)) or 0),
            )
    finally:
        db.dispose()


def test_backup_copies_everything_owner_only(any_db_url: str, tmp_path: Path) -> None:
    db = open_database(any_db_url)
    try:
        _fill(db)
        target = tmp_path / "copy.sqlite3"
        result = backup_database(db, target, user="alice")
    finally:
        db.dispose()
    assert result.path == target and result.size_bytes > 0
    assert mode_is(target, 0o600)
    assert not target.with_name("copy.sqlite3.partial").exists()
    # the copy opens in the app and holds every row; the backup itself is audited in the source
    assert _counts(f"sqlite:///{target}") == (3, 3, 6)
    assert _counts(any_db_url) == (3, 3, 7)
    copy_db = open_database(f"sqlite:///{target}")
    try:
        with copy_db.read() as s:
            lab = s.scalars(select(LabResult).order_by(LabResult.id)).first()
            assert lab is not None and lab.collected_at == T  # aware UTC survives the copy
    finally:
        copy_db.dispose()


def test_existing_file_is_not_overwritten(db: Database, tmp_path: Path) -> None:
    target = tmp_path / "keep.sqlite3"
    target.write_text("yesterday's backup", encoding="utf-8")
    with pytest.raises(BackupError, match="already exists"):
        backup_database(db, target)
    assert target.read_text(encoding="utf-8") == "yesterday's backup"
    backup_database(db, target, overwrite=True)
    assert sqlite3.connect(target).execute("PRAGMA quick_check").fetchone() == ("ok",)


def test_missing_folder_and_self_copy_refused(db: Database, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="does not exist"):
        backup_database(db, tmp_path / "nowhere" / "x.sqlite3")
    assert db.sqlite_file is not None
    with pytest.raises(BackupError, match="cannot replace"):
        backup_database(db, db.sqlite_file, overwrite=True)
    assert list(tmp_path.glob("*.partial")) == []


def test_auto_backup_daily_and_pruned(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    day0 = datetime(2026, 3, 1, 7, tzinfo=UTC)
    first = auto_backup_if_due(db, keep_days=14, now=day0, directory=folder)
    assert first is not None and first.exists()
    assert mode_is(folder, 0o700)
    assert mode_is(first, 0o600)
    # not due again the same day
    assert auto_backup_if_due(db, now=day0 + timedelta(hours=5), directory=folder) is None
    for day in range(1, 20):
        auto_backup_if_due(db, keep_days=14, now=day0 + timedelta(days=day), directory=folder)
    stamps = [stamp for stamp, _ in auto_backups(folder)]
    assert len(stamps) == 15  # days 5..19 inclusive: none older than 14 days kept
    assert min(stamps) == day0 + timedelta(days=5)


def test_auto_backup_keeps_newest_even_if_old(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    auto_backup_if_due(db, now=datetime(2020, 1, 1, tzinfo=UTC), directory=folder)
    # a clock set back in time must never delete the only copy
    assert auto_backup_if_due(db, now=datetime(2019, 1, 1, tzinfo=UTC), directory=folder) is None
    assert len(auto_backups(folder)) == 1


def test_auto_backup_skips_server_database(pg_url: str, tmp_path: Path) -> None:
    db = open_database(pg_url)
    try:
        assert auto_backup_if_due(db, directory=tmp_path) is None
    finally:
        db.dispose()
    assert list(tmp_path.iterdir()) == []


def test_backup_command(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(sqlite_url)
    _fill(db, 1)
    db.dispose()
    target = tmp_path / "cli-copy.sqlite3"
    assert main(["--db", sqlite_url, "backup", str(target)]) == 0
    assert "Backup written to" in capsys.readouterr().out
    assert _counts(f"sqlite:///{target}")[:2] == (1, 1)
    assert main(["--db", sqlite_url, "backup", str(target)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_odd_file_names(tmp_path: Path) -> None:
    folder = tmp_path / "team #1? (ward 5)"
    folder.mkdir()
    db = open_database(f"sqlite:///{folder / 'irae #1?.sqlite3'}")
    try:
        _fill(db, 1)
        target = folder / "copy #2?.sqlite3"
        backup_database(db, target)
    finally:
        db.dispose()
    assert _counts(f"sqlite:///{target}")[:2] == (1, 1)
