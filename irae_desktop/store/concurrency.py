"""Optimistic locking and retry helpers shared by the write repositories."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from irae_desktop.store.error_codes import classify, is_retryable
from irae_desktop.store.errors import ConcurrentEditError, DatabaseBusyError, DatabaseFailure

if TYPE_CHECKING:
    from irae_desktop.store.database import Database

T = TypeVar("T")

log = logging.getLogger(__name__)

__all__ = [
    "DatabaseBusyError",
    "bump_version",
    "changed",
    "check_version",
    "flush_or_conflict",
    "is_busy_error",
    "retry_on_busy",
    "run_operation",
    "write_with_retry",
]

BUSY_MESSAGE = (
    "The database stayed busy (another program is writing to it). "
    "Nothing was saved; please try again in a moment."
)


class Versioned(Protocol):
    version: int


def check_version(
    obj: Versioned,
    expected_version: int,
    current: Mapping[str, Any],
    yours: Mapping[str, Any],
    what: str,
) -> None:
    """Raises ConcurrentEditError (with {field: (theirs, yours)}) if `obj` moved past the editor."""
    if obj.version == expected_version:
        return
    changes = {k: (current.get(k), v) for k, v in yours.items() if current.get(k) != v}
    raise ConcurrentEditError(
        f"{what} was changed by someone else after you opened it. "
        "Your changes were not saved; review theirs and try again.",
        changes=changes,
    )


def flush_or_conflict(session: Session, what: str) -> None:
    """Flushes; a version clash between our read and our write becomes ConcurrentEditError."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConcurrentEditError(
            f"{what} was changed by someone else while you were saving. "
            "Your changes were not saved; reopen it and try again."
        ) from exc


def bump_version(obj: object, attribute: str) -> None:
    """Marks `obj` changed so its version moves, e.g. when a child (dose step, hold) is added."""
    flag_modified(obj, attribute)


def changed(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The (before, after) pair restricted to the fields whose value really changed."""
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def is_busy_error(exc: BaseException) -> bool:
    """True for SQLite busy/locked and PostgreSQL serialization failures, deadlocks and lock
    timeouts (by error code; see irae_desktop.store.error_codes)."""
    return is_retryable(exc)


def retry_on_busy(
    work: Callable[[], T],
    *,
    attempts: int = 6,
    first_delay: float = 0.1,
    sleep: Callable[[float], None] | None = None,
) -> T:
    """Runs `work` (a whole transaction) again when the database was busy; other errors pass.

    busy_timeout already makes SQLite writers wait; this covers the rare SQLITE_BUSY that escapes
    it (e.g. a checkpoint racing a reader's snapshot) so ordinary work never shows "locked".
    """
    # looked up at each call, not fixed when this module loads: a test can stand in for it
    pause = sleep or time.sleep
    delay = first_delay
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except (DatabaseFailure, DBAPIError) as exc:
            if not is_busy_error(exc):
                raise
            failure = classify(exc)
            code = failure.code if failure is not None else ""
            if attempt == attempts:
                raise DatabaseBusyError(BUSY_MESSAGE, code=code) from exc
            log.info("database busy (%s), retrying (attempt %d of %d)", code, attempt, attempts)
            pause(delay)
            delay = min(delay * 2, 2.0)
    raise AssertionError("unreachable")  # pragma: no cover


def run_operation(
    db: Database, work: Callable[[Session, str], T], user: str, *, attempts: int = 3
) -> T:
    """One write from the window, as irae_desktop.ui.operations runs it on its worker thread:
    `work(session, user)` in one transaction, run again from the start when the database was
    busy. Tests that mean "what the window does" call this."""
    return write_with_retry(db, lambda session: work(session, user), attempts=attempts)


def write_with_retry(db: Database, work: Callable[[Session], T], **kwargs: Any) -> T:
    """Runs `work(session)` in `db.write()`, retrying the whole transaction when the db was busy."""

    def attempt() -> T:
        with db.write() as session:
            return work(session)

    return retry_on_busy(attempt, **kwargs)
