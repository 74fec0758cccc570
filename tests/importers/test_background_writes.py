"""Chunks written on the import's second thread: the same rows as writing in line, and a failed,
cancelled or abandoned import still leaves nothing behind."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

import irae_desktop.importers.service as service
from irae_desktop.importers.service import ImportOptions, run_import
from irae_desktop.store import background_insert, lab_writer
from irae_desktop.store.database import Database, open_database
from irae_desktop.store.models import LabResult, Patient
from tests.importers.helpers import run, table_counts

COLUMNS = [c.name for c in LabResult.__table__.columns if c.name != "id"]


def _file(tmp_path: Path, rows: int) -> Path:
    lines = ["mrn,name,dob,collected_at,test,value,unit,ref_range"]
    tests = (("ALT", "U/L", "7-56"), ("AST", "U/L", "10-40"), ("Glucose", "mmol/L", "3.9-7.8"))
    for i in range(rows):
        test, unit, ref = tests[i % 3]
        patient = i % 7
        lines.append(
            f"W{patient},Pat W{patient},1960-01-0{patient + 1},"
            f"2024-{1 + i // 700 % 12:02d}-{1 + i // 25 % 28:02d} {8 + i % 12:02d}:{i % 60:02d},"
            f"{test},{10 + (i * 37) % 500 / 10},{unit},{ref}"
        )
    # a duplicate and a bad row, so the counts have something to count
    lines.append(lines[1])
    lines.append("W1,Pat W1,1960-01-02,2024-05-01 08:00,ALT,lots,U/L,7-56")
    path = tmp_path / "labs.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _stored(db: Database) -> list[tuple[Any, ...]]:
    with db.read() as session:
        rows = session.execute(
            select(Patient.mrn, *[LabResult.__table__.c[c] for c in COLUMNS if c != "patient_id"])
            .join(Patient)
            .order_by(LabResult.id)
        ).all()
    # the batch id and file are the same in both databases; everything else must be too
    return [tuple(row) for row in rows]


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many chunks (and statements within them) from a small file."""
    monkeypatch.setattr(lab_writer, "CHUNK_ROWS", 97)
    monkeypatch.setattr(background_insert, "ROWS_PER_STATEMENT", 13)
    monkeypatch.setattr(service, "PROGRESS_EVERY", 50)


def test_rows_written_in_the_background_equal_rows_written_in_line(
    tmp_path: Path, small_chunks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _file(tmp_path, 2000)
    stored = {}
    summaries = {}
    for background in (True, False):
        monkeypatch.setattr(service, "BACKGROUND_WRITES", background)
        db = open_database(f"sqlite:///{tmp_path / f'{background}.sqlite3'}")
        try:
            (summaries[background],) = run(db, path)
            stored[background] = _stored(db)
        finally:
            db.dispose()

    assert summaries[True].counts() == summaries[False].counts()
    assert summaries[True].imported == 2000
    assert (summaries[True].duplicates, summaries[True].rejected_count) == (1, 1)
    assert len(stored[True]) == 2000
    assert stored[True] == stored[False]


def test_a_chunk_that_fails_in_the_background_leaves_the_database_unchanged(
    db: Database, tmp_path: Path, small_chunks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(db, _file(tmp_path, 50))  # something stored before, which must stay as it is
    before = table_counts(db)
    stored = _stored(db)
    real = background_insert.BackgroundInsert._insert
    calls = {"n": 0}

    def failing(self, rows):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:
            raise sqlite3.OperationalError("disk I/O error")
        return real(self, rows)

    monkeypatch.setattr(background_insert.BackgroundInsert, "_insert", failing)
    other = tmp_path / "more"
    other.mkdir()

    (summary,) = run(db, _file(other, 1500))

    assert calls["n"] == 3, "the import stopped at the failed chunk"
    assert "nothing from this file was written" in summary.error
    assert "disk I/O error" in summary.error
    assert table_counts(db) == before
    assert _stored(db) == stored


@pytest.mark.parametrize("how", ["cancel", "close"])
def test_stopping_with_a_chunk_in_flight_writes_nothing(
    db: Database, tmp_path: Path, small_chunks: None, how: str
) -> None:
    before = table_counts(db)
    asked = {"n": 0}

    def cancel() -> bool:
        asked["n"] += 1
        return how == "cancel" and asked["n"] >= 6

    steps = run_import(db, [_file(tmp_path, 1500)], ImportOptions(timezone="UTC"), cancel=cancel)
    if how == "close":
        for _ in range(6):
            next(steps)
        steps.close()
    else:
        events = list(steps)
        assert events[-1].summaries[0].cancelled

    assert table_counts(db) == before
    # and the database takes the next import as usual
    (summary,) = run(db, _file(tmp_path, 100))
    assert summary.imported == 100
