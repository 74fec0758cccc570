"""A file's import that meets a busy database is rolled back and run again whole, with the
retry in the log: nothing from the failed attempt is left, every row is stored once.

Another program holds SQLite's write lock (a real second connection in BEGIN IMMEDIATE) with a
busy timeout of 50 ms, so the first attempt fails with SQLITE_BUSY; the program lets go while
the import waits before its second attempt.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from irae_desktop.domain.records import PatientRecord
from irae_desktop.importers import errors as import_errors
from irae_desktop.importers.service import import_files
from irae_desktop.store import engine as engine_module
from irae_desktop.store.database import Database, open_database
from irae_desktop.store.models import ImportBatch, LabResult, Patient, TreatmentLine
from irae_desktop.store.patients import create_patient
from tests.write_lock import held_until_first_pause

LABS = (
    "mrn,patient_name,collected_at,test,value,unit,uln\n"
    "R-1,Rita Retry,2026-01-05T07:00:00Z,ALT,120,U/L,40\n"
    "R-1,Rita Retry,2026-01-06T07:00:00Z,ALT,90,U/L,40\n"
    "R-2,Rolf Retry,2026-01-05T07:00:00Z,AST,45,U/L,40\n"
)
LINES = (
    "MRN,Drug,Dose,Unit,Frequency,Route,Start date,Stop date,Indication\n"
    "R-1,KEYTRUDA,200,mg,q3w,IV,2024-01-15,,melanoma\n"
    "R-1,Solu-Medrol,1,mg/kg,BID,IV,2024-03-01,2024-03-04,hepatitis\n"
)


@pytest.fixture
def quick_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Database]:
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 50)
    database = open_database(f"sqlite:///{tmp_path / 'retry.sqlite3'}")
    yield database
    database.dispose()


@pytest.fixture
def lock_held_until_first_retry(
    quick_db: Database, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[float]]:
    """Holds the write lock; the import's pause before its second attempt releases it."""
    with held_until_first_pause(
        quick_db.sqlite_file,  # type: ignore[arg-type]
        import_errors,
        monkeypatch,
    ) as pauses:
        yield pauses


def _count(db: Database, model: type) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_a_lab_file_is_run_again_whole_when_the_database_was_busy(
    quick_db: Database,
    lock_held_until_first_retry: list[float],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    path = tmp_path / "labs.csv"
    path.write_text(LABS, encoding="utf-8")
    caplog.set_level("WARNING", logger="irae_desktop.importers.service")
    (summary,) = import_files(quick_db, [path])
    assert summary.error == ""
    assert (summary.rows_read, summary.imported, summary.patients_created) == (3, 3, 2)
    assert len(lock_held_until_first_retry) == 1  # one pause: the second attempt went through
    assert "rolled back (SQLITE_BUSY); running the whole file again (attempt 2 of 5)" in (
        caplog.text
    )
    assert _count(quick_db, LabResult) == 3
    assert _count(quick_db, Patient) == 2
    assert _count(quick_db, ImportBatch) == 1


def test_a_treatment_file_is_run_again_whole_when_the_database_was_busy(
    quick_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with quick_db.write() as s:
        create_patient(s, PatientRecord(mrn="R-1", name="Rita Retry"), user="alice")
    holder = sqlite3.connect(quick_db.sqlite_file, isolation_level=None)  # type: ignore[arg-type]
    holder.execute("BEGIN IMMEDIATE")
    monkeypatch.setattr(import_errors.time, "sleep", lambda _s: holder.rollback())
    path = tmp_path / "lines.csv"
    path.write_text(LINES, encoding="utf-8")
    caplog.set_level("WARNING", logger="irae_desktop.importers.treatment_service")
    try:
        (summary,) = import_files(quick_db, [path])
    finally:
        holder.close()
    assert summary.error == ""
    assert summary.rows_read == 2
    assert "running the whole file again (attempt 2 of 5)" in caplog.text
    assert _count(quick_db, TreatmentLine) == 2
    assert _count(quick_db, ImportBatch) == 1


def test_a_lock_never_released_fails_the_file_with_nothing_written(
    quick_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    holder = sqlite3.connect(quick_db.sqlite_file, isolation_level=None)  # type: ignore[arg-type]
    holder.execute("BEGIN IMMEDIATE")
    pauses: list[float] = []
    monkeypatch.setattr(import_errors.time, "sleep", pauses.append)
    path = tmp_path / "labs.csv"
    path.write_text(LABS, encoding="utf-8")
    try:
        (summary,) = import_files(quick_db, [path])
    finally:
        holder.rollback()
        holder.close()
    assert summary.error.startswith("database error; nothing from this file was written")
    assert len(pauses) == import_errors.IMPORT_ATTEMPTS - 1
    assert (summary.imported, summary.batch_id) == (0, None)
    assert _count(quick_db, LabResult) == 0
    assert _count(quick_db, ImportBatch) == 0
