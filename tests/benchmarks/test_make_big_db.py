"""The benchmark database generator: real schema, the counts asked for, the app's own grades."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from make_big_db import HEAVY_MRN, PANEL, build_big_db
from sqlalchemy import func, select

from irae_desktop.store.database import open_database
from irae_desktop.store.grading import regrade_all
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
        assert all(lab.unit == PANEL[lab.analyte][0] for lab in labs)
    finally:
        db.dispose()


GRADE_COLUMNS = (
    "SELECT id, grade, grade_criteria, grade_reason, is_baseline FROM lab_results ORDER BY id"
)


@pytest.fixture(scope="module")
def courses_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """40 patients with a year of weekly panels each (250 results): long enough for flares,
    and for the larger ones a prednisone course, to happen."""
    path = tmp_path_factory.mktemp("courses") / "courses.sqlite3"
    build_big_db(path, patients=40, results=40 * 250, heavy=200, seed=11)
    return path


def test_grades_are_those_of_the_apps_full_regrade(courses_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite3"
    with sqlite3.connect(courses_db) as conn, sqlite3.connect(copy) as target:
        conn.backup(target)
        before = conn.execute(GRADE_COLUMNS).fetchall()
    db = open_database(f"sqlite:///{copy}")
    try:
        with db.write() as session:
            changed = regrade_all(session)
    finally:
        db.dispose()
    with sqlite3.connect(copy) as conn:
        after = conn.execute(GRADE_COLUMNS).fetchall()
    assert len(before) == 40 * 250 + 200
    assert changed == 0
    assert before == after
    # ALT has graded values (the app grades it by multiples of the upper limit, 40 U/L here)
    assert any(grade is not None and grade > 0 for _id, grade, *_rest in before)


def test_non_fasting_glucose_on_prednisone_stays_ungraded(courses_db: Path) -> None:
    with sqlite3.connect(courses_db) as conn:
        courses = conn.execute(
            "SELECT count(*) FROM treatment_lines WHERE agent = 'prednisone'"
        ).fetchone()[0]
        on_steroid = conn.execute(
            "SELECT l.value, l.grade FROM lab_results l JOIN treatment_lines t "
            "ON t.patient_id = l.patient_id AND t.agent = 'prednisone' "
            "WHERE l.analyte = 'GLUCOSE' AND date(l.collected_at) BETWEEN t.start_date "
            "AND t.stop_date"
        ).fetchall()
        off_steroid = conn.execute(
            "SELECT l.value FROM lab_results l WHERE l.analyte = 'GLUCOSE' AND NOT EXISTS ("
            "SELECT 1 FROM treatment_lines t WHERE t.patient_id = l.patient_id "
            "AND date(l.collected_at) BETWEEN t.start_date AND t.stop_date)"
        ).fetchall()
        normal = conn.execute(
            "SELECT count(*), count(grade) FROM lab_results WHERE analyte = 'GLUCOSE' "
            "AND value BETWEEN 70 AND 140"
        ).fetchone()
    assert courses > 0, "the larger flares are treated with prednisone"
    # prednisone raises glucose: most values on it lie above the upper limit (140 mg/dL),
    # few without it do
    assert sum(value > 140 for value, _grade in on_steroid) > 0.5 * len(on_steroid)
    assert sum(value > 140 for (value,) in off_steroid) < 0.2 * len(off_steroid)
    # above the upper limit (140 mg/dL) and at most 250 mg/dL: a non-fasting value that
    # CTCAE cannot grade, so the app stores it without a grade
    between = [grade for value, grade in on_steroid if 140 < value <= 250]
    assert between, "some glucose on prednisone lies between the ULN and 250 mg/dL"
    assert set(between) == {None}
    # a glucose within the range is graded 0, as the app grades it
    assert normal[0] > 0 and normal[0] == normal[1]


def test_refuses_to_overwrite_an_existing_file(tmp_path: Path) -> None:
    existing = tmp_path / "taken.sqlite3"
    existing.write_bytes(b"precious")
    with pytest.raises(FileExistsError, match="choose a new file"):
        build_big_db(existing, patients=1, results=5, heavy=0)
    assert existing.read_bytes() == b"precious"


def test_treated_flares_make_the_outcomes_cohort(courses_db: Path) -> None:
    from bench_outcomes import run

    with sqlite3.connect(courses_db) as conn:
        (courses,) = conn.execute(
            "SELECT count(*) FROM treatment_lines WHERE agent = 'prednisone'"
        ).fetchone()
    read, pdf, fill, figures = run(courses_db)
    # one hepatitis episode and one prednisone line per treated flare: every line is a row
    assert courses > 0
    assert read.note == f"{courses} lines ({courses} by the bare query)"
    assert read.seconds and read.baseline_seconds and pdf.seconds
    assert pdf.note.endswith("pages")
    assert fill.seconds and fill.name == "outcomes window fill (GUI thread)"
    assert figures.seconds and figures.note.startswith("Kaplan-Meier")
