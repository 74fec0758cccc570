"""Turns expected failures into plain messages, logs bugs, and shows the unexpected-error dialog."""

from __future__ import annotations

import errno
import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QMessageBox, QWidget

from irae_desktop import app_logging
from irae_desktop.store import paths
from irae_desktop.store.error_codes import classify
from irae_desktop.store.errors import (
    ConstraintViolationError,
    CorruptDatabaseError,
    DatabaseBusyError,
    DatabaseFailure,
    DatabaseReadOnlyError,
    DatabaseUnavailableError,
    DiskFullError,
    PermissionDeniedError,
    StoreError,
)

log = logging.getLogger("irae_desktop")


def setup_logging(directory: Path | None = None) -> Path | None:
    """The app's rotating, owner-only, redacted log file (see irae_desktop.app_logging)."""
    return app_logging.setup_logging(directory)


def scrubbed_traceback(exc: BaseException) -> str:
    """Where the error happened (files, lines, functions) and its type, without its message:
    messages of database and parsing errors can quote patient names, MRNs or values."""
    frames = traceback.extract_tb(exc.__traceback__)
    lines = [f'  File "{f.filename}", line {f.lineno}, in {f.name}' for f in frames]
    return "Traceback (most recent call last):\n" + "\n".join(lines) + f"\n{type(exc).__name__}"


def log_bug(logger: logging.Logger, what: str, exc: BaseException) -> None:
    logger.error("%s\n%s", what, scrubbed_traceback(exc))


def log_file() -> Path | None:
    return app_logging.log_file()


# the window's words for each database failure class, most specific first; the class comes
# from the error code (irae_desktop.store.error_codes), never from the message text
_DATABASE_WORDS: tuple[tuple[type[DatabaseFailure], str], ...] = (
    (
        DatabaseBusyError,
        "The database is busy: another irae-desktop window or a backup is writing to it. "
        "Nothing was changed. Wait a moment and try again.",
    ),
    (
        DiskFullError,
        "The disk is full, so nothing was saved. Free some space (or ask IT), then try again.",
    ),
    (
        PermissionDeniedError,
        "Your database account may not make this change, so nothing was saved. "
        "Ask the database administrator for write access.",
    ),
    (DatabaseReadOnlyError, "The database is read-only for your account, so nothing was saved."),
    (CorruptDatabaseError, "The database file is damaged or is not an irae-desktop database."),
    (
        ConstraintViolationError,
        "The change clashes with data saved at the same moment (perhaps from another "
        "workstation). Nothing was saved; refresh and try again.",
    ),
    (
        DatabaseUnavailableError,
        "The database cannot be reached or opened, so nothing was saved. "
        "Check the network or the file, then try again.",
    ),
)


def plain_message(exc: BaseException) -> str | None:
    """A message a clinician can act on, or None when the failure is a bug."""
    failure = classify(exc)
    if failure is not None:
        if not failure.from_code:
            return str(failure)  # the store worded this one for its situation (which server...)
        for kind, words in _DATABASE_WORDS:
            if isinstance(failure, kind):
                return words
    if isinstance(exc, StoreError):
        return str(exc)
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return _DATABASE_WORDS[1][1]
    if isinstance(exc, PermissionError):
        return f"You do not have permission to use {exc.filename or 'this file'}."
    if isinstance(exc, FileNotFoundError):
        return f"The file {exc.filename or ''} does not exist (moved or deleted?)."
    if isinstance(exc, IsADirectoryError):
        return f"{exc.filename} is a folder, not a file."
    if isinstance(exc, UnicodeDecodeError):
        return "The file is not readable text (wrong encoding or not a lab file)."
    if isinstance(exc, OSError):
        return f"The file could not be read or written: {exc.strerror or exc}."
    return None


def unexpected_text(exc: BaseException) -> str:
    where = app_logging.log_file() or paths.log_dir() / app_logging.LOG_FILE_NAME
    return (
        "An unexpected error occurred. Your saved data is safe; the last action may not have "
        f"completed.\n\nDetails were written to the log file:\n{where}\n\n"
        f"({type(exc).__name__})"
    )


def show_error(parent: QWidget | None, exc: BaseException, *, action: str = "") -> QMessageBox:
    """A plain message for expected errors, the unexpected-error dialog (with log path) for bugs.

    The box is opened non-modally (`open()`), so callers and tests are never blocked.
    """
    message = plain_message(exc)
    if message is None:
        log_bug(log, "unexpected error" + (f" during {action}" if action else ""), exc)
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            "Unexpected error",
            unexpected_text(exc),
            QMessageBox.StandardButton.Ok,
            parent,
        )
        box.setDetailedText("".join(traceback.format_exception(exc)))
    else:
        log.info(
            "reported to user: %s%s", type(exc).__name__, f" during {action}" if action else ""
        )
        title = f"Could not {action}" if action else "irae-desktop"
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent
        )
    box.setObjectName("errorBox")
    box.open()
    return box


def install_excepthook() -> None:
    """Uncaught exceptions in slots are logged and shown instead of silently lost."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        log_bug(log, "uncaught exception", exc.with_traceback(tb))
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if app is not None:
            window = QApplication.activeWindow()
            show_error(window, exc)

    sys.excepthook = hook
