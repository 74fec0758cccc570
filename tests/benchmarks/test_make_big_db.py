"""The benchmark database generator: real schema, the counts asked for, grades that match values."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from make_big_db import HEAVY_MRN, PANEL, build_big_db, grade_for
from sqlalchemy import func, select

from irae_desktop.store.database import open_database
from irae_desktop.store.migrate import current_revision, head_revision
from irae_desktop.store.models import LabResult
from irae_desktop.store.worklist import worklist_rows


def test_counts_and_heavy_patient(tiny_db: dict[str, Any]) -> None:
    with sqlite3.connect(tiny_db["path"]) as conn:
        per_patient = dict(
            conn.execute(
                "SELECT p.mrn, count(l.id) FROM patients p LEFT JOIN lab_results l "
                "ON l.patient_id = p.id GROUP BY p.mrn"
            ).fetchall()
        )
        indexes = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert per_patient.pop(HEAVY_MRN) == 120
    assert sorted(per_patient.values()) == [50] * 6
    assert tiny_db["results"] == 420
    # the indexes dropped for the bulk insert are back
    assert "ix_lab_results_batch_id" in indexes
    assert "ix_lab_results_corrected" in indexes


def test_app_reads_it_as_a_current_database(tiny_db: dict[str, Any]) -> None:
    db = open_database(f"sqlite:///{tiny_db['path']}")
    try:
        assert current_revision(db.engine) == head_revision()
        with db.read() as session:
            rows = worklist_rows(session)
            labs = session.scalars(select(LabResult).limit(50)).all()
            assert len(rows) == 7
            assert all(r.is_synthetic and r.ici_agent for r in rows)
            counts = {
                r.patient_id: session.scalar(
                    select(func.count())
                    .select_from(LabResult)
                    .where(LabResult.patient_id == r.patient_id)
                )
                for r in rows
            }
            assert set(counts.values()) == {50, 120}
            assert all(r.last_lab_at is not None for r in rows)
        # times come back as aware UTC, like those the app writes
        assert all(lab.collected_at.utcoffset() is not None for lab in labs)
        for lab in labs:
            assert (lab.grade, lab.grade_reason) == grade_for(lab.analyte, lab.value)
            assert lab.unit == PANEL[lab.analyte][0]
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("analyte", "value", "grade"),
    [
        ("ALT", 40.0, 0),  # at the ULN: normal
        ("ALT", 40.4, 1),
        ("ALT", 120.0, 1),  # 3.0 x ULN belongs to grade 1 (ranges include their upper bound)
        ("ALT", 120.4, 2),
        ("AST", 800.0, 3),
        ("AST", 801.0, 4),
        ("TBILI", 1.8, 1),
        ("TBILI", 1.81, 2),
        ("ALP", 300.0, 1),
        ("ALP", 301.0, 2),
        ("GLUCOSE", 54.0, 2),
        ("GLUCOSE", 29.0, 4),
        ("GLUCOSE", 300.0, None),  # v5.0 hyperglycemia is not graded from a value
    ],
)
def test_grades_follow_ctcae_multiples(analyte: str, value: float, grade: int | None) -> None:
    assert grade_for(analyte, value)[0] == grade


def test_refuses_to_overwrite_an_existing_file(tmp_path: Path) -> None:
    existing = tmp_path / "taken.sqlite3"
    existing.write_bytes(b"precious")
    with pytest.raises(FileExistsError, match="choose a new file"):
        build_big_db(existing, patients=1, results=5, heavy=0)
    assert existing.read_bytes() == b"precious"
