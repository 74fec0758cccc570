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


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (
            OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked")),
            "database is busy",
        ),
        (
            OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full")),
            "disk is full",
        ),
        (OSError(errno.ENOSPC, "No space left on device"), "disk is full"),
        (PermissionError(13, "Permission denied", "/x/labs.csv"), "permission to use /x/labs.csv"),
        (FileNotFoundError(2, "No such file", "/x/gone.csv"), "/x/gone.csv does not exist"),
        (
            DatabaseUnavailableError("The database server at db:5432 cannot be reached."),
            "cannot be reached",
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
