"""Errors that stop a whole file from being imported, each with a message a user can act on."""

from __future__ import annotations


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
