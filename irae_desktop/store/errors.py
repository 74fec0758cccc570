"""Errors the user can act on, raised by the store with plain-language messages."""

from __future__ import annotations


class StoreError(Exception):
    """Base for database problems a user can understand and act on."""


class NewerSchemaError(StoreError):
    """The database was written by a newer irae-desktop; it is left untouched."""


class DatabaseUnavailableError(StoreError):
    """The server cannot be reached, the credentials are wrong, or the file cannot be opened."""


class DatabaseDamagedError(StoreError):
    """The SQLite integrity check failed."""


class ConcurrentEditError(StoreError):
    """Someone else saved the same record first; carries what they changed."""

    def __init__(self, message: str, changes: dict[str, tuple[object, object]] | None = None):
        super().__init__(message)
        self.changes = changes or {}
