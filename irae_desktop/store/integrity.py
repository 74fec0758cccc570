"""The start-up integrity check (file, then lab summaries) and restoring the latest good backup."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from irae_desktop.store.access import DatabaseReadOnlyError
from irae_desktop.store.backup import auto_backups, quick_check_file, read_only_uri
from irae_desktop.store.database import Database
from irae_desktop.store.engine import sqlite_path
from irae_desktop.store.errors import DatabaseDamagedError
from irae_desktop.store.lab_latest import CHUNK, repair_latest, stale_patients
from irae_desktop.store.models import Patient
from irae_desktop.store.paths import backup_dir, resolve_db_url

_SIDE_FILES = ("-wal", "-shm", "-journal")
# SQLite calls the cancel check every this many virtual machine steps of a long PRAGMA
_CANCEL_STEPS = 10_000
log = logging.getLogger(__name__)
Cancel = Callable[[], bool]


class CheckCancelled(Exception):
    """The check was asked to stop (the app is closing) before it finished."""


@dataclass(frozen=True)
class IntegrityReport:
    """`ok` False means damaged; `problems` says how and `backup` offers a way out."""

    ok: bool
    problems: list[str] = field(default_factory=list)
    backup: Path | None = None
    # patients whose lab summaries disagreed with their results: repaired, or (for a user who
    # may not write) left stale, in which case the worklist must not read the summaries
    summary_repaired: list[int] = field(default_factory=list)
    summary_stale: list[int] = field(default_factory=list)

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


def check_file(
    path: Path, directory: Path | None = None, *, cancel: Cancel | None = None
) -> IntegrityReport:
    """Checks an SQLite file before it is opened (a damaged file may not even migrate).

    A true `cancel()` stops the check within a moment (CheckCancelled), so closing the app
    never waits for a full read of a large file.
    """
    if not path.exists():
        return IntegrityReport(ok=True)
    problems = quick_check_file(path) if cancel is None else _quick_check(path, cancel)
    if not problems:
        problems = _foreign_key_problems(path, cancel)
    if not problems:
        return IntegrityReport(ok=True)
    return IntegrityReport(ok=False, problems=problems, backup=latest_backup(directory))


def _pragma(path: Path, pragma: str, cancel: Cancel | None) -> list[Any]:
    """The rows of a PRAGMA on a read-only connection; CheckCancelled if `cancel()` turns true."""
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        if cancel is not None:
            conn.set_progress_handler(lambda: 1 if cancel() else 0, _CANCEL_STEPS)
        return conn.execute(f"PRAGMA {pragma}").fetchall()
    except sqlite3.OperationalError:
        if cancel is not None and cancel():
            raise CheckCancelled() from None
        raise
    finally:
        conn.close()


def _quick_check(path: Path, cancel: Cancel) -> list[str]:
    """backup.quick_check_file, stoppable."""
    try:
        rows = [str(r[0]) for r in _pragma(path, "quick_check", cancel)]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def _foreign_key_problems(path: Path, cancel: Cancel | None = None) -> list[str]:
    try:
        rows = _pragma(path, "foreign_key_check", cancel)
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [f"{r[0]} row {r[1]} points to a missing {r[2]} row" for r in rows]


def check_before_open(url: str | None, directory: Path | None = None) -> IntegrityReport:
    """For start-up: checks the SQLite file the app is about to open (servers pass), so a damaged
    file is reported, with the latest backup offered, before migrations touch it."""
    path = sqlite_path(resolve_db_url(url))
    return check_file(path, directory) if path is not None else IntegrityReport(ok=True)


def check_integrity(
    db: Database, directory: Path | None = None, *, cancel: Cancel | None = None
) -> IntegrityReport:
    """PRAGMA quick_check on SQLite; on PostgreSQL the server guards its files: a query will do.
    Then, on a sound database, the lab_latest summary against the results (see check_summary)."""
    if db.sqlite_file is not None:
        report = check_file(db.sqlite_file, directory, cancel=cancel)
    else:
        try:
            with db.engine.connect() as conn:
                conn.execute(text("SELECT count(*) FROM audit_events"))
        except Exception as exc:
            return IntegrityReport(ok=False, problems=[str(getattr(exc, "orig", exc))])
        report = IntegrityReport(ok=True)
    if not report.ok:
        return report
    repaired, stale = check_summary(db, cancel=cancel)
    return IntegrityReport(ok=True, summary_repaired=repaired, summary_stale=stale)


def check_summary(db: Database, *, cancel: Cancel | None = None) -> tuple[list[int], list[int]]:
    """Compares lab_latest and lab_summary with the results and repairs the patients that
    disagree. Returns (repaired, stale): the patients put right, and those left wrong because
    this user may not write. Any disagreement is a bug in a write path, hence the warning."""
    with db.read() as session:
        ids = list(session.scalars(select(Patient.id).order_by(Patient.id)))
        suspects: set[int] = set()
        for start in range(0, len(ids), CHUNK):
            if cancel is not None and cancel():
                raise CheckCancelled()
            suspects |= stale_patients(session, ids[start : start + CHUNK])
    if not suspects:
        return [], []
    try:
        with db.write() as session:
            repaired = repair_latest(session, suspects)
    except DatabaseReadOnlyError:
        log.warning(
            "lab summary disagrees with the results of %d patient(s); not repaired: the "
            "database is read-only for this user",
            len(suspects),
        )
        return [], sorted(suspects)
    if repaired:
        log.warning(
            "lab summary disagreed with the results of %d patient(s) (ids %s); repaired",
            len(repaired),
            ", ".join(str(i) for i in repaired[:20]),
        )
    return repaired, []


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
