"""The larger SQLite page cache of a bulk write is given back afterwards, also after a failure."""

from __future__ import annotations

import pytest

from irae_desktop.store.database import Database
from irae_desktop.store.lab_writer import IMPORT_CACHE_KIB, bulk_write_cache


def _cache_size(session) -> int:  # type: ignore[no-untyped-def]
    return int(session.connection().exec_driver_sql("PRAGMA cache_size").scalar())


def test_cache_is_larger_during_the_write_and_restored_after(db: Database) -> None:
    with db.write() as session:
        usual = _cache_size(session)
        with bulk_write_cache(session):
            assert _cache_size(session) == -IMPORT_CACHE_KIB
        assert _cache_size(session) == usual
        with pytest.raises(RuntimeError), bulk_write_cache(session):
            raise RuntimeError("import failed")
        assert _cache_size(session) == usual
