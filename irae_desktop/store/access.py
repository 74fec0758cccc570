"""Whether this user may write to the database, and how a refused write is told to the user."""

from __future__ import annotations

import os

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from irae_desktop.store.engine import sqlite_path
from irae_desktop.store.error_codes import classify
from irae_desktop.store.errors import DatabaseReadOnlyError

__all__ = [
    "READ_ONLY_MESSAGE",
    "DatabaseReadOnlyError",
    "is_permission_error",
    "probe_write_access",
]

# tables a workstation writes to in ordinary work; lacking any of them means read-only
_WRITTEN = ("patients", "lab_results", "treatment_lines", "consult_notes", "audit_events")


READ_ONLY_MESSAGE = (
    "This database is open read-only for you: your account may look at the data but not change "
    "it. Nothing was saved. Ask the database administrator for write access."
)


def is_permission_error(exc: BaseException) -> bool:
    """A refused write: PostgreSQL SQLSTATE 42501 or 25006, or a read-only SQLite file."""
    return isinstance(classify(exc), DatabaseReadOnlyError)


def probe_write_access(engine: Engine) -> bool:
    """True when ordinary writes should succeed; checked once when the database is opened."""
    if engine.dialect.name == "sqlite":
        path = sqlite_path(engine.url.render_as_string(hide_password=False))
        if path is None:
            return True
        # WAL mode also needs to create the -wal and -shm files beside the database
        return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    if engine.dialect.name == "postgresql":
        checks = (
            " AND ".join(f"has_table_privilege('{t}', 'INSERT')" for t in _WRITTEN)
            + " AND has_table_privilege('lab_results', 'UPDATE')"
        )
        try:
            with engine.connect() as conn:
                return bool(conn.execute(text(f"SELECT {checks}")).scalar())
        except DBAPIError:
            return False
    return True
