"""A database this user may only read opens read-only, and a refused write says so plainly."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from irae_desktop.domain.records import PatientRecord
from irae_desktop.store.access import DatabaseReadOnlyError
from irae_desktop.store.database import open_database
from irae_desktop.store.models import Patient
from irae_desktop.store.patients import create_patient


def test_read_only_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    db = open_database(f"sqlite:///{path}")
    with db.write() as s:
        create_patient(s, PatientRecord(mrn="RO-1", name="Read Only"), user="alice")
    db.dispose()
    # opened through SQLite's read-only mode, as a file on a read-only share would be
    ro = open_database(f"sqlite:///file:{path}?mode=ro&uri=true", migrate=False)
    try:
        with ro.read() as s:
            assert s.scalar(select(func.count()).select_from(Patient)) == 1
        with pytest.raises(DatabaseReadOnlyError, match="Nothing was saved"), ro.write() as s:
            create_patient(s, PatientRecord(mrn="RO-2"), user="bob")
        assert ro.read_only
        with pytest.raises(DatabaseReadOnlyError), ro.write() as s:  # refused up front now
            pass
    finally:
        ro.dispose()
