"""A failure in the SQLite writer thread, at any point of a file, leaves nothing of the file:
no result, no new patient, no batch, no audit event; the summary says so."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from irae_desktop.store import lab_writer, sqlite_lab_insert
from irae_desktop.store.database import Database
from tests.fault_driver import FailingDriver
from tests.importers.helpers import run, table_counts

ROWS = 40  # chunks of 6 rows: 7 chunks, the last one short


def _file(path: Path) -> Path:
    lines = ["mrn,patient_name,collected_at,test,value,unit"]
    for n in range(ROWS):
        lines.append(
            f"W{n % 3},Wendy Writer{n % 3},2024-03-{1 + n // 3:02d} 08:00,ALT,{30 + n},U/L"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# each 6-row chunk is two statements (4 rows in one, then 2 rows one by one); the 7th
# chunk, 4 rows, is statement 13
@pytest.mark.parametrize("at", [1, 4, 13], ids=["first write", "second chunk", "last chunk"])
@pytest.mark.parametrize(
    "error",
    [sqlite3.OperationalError("database or disk is full"), sqlite3.InterfaceError("bad binding")],
    ids=["disk full", "binding"],
)
def test_a_writer_failure_leaves_nothing_of_the_file(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at: int, error: Exception
) -> None:
    monkeypatch.setattr(lab_writer, "CHUNK_ROWS", 6)
    monkeypatch.setattr(sqlite_lab_insert, "ROWS_PER_STATEMENT", 4)
    drivers: list[FailingDriver] = []
    real_init = sqlite_lab_insert.SqliteLabInsert.__init__

    def with_failing_driver(self: Any, *args: Any, **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        drivers.append(FailingDriver(self._driver, at=at, error=error))
        self._driver = drivers[-1]

    monkeypatch.setattr(sqlite_lab_insert.SqliteLabInsert, "__init__", with_failing_driver)
    before = table_counts(db)

    (summary,) = run(db, _file(tmp_path / "labs.csv"))

    assert drivers[0].statements == at  # the failure was reached, and nothing written after it
    assert summary.error.startswith("database error; nothing from this file was written")
    assert str(error) in summary.error
    assert summary.batch_id is None
    assert table_counts(db) == before
