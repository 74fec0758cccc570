"""The start-up integrity check, and putting the latest good backup back when a file is damaged."""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from irae_desktop.store.backup import auto_backups, quick_check_file, read_only_uri
from irae_desktop.store.database import Database
from irae_desktop.store.engine import sqlite_path
from irae_desktop.store.errors import DatabaseDamagedError
from irae_desktop.store.paths import backup_dir, resolve_db_url

_SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class IntegrityReport:
    """`ok` False means damaged; `problems` says how and `backup` offers a way out."""

    ok: bool
    problems: list[str] = field(default_factory=list)
    backup: Path | None = None

    def message(self) -> str:
        if self.ok:
            return "The database passed its integrity check."
        offer = (
            f" The latest good backup is {self.backup}; it can be put back in place of the damaged "
            "file (the damaged file is kept beside it)."
            if self.backup
            else " No backup was found: copy the file somewhere safe before anything else."
        )
        return f"The database is damaged ({'; '.join(self.problems[:3])}).{offer}"


def check_file(path: Path, directory: Path | None = None) -> IntegrityReport:
    """Checks an SQLite file before it is opened (a damaged file may not even migrate)."""
    if not path.exists():
        return IntegrityReport(ok=True)
    problems = quick_check_file(path)
    if not problems:
        problems = _foreign_key_problems(path)
    if not problems:
        return IntegrityReport(ok=True)
    return IntegrityReport(ok=False, problems=problems, backup=latest_backup(directory))


def _foreign_key_problems(path: Path) -> list[str]:
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            rows = conn.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [f"{r[0]} row {r[1]} points to a missing {r[2]} row" for r in rows]


def check_before_open(url: str | None, directory: Path | None = None) -> IntegrityReport:
    """For start-up: checks the SQLite file the app is about to open (servers pass), so a damaged
    file is reported, with the latest backup offered, before migrations touch it."""
    path = sqlite_path(resolve_db_url(url))
    return check_file(path, directory) if path is not None else IntegrityReport(ok=True)


def check_integrity(db: Database, directory: Path | None = None) -> IntegrityReport:
    """PRAGMA quick_check on SQLite; on PostgreSQL the server guards its files: a query will do."""
    if db.sqlite_file is not None:
        return check_file(db.sqlite_file, directory)
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM audit_events"))
    except Exception as exc:
        return IntegrityReport(ok=False, problems=[str(getattr(exc, "orig", exc))])
    return IntegrityReport(ok=True)


def latest_backup(directory: Path | None = None) -> Path | None:
    """The newest backup in the backup folder that itself passes the integrity check."""
    for _stamp, path in reversed(auto_backups(directory or backup_dir())):
        if not quick_check_file(path):
            return path
    return None


def restore_backup(backup: Path, target: Path) -> Path | None:
    """Puts `backup` in place of `target`; returns where the damaged file was moved (or None).

    Close every connection to `target` first. The damaged file and its journal files are moved
    aside, never deleted, so nothing that might still be recovered from them is lost.
    """
    problems = quick_check_file(backup)
    if problems:
        raise DatabaseDamagedError(f"The backup {backup} is damaged too ({problems[0]}).")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    moved: Path | None = None
    if target.exists():
        moved = target.with_name(f"{target.name}.damaged-{stamp}")
        os.replace(target, moved)
        for suffix in _SIDE_FILES:
            side = target.with_name(target.name + suffix)
            if side.exists():
                os.replace(side, moved.with_name(moved.name + suffix))
    partial = target.with_name(target.name + ".restoring")
    shutil.copyfile(backup, partial)
    partial.chmod(0o600)
    os.replace(partial, target)
    return moved
