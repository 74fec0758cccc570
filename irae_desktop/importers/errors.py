"""Errors that stop a whole file from being imported, each with a message a user can act on."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from irae_desktop.store.access import READ_ONLY_MESSAGE
from irae_desktop.store.error_codes import classify
from irae_desktop.store.errors import DatabaseFailure, DatabaseReadOnlyError

# how many times one file's whole batch is run when the database reports it busy, a
# serialization failure or a deadlock (two imports touching the same patients at once)
IMPORT_ATTEMPTS = 5

# a unique key refused a row another transaction committed while this one ran
_SAVED_FIRST_ELSEWHERE = {"23505", "SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"}


class ImportFileError(Exception):
    """The file cannot be imported at all (unreadable, binary, empty, unknown layout)."""


class UnknownLayoutError(ImportFileError):
    """A CSV header was not recognised; the message names the columns found and those needed."""

    def __init__(self, message: str, found: list[str], needed: list[str]):
        super().__init__(message)
        self.found = found
        self.needed = needed


class ImportCancelled(Exception):
    """The user cancelled; the batch was rolled back."""


# what stops one file's import, as the import services catch it
FILE_FAILURES = (ImportFileError, UnicodeDecodeError, SQLAlchemyError, DatabaseFailure)


def run_again(
    exc: BaseException,
    path: str | Path,
    attempt: int,
    log: logging.Logger,
    *,
    sleep: Callable[[float], None] | None = None,
) -> bool:
    """True when a file's batch, rolled back by `exc`, should be run again from the start:
    the database was busy or chose this transaction to abort (serialization failure,
    deadlock), or another import committed the same new row first (a unique key: on
    PostgreSQL two imports may both find a patient missing and both add it; the one that
    waited fails, and on its next attempt it finds the patient and matches the file to it),
    and attempts are left. Says so in the log and waits a moment first, a random one so that
    two imports that collided do not collide again in step."""
    failure = classify(exc)
    if failure is None or attempt >= IMPORT_ATTEMPTS:
        return False
    if not (failure.retryable or failure.code in _SAVED_FIRST_ELSEWHERE):
        return False
    log.warning(
        "import of %s rolled back (%s); running the whole file again (attempt %d of %d)",
        path,
        failure.code,
        attempt + 1,
        IMPORT_ATTEMPTS,
    )
    (sleep or time.sleep)(random.uniform(0.05, 0.25) * attempt)
    return True


def file_failure(exc: Exception, path: str | Path, log: logging.Logger) -> str:
    """The import summary's words for a file that could not be imported (one of
    FILE_FAILURES); a database failure is also logged, with its traceback, as a bug would be."""
    if isinstance(exc, ImportFileError):
        return str(exc)
    if isinstance(exc, UnicodeDecodeError):
        return f"the text cannot be decoded ({exc.reason}); save it as UTF-8"
    if isinstance(classify(exc), DatabaseReadOnlyError):  # rights taken away since opening
        return READ_ONLY_MESSAGE
    log.exception("import of %s failed in the database", path)
    detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
    return f"database error; nothing from this file was written ({detail})"
