"""Errors the user can act on, raised by the store with plain-language messages.

The database failures (busy, unavailable, read-only, disk full, damaged, constraint) are made
from the driver's error code by irae_desktop.store.error_codes; the UI words its messages by
these classes and never by the driver's message text.
"""

from __future__ import annotations


class StoreError(Exception):
    """Base for database problems a user can understand and act on."""


class NewerSchemaError(StoreError):
    """The database was written by a newer irae-desktop; it is left untouched."""


class DatabaseFailure(StoreError):
    """A failure the database reported, classified by its SQLite error code or SQLSTATE.

    `code` is the driver's own name for it (e.g. "SQLITE_BUSY", "40P01"), kept for the log.
    `from_code` is True when the failure was made from the code alone (its message is the
    class's general words); False when the store raised it with words for the situation.
    """

    # True when running the whole transaction again may succeed
    retryable = False

    def __init__(self, message: str, *, code: str = "", from_code: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.from_code = from_code


class DatabaseBusyError(DatabaseFailure):
    """Another program held the database (lock, serialization failure, deadlock); retryable."""

    retryable = True


class DatabaseUnavailableError(DatabaseFailure):
    """The server cannot be reached, the credentials are wrong, or the file cannot be opened."""


class DatabaseReadOnlyError(DatabaseFailure):
    """The database may be read but not changed (read-only file, folder or transaction)."""


class PermissionDeniedError(DatabaseReadOnlyError):
    """The server refused this user's role the change (SQLSTATE 42501)."""


class DiskFullError(DatabaseFailure):
    """The disk holding the database (or the server's) has no room left."""


class ConstraintViolationError(DatabaseFailure):
    """The database refused a row that breaks a rule (unique, foreign key, check, not null).

    The store checks its rules first with plain messages; reaching this one usually means two
    workstations saved the same thing at the same moment, or a bug.
    """


class DatabaseDamagedError(DatabaseFailure):
    """The SQLite integrity check failed."""


class CorruptDatabaseError(DatabaseDamagedError):
    """The database reported damaged pages or a file that is not a database."""


class ConcurrentEditError(StoreError):
    """Someone else saved the same record first; carries what they changed."""

    def __init__(self, message: str, changes: dict[str, tuple[object, object]] | None = None):
        super().__init__(message)
        self.changes = changes or {}
