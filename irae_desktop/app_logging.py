"""Logging set-up: a rotating, owner-only file in the user log directory, free of patient data.

The program's own messages name actions, counts, files and exception types, never patient names,
MRNs or values. Database drivers are less careful: their errors can quote the offending row
("Key (mrn)=(...) already exists", SQL parameters), so those parts are removed before writing.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
from pathlib import Path

from irae_desktop.store.paths import log_dir

LOG_FILE_NAME = "irae-desktop.log"
MAX_BYTES = 2_000_000
BACKUP_COUNT = 5

_REDACTIONS = (
    # SQLAlchemy's rendering of bound values: "[parameters: ('MRN-1', 'Ada', ...)]"
    (re.compile(r"\[parameters: .*?\](?=\s*(\n|\(Background|$))", re.S), "[parameters hidden]"),
    # PostgreSQL details quoting the row: "DETAIL:  Key (mrn)=(MRN-1) already exists."
    (re.compile(r"DETAIL: .*"), "DETAIL: (hidden)"),
    (re.compile(r"Failing row contains .*"), "Failing row contains (hidden)"),
)


def redact(text: str) -> str:
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then removes row values quoted by database errors and tracebacks."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class _OwnerOnlyRotatingHandler(logging.handlers.RotatingFileHandler):
    def _open(self):  # type: ignore[no-untyped-def]
        stream = super()._open()
        os.chmod(self.baseFilename, 0o600)
        return stream


_handler: logging.Handler | None = None


def setup_logging(directory: Path | None = None, level: int = logging.INFO) -> Path | None:
    """Sends the app's log records to the log file; returns its path, None if it is unwritable.

    Calling it again replaces the earlier handler (tests, a second window) instead of doubling.
    """
    global _handler
    folder = directory or log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)
        handler = _OwnerOnlyRotatingHandler(
            folder / LOG_FILE_NAME, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    root.addHandler(handler)
    _handler = handler
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    # the database driver's own statement logging would write patient data
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    return folder / LOG_FILE_NAME


def log_file() -> Path | None:
    return Path(_handler.baseFilename) if isinstance(_handler, logging.FileHandler) else None
