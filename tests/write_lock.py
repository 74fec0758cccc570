"""Another program holding SQLite's write lock, for tests of the retried writes.

A real second connection takes the lock with BEGIN IMMEDIATE; the writer's pause before its
next attempt (the `time.sleep` of the module that retries, replaced here) lets it go, as a
program that finishes its own write would.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest


@contextmanager
def held_until_first_pause(
    path: Path | str, retrying_module: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[float]]:
    """Holds the write lock on the SQLite file at `path` until `retrying_module` first pauses;
    gives the list of pauses taken."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    pauses: list[float] = []

    def pause(seconds: float) -> None:
        pauses.append(seconds)
        if holder.in_transaction:
            holder.rollback()

    monkeypatch.setattr(retrying_module.time, "sleep", pause)
    try:
        yield pauses
    finally:
        if holder.in_transaction:
            holder.rollback()
        holder.close()
