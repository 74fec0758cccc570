"""Consistent online backups: SQLite's backup API, or an SQLite copy of a PostgreSQL database.

A backup is always a single SQLite file that irae-desktop can open directly (`--db
sqlite:///FILE`). For PostgreSQL the rows are copied inside one repeatable-read transaction, so
the copy is a consistent snapshot even while colleagues keep working; the server's own backups
(pg_dump, base backups) remain the DBA's tool for restoring the server itself.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, delete, insert, select, text
from sqlalchemy.engine import Connection

from irae_desktop.domain.utc import aware_utc
from irae_desktop.store.audit import current_user, record_event
from irae_desktop.store.database import Database
from irae_desktop.store.errors import StoreError
from irae_desktop.store.migrate import upgrade_to_head
from irae_desktop.store.models import Base
from irae_desktop.store.paths import backup_dir

AUTO_PREFIX = "irae-auto-"
AUTO_SUFFIX = ".sqlite3"
_AUTO_NAME = re.compile(r"^irae-auto-(\d{8}T\d{6}Z)\.sqlite3$")
_STAMP = "%Y%m%dT%H%M%SZ"
AUTO_INTERVAL = timedelta(hours=24)
_CHUNK = 2000


class BackupError(StoreError):
    """The backup could not be written; nothing was left at the target."""


@dataclass(frozen=True)
class BackupProgress:
    done: int
    total: int
    stage: str


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int
    rows: int | None  # known for a copy of PostgreSQL


def _partial(target: Path) -> Path:
    return target.with_name(target.name + ".partial")


def _owner_only_file(path: Path) -> None:
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    path.chmod(0o600)


def read_only_uri(path: Path) -> str:
    """An SQLite URI opening `path` read-only (quoted: file names may hold '?' or '#')."""
    return f"file:{quote(str(path.resolve()))}?mode=ro"


def quick_check_file(path: Path) -> list[str]:
    """Problems SQLite's quick_check finds in a file (empty list when it is sound)."""
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def _copy_sqlite(source: Path, partial: Path) -> Iterator[BackupProgress]:
    src = sqlite3.connect(read_only_uri(source), uri=True, timeout=15)
    try:
        dst = sqlite3.connect(partial)
        try:
            yield BackupProgress(0, 1, "copying")
            # the online backup API copies a consistent snapshot while others keep writing
            src.backup(dst, pages=1024)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            dst.close()
    finally:
        src.close()
    yield BackupProgress(1, 1, "copied")


def _copy_tables(source: Connection, target: Connection) -> Iterator[BackupProgress]:
    tables = [t for t in Base.metadata.sorted_tables]
    for index, table in enumerate(tables):
        yield BackupProgress(index, len(tables), f"copying {table.name}")
        if table.name == "app_settings":
            # the migrations seed a default (the clinical time zone): the copy holds the source's
            target.execute(delete(table))
        result = source.execution_options(stream_results=True, yield_per=_CHUNK).execute(
            select(table).order_by(*table.primary_key.columns)
        )
        for chunk in result.mappings().partitions(_CHUNK):
            target.execute(insert(table), [dict(row) for row in chunk])
    yield BackupProgress(len(tables), len(tables), "copied")


def _copy_postgresql(db: Database, partial: Path) -> Iterator[BackupProgress]:
    target_engine = create_engine(f"sqlite:///{partial}")
    try:
        upgrade_to_head(target_engine)  # same schema, triggers included
        with (
            db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as source,
            target_engine.begin() as target,
        ):
            source.execute(text("SET TRANSACTION READ ONLY"))
            yield from _copy_tables(source, target)
            source.rollback()
    finally:
        target_engine.dispose()


def iter_backup(db: Database, target: Path, *, overwrite: bool = False) -> Iterator[BackupProgress]:
    """Writes a consistent copy of `db` to `target`, yielding progress; atomic: all or nothing."""
    target = Path(target).expanduser()
    if target.exists() and not overwrite:
        raise BackupError(f"{target} already exists; choose another name or allow overwriting.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    if db.sqlite_file is not None and target.resolve() == db.sqlite_file.resolve():
        raise BackupError("The backup cannot replace the database it copies.")
    partial = _partial(target)
    try:
        _owner_only_file(partial)
        if db.backend == "sqlite" and db.sqlite_file is not None:
            yield from _copy_sqlite(db.sqlite_file, partial)
        elif db.backend == "postgresql":
            yield from _copy_postgresql(db, partial)
        else:
            raise BackupError(f"Backups of {db.backend} databases are not supported.")
        yield BackupProgress(0, 1, "checking")
        problems = quick_check_file(partial)
        if problems:
            raise BackupError(f"The copy failed its check ({problems[0]}); it was discarded.")
        partial.chmod(0o600)
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise BackupError(f"The backup could not be written: {exc}.") from exc
    except OSError as exc:
        raise BackupError(f"The backup could not be written to {target}: {exc.strerror}.") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    yield BackupProgress(1, 1, "done")


def backup_database(
    db: Database, target: Path, *, overwrite: bool = False, user: str | None = None
) -> BackupResult:
    """Runs `iter_backup` to the end and records the backup in the audit trail."""
    for _ in iter_backup(db, target, overwrite=overwrite):
        pass
    target = Path(target).expanduser()
    if not db.read_only:
        with db.write() as session:
            record_event(
                session,
                user=user or current_user(),
                action="backup",
                entity="database",
                after={"file": target.name},
            )
    return BackupResult(path=target, size_bytes=target.stat().st_size, rows=None)


def auto_backups(directory: Path | None = None) -> list[tuple[datetime, Path]]:
    """The automatic backups in `directory`, oldest first."""
    folder = directory or backup_dir()
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _AUTO_NAME.match(path.name)
        if match:
            stamp = aware_utc(datetime.strptime(match.group(1), _STAMP))
            found.append((stamp, path))
    return sorted(found)


def auto_backup_if_due(
    db: Database,
    keep_days: int = 14,
    *,
    now: datetime | None = None,
    directory: Path | None = None,
) -> Path | None:
    """Called at start: a daily copy of a local SQLite database, kept `keep_days` days.

    Returns the new backup, or None when one less than a day old exists or the database is on
    a server (whose backups are the DBA's job; copying it to every workstation would spread
    patient data). Old automatic copies are removed, but the newest is always kept.
    """
    if db.sqlite_file is None:
        return None
    now = now or datetime.now(UTC)
    folder = directory or backup_dir()
    existing = auto_backups(folder)
    created: Path | None = None
    if not existing or now - existing[-1][0] >= AUTO_INTERVAL:
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)
        created = folder / f"{AUTO_PREFIX}{now.strftime(_STAMP)}{AUTO_SUFFIX}"
        for _ in iter_backup(db, created):
            pass
        existing = auto_backups(folder)
    for stamp, path in existing[:-1]:
        if now - stamp > timedelta(days=keep_days):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    return created
