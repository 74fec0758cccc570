"""Expected failures get plain words; bugs get the unexpected-error dialog with the log path."""

from __future__ import annotations

import errno
import logging
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy.exc import OperationalError

from irae_desktop.store.errors import DatabaseUnavailableError
from irae_desktop.ui.errors import plain_message, setup_logging, show_error


def _sqlite_failure(tmp: Path, kind: str) -> OperationalError:
    """A real SQLite failure of one kind, wrapped as SQLAlchemy wraps it."""
    path = tmp / f"{kind}.sqlite3"
    setup = sqlite3.connect(path, isolation_level=None)
    setup.execute("CREATE TABLE t (x BLOB)")
    if kind == "locked":
        setup.execute("BEGIN IMMEDIATE")
        conn = sqlite3.connect(path, timeout=0, isolation_level=None)
        statement = "BEGIN IMMEDIATE"
    elif kind == "full":
        conn = setup
        conn.execute("PRAGMA max_page_count = 3")
        statement = "INSERT INTO t VALUES (zeroblob(100000))"
    else:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        statement = "INSERT INTO t VALUES (1)"
    try:
        conn.execute(statement)
    except sqlite3.OperationalError as exc:
        return OperationalError(statement, {}, exc)
    finally:
        conn.close()
        setup.close()
    raise AssertionError("SQLite did not fail")


@pytest.mark.parametrize(
    ("kind", "words"),
    [("locked", "database is busy"), ("full", "disk is full"), ("readonly", "read-only")],
)
def test_database_failures_are_worded_by_their_code(tmp_path: Path, kind: str, words: str) -> None:
    message = plain_message(_sqlite_failure(tmp_path, kind))
    assert message is not None and words in message


def test_message_text_alone_is_not_trusted() -> None:
    # a driver error that only says "locked" in its text, without SQLite's code, is a bug
    text_only = OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))
    assert plain_message(text_only) is None


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "disk is full"),
        (PermissionError(13, "Permission denied", "/x/labs.csv"), "permission to use /x/labs.csv"),
        (FileNotFoundError(2, "No such file", "/x/gone.csv"), "/x/gone.csv does not exist"),
        (
            DatabaseUnavailableError("The database server at db:5432 cannot be reached."),
            "db:5432 cannot be reached",
        ),
    ],
)
def test_expected_failures_are_plain_messages(exc: BaseException, words: str) -> None:
    message = plain_message(exc)
    assert message is not None and words in message


def test_bugs_are_not_dressed_up_as_user_errors() -> None:
    assert plain_message(KeyError("grade")) is None
    assert plain_message(ZeroDivisionError()) is None


def test_unexpected_error_dialog_names_the_log_file(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    log_file = setup_logging(tmp_path / "logs")
    assert log_file is not None
    try:
        raise KeyError("MRN-123 Ada Lovelace")
    except KeyError as exc:
        box = show_error(None, exc, action="open the patient")
    qtbot.addWidget(box)
    assert box.windowTitle() == "Unexpected error"
    assert str(log_file) in box.text()
    for handler in logging.getLogger().handlers:
        handler.flush()
    logged = log_file.read_text(encoding="utf-8")
    assert "KeyError" in logged and "test_errors.py" in logged
    assert "MRN-123" not in logged  # no patient data in the log
    box.close()


def test_expected_error_box_is_plain_and_non_blocking(qtbot) -> None:  # type: ignore[no-untyped-def]
    box = show_error(None, PermissionError(13, "denied", "/x/a.csv"), action="import the files")
    qtbot.addWidget(box)
    assert box.windowTitle() == "Could not import the files"
    assert box.icon() == QMessageBox.Icon.Warning
    assert box.isVisible()
    box.close()
