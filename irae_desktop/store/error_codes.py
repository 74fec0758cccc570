"""Classifies a database failure by its SQLite error code or PostgreSQL SQLSTATE, once.

Every error a driver raises carries a code that says what went wrong: sqlite3 exceptions have
`sqlite_errorcode` (the extended code; its low byte is the primary code) and psycopg exceptions
have `sqlstate` (five characters, the first two naming the class). `classify` turns a code into
one of the store's DatabaseFailure classes, so callers and the UI dispatch on the class and no
one reads the driver's message text, which changes between versions and languages and may quote
patient data. A code that means a bug (a syntax error, a missing column) is left unclassified.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError

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

_Kind = type[DatabaseFailure]

# SQLite primary result codes (the low byte of the extended code)
_SQLITE: dict[int, _Kind] = {
    sqlite3.SQLITE_BUSY: DatabaseBusyError,
    sqlite3.SQLITE_LOCKED: DatabaseBusyError,
    sqlite3.SQLITE_READONLY: DatabaseReadOnlyError,
    sqlite3.SQLITE_PERM: PermissionDeniedError,
    sqlite3.SQLITE_AUTH: PermissionDeniedError,
    sqlite3.SQLITE_FULL: DiskFullError,
    sqlite3.SQLITE_CANTOPEN: DatabaseUnavailableError,
    sqlite3.SQLITE_IOERR: DatabaseUnavailableError,
    sqlite3.SQLITE_CORRUPT: CorruptDatabaseError,
    sqlite3.SQLITE_NOTADB: CorruptDatabaseError,
    sqlite3.SQLITE_CONSTRAINT: ConstraintViolationError,
}

# PostgreSQL SQLSTATEs, exact codes first, then by class (the first two characters)
_PG_CODES: dict[str, _Kind] = {
    "40001": DatabaseBusyError,  # serialization_failure
    "40P01": DatabaseBusyError,  # deadlock_detected
    "55P03": DatabaseBusyError,  # lock_not_available
    "42501": PermissionDeniedError,  # insufficient_privilege
    "25006": DatabaseReadOnlyError,  # read_only_sql_transaction (a standby server)
    "53100": DiskFullError,  # disk_full
    "57P01": DatabaseUnavailableError,  # admin_shutdown
    "57P02": DatabaseUnavailableError,  # crash_shutdown
    "57P03": DatabaseUnavailableError,  # cannot_connect_now
    "3D000": DatabaseUnavailableError,  # invalid_catalog_name: no such database
    "XX001": CorruptDatabaseError,  # data_corrupted
    "XX002": CorruptDatabaseError,  # index_corrupted
}
_PG_CLASSES: dict[str, _Kind] = {
    "08": DatabaseUnavailableError,  # connection exception
    "28": DatabaseUnavailableError,  # invalid authorization (wrong user or password)
    "23": ConstraintViolationError,  # integrity constraint violation
    "53": DatabaseUnavailableError,  # insufficient resources (memory, connections)
}

# the store's own words for each class: for the log and the command line; the window words
# them again for its context in irae_desktop.ui.errors
_WORDS: dict[_Kind, str] = {
    DatabaseBusyError: "The database is busy: another program is writing to it.",
    DatabaseUnavailableError: "The database cannot be reached or opened.",
    DatabaseReadOnlyError: "The database is read-only here, so nothing can be changed.",
    PermissionDeniedError: "Your database account may not make this change.",
    DiskFullError: "The disk holding the database is full.",
    CorruptDatabaseError: "The database file is damaged or is not a database.",
    ConstraintViolationError: "The database refused a row that breaks one of its rules.",
}


def error_code(exc: BaseException) -> tuple[str, int | str] | None:
    """("sqlite", primary code) or ("postgresql", SQLSTATE) of a driver error, or None."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(orig, sqlite3.Error):
        code = getattr(orig, "sqlite_errorcode", None)
        return ("sqlite", code & 0xFF) if isinstance(code, int) else None
    sqlstate = getattr(orig, "sqlstate", None)
    if isinstance(sqlstate, str) and len(sqlstate) == 5:
        return ("postgresql", sqlstate)
    if type(orig).__module__.startswith("psycopg") and type(orig).__name__ == "OperationalError":
        return ("postgresql", "08000")  # psycopg raises a connection failure without a SQLSTATE
    return None


def _kind(exc: BaseException) -> tuple[_Kind, str] | None:
    found = error_code(exc)
    if found is None:
        return None
    backend, code = found
    if backend == "sqlite":
        assert isinstance(code, int)
        kind = _SQLITE.get(code)
        orig = exc.orig if isinstance(exc, DBAPIError) else exc
        return (kind, str(getattr(orig, "sqlite_errorname", code))) if kind else None
    assert isinstance(code, str)
    kind = _PG_CODES.get(code) or _PG_CLASSES.get(code[:2])
    return (kind, code) if kind else None


def classify(exc: BaseException) -> DatabaseFailure | None:
    """The store's error for a driver failure (raise it `from exc`), or None for a bug."""
    if isinstance(exc, DatabaseFailure):
        return exc
    found = _kind(exc)
    if found is None:
        return None
    kind, code = found
    return kind(_WORDS[kind], code=code, from_code=True)


def is_retryable(exc: BaseException) -> bool:
    """True for busy, locked, serialization failure and deadlock: run the transaction again."""
    failure = classify(exc)
    return failure is not None and failure.retryable


@contextmanager
def classified() -> Iterator[None]:
    """Re-raises a driver failure inside the block as its store class; bugs pass unchanged."""
    try:
        yield
    except (DBAPIError, sqlite3.Error) as exc:
        failure = classify(exc)
        if failure is None:
            raise
        raise failure from exc
