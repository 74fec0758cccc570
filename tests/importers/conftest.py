"""Fixtures for the import tests: an open database on SQLite, or on both backends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from irae_desktop.store.database import Database, open_database


@pytest.fixture
def both_db(any_db_url: str) -> Iterator[Database]:
    """An empty, migrated database, once on SQLite and once on PostgreSQL."""
    database = open_database(any_db_url)
    yield database
    database.dispose()
