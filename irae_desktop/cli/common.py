"""Command-line helpers: exit codes, opening the database, reporting errors in plain words."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the database stack is imported only by commands that use it
    from irae_desktop.store.database import Database

EXIT_OK = 0
EXIT_INPUT_ERRORS = 1
EXIT_USAGE = 2

log = logging.getLogger("irae_desktop.cli")


class UsageError(Exception):
    """The command line itself is wrong (exit code 2)."""


def open_db(url: str | None) -> Database:
    from irae_desktop.store.database import open_database

    return open_database(url)


def fail_with(exc: BaseException) -> int:
    """Expected problems get a plain message and exit 1; bugs get a traceback in the log too."""
    from irae_desktop.store.errors import StoreError

    if isinstance(exc, StoreError | OSError):
        print(f"irae-desktop: {exc}", file=sys.stderr)
        return EXIT_INPUT_ERRORS
    log.exception("unexpected error")
    print(f"irae-desktop: unexpected error: {exc!r}", file=sys.stderr)
    return EXIT_INPUT_ERRORS
