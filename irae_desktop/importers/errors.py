"""Errors that stop a whole file from being imported, each with a message a user can act on."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError


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
FILE_FAILURES = (ImportFileError, UnicodeDecodeError, SQLAlchemyError)


def file_failure(exc: Exception, path: str | Path, log: logging.Logger) -> str:
    """The import summary's words for a file that could not be imported (one of
    FILE_FAILURES); a database failure is also logged, with its traceback, as a bug would be."""
    if isinstance(exc, ImportFileError):
        return str(exc)
    if isinstance(exc, UnicodeDecodeError):
        return f"the text cannot be decoded ({exc.reason}); save it as UTF-8"
    log.exception("import of %s failed in the database", path)
    detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
    return f"database error; nothing from this file was written ({detail})"
