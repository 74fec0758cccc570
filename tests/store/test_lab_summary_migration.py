"""Migration 0003 builds the lab summaries; the start-up schema check runs without Alembic."""

from __future__ import annotations

import importlib
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import insert

from irae_desktop.store.database import open_database
from irae_desktop.store.engine import make_engine
from irae_desktop.store.migrate import alembic_config, current_revision, script_revisions
from irae_desktop.store.models import LabResult, Patient
from irae_desktop.store.organs import ORGAN_ANALYTES
from irae_desktop.store.schema_version import HEAD_REVISION, KNOWN_REVISIONS
from tests.conftest import REPO
from tests.store.summary_check import by_mrn, check_summaries

T0 = datetime(2026, 2, 1, 8, tzinfo=UTC)


def _lab(pid: int, analyte: str, hours: int, value: float, grade: int | None, **kw: object):
    return {
        "patient_id": pid,
        "analyte": analyte,
        "collected_at": T0 + timedelta(hours=hours),
        "value": value,
        "comparator": "",
        "unit": "U/L",
        "original_text": str(value),
        "original_unit": "U/L",
        "status": kw.get("status", "final"),
        "grade": grade,
        "is_baseline": False,
        "version": 1,
    }


def _results_at_revision_0002(url: str) -> None:
    """A database as version 0002 left it, with results that test every choice."""
    engine = make_engine(url)
    try:
        command.upgrade(alembic_config(engine), "0002")
        with engine.begin() as conn:
            conn.execute(
                insert(Patient.__table__),
                [
                    {"id": i, "mrn": f"M-{i}", "name": f"M {i}", "status": "active",
                     "is_synthetic": False, "created_at": T0, "updated_at": T0, "version": 1}
                    for i in (1, 2, 3, 4)
                ],
            )  # fmt: skip
            conn.execute(
                insert(LabResult.__table__),
                [
                    _lab(1, "ALT", 0, 300.0, 3),
                    _lab(1, "ALT", 24, 60.0, 1),  # later: the current ALT
                    _lab(1, "ALT", 24, 61.0, 1),  # the same time, stored last: chosen
                    _lab(1, "AST", 12, 90.0, 1),
                    _lab(1, "ALT", 48, 900.0, 4, status="entered-in-error"),
                    _lab(1, "GLUCOSE", 30, 50.0, 2),
                    _lab(1, "CPEPTIDE", 72, 0.1, None),  # never graded, the last lab
                    _lab(2, "TBILI", 5, 5.0, 3, status="entered-in-error"),  # nothing valid
                    _lab(3, "AST", 1, 100.0, 2),
                    _lab(3, "ALP", 1, 300.0, 2),  # same grade and time: AST is listed first
                ],
            )
        assert current_revision(engine) == "0002"
    finally:
        engine.dispose()


def test_upgrade_from_0002_builds_the_summaries_from_stored_results(any_db_url: str) -> None:
    _results_at_revision_0002(any_db_url)
    db = open_database(any_db_url)
    try:
        assert current_revision(db.engine) == HEAD_REVISION
        if db.sqlite_file is not None:
            assert db.migration_backup is not None and db.migration_backup.exists()
        rows = by_mrn(check_summaries(db))
    finally:
        db.dispose()
    one = rows["M-1"]
    assert one.liver == (1, "ALT", T0 + timedelta(hours=24))
    assert one.glucose == (2, "GLUCOSE", T0 + timedelta(hours=30))
    assert one.last_lab_at == T0 + timedelta(hours=72)
    assert (rows["M-2"].liver, rows["M-2"].last_lab_at) == (None, None)
    assert rows["M-3"].liver == (2, "AST", T0 + timedelta(hours=1))
    assert rows["M-4"].last_lab_at is None


def test_downgrade_to_0002_and_up_again(any_db_url: str) -> None:
    _results_at_revision_0002(any_db_url)
    open_database(any_db_url).dispose()
    engine = make_engine(any_db_url)
    try:
        command.downgrade(alembic_config(engine), "0002")
        with engine.connect() as conn:
            assert not engine.dialect.has_table(conn, "lab_latest")
        command.upgrade(alembic_config(engine), "head")
    finally:
        engine.dispose()
    db = open_database(any_db_url)
    try:
        check_summaries(db)
    finally:
        db.dispose()


def test_known_revisions_are_those_of_the_migration_scripts() -> None:
    """A new migration must be added to store.schema_version, or start-up would not run it."""
    head, revisions = script_revisions()
    assert head == HEAD_REVISION
    assert revisions == list(KNOWN_REVISIONS)


def test_the_organ_rule_is_the_one_the_summary_was_built_with() -> None:
    """lab_summary stores the result of store.organs' rule: a change to the rule needs a new
    migration that rebuilds the table with it (and carries the new rule as ORGANS)."""
    versions = REPO / "irae_desktop" / "store" / "migrations" / "versions"
    frozen = {}
    for path in sorted(versions.glob("0*.py")):
        module = importlib.import_module(f"irae_desktop.store.migrations.versions.{path.stem}")
        frozen = getattr(module, "ORGANS", frozen)
    assert frozen == ORGAN_ANALYTES


def _loads_alembic(url: str) -> bool:
    code = (
        "import sys\n"
        "from irae_desktop.store.database import open_database\n"
        f"open_database({url!r}).dispose()\n"
        "print('alembic' in sys.modules)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    return run.stdout.strip() == "True"


def test_a_current_database_opens_without_loading_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'current.sqlite3'}"
    assert _loads_alembic(url)  # a new file is migrated: Alembic is needed
    assert not _loads_alembic(url)  # the next start only reads the version


def test_unknown_revision_is_checked_with_alembic_and_refused(tmp_path: Path) -> None:
    from irae_desktop.store.errors import NewerSchemaError

    path = tmp_path / "other.sqlite3"
    open_database(f"sqlite:///{path}").dispose()
    with sqlite3.connect(path) as con:
        con.execute("UPDATE alembic_version SET version_num = '0099'")
    before = path.read_bytes()
    with pytest.raises(NewerSchemaError, match="0099"):
        open_database(f"sqlite:///{path}")
    assert path.read_bytes() == before


def test_upgrade_to_0009_keeps_the_last_graded_result_beside_an_ungraded_latest(
    any_db_url: str,
) -> None:
    """An ALT graded 3, a later one graded 4 but entered in error, then the latest without a
    grade: the summary keeps grade 3 and its time beside the latest (decision 12)."""
    engine = make_engine(any_db_url)
    try:
        command.upgrade(alembic_config(engine), "0008_checks_as_comparisons")
        with engine.begin() as conn:
            conn.execute(
                insert(Patient.__table__),
                [{"id": 9, "mrn": "M-9", "name": "M 9", "status": "active",
                  "is_synthetic": False, "created_at": T0, "updated_at": T0, "version": 1}],
            )  # fmt: skip
            conn.execute(
                insert(LabResult.__table__),
                [
                    _lab(9, "ALT", 0, 130.0, 3),
                    _lab(9, "ALT", 12, 900.0, 4, status="entered-in-error"),
                    _lab(9, "ALT", 24, 140.0, None),
                    _lab(9, "AST", 0, 30.0, None),  # never graded
                ],
            )
            conn.execute(
                sa.text(
                    "INSERT INTO lab_latest (patient_id, analyte, lab_result_id, collected_at,"
                    " grade) SELECT patient_id, analyte, max(id), max(collected_at), NULL"
                    " FROM lab_results WHERE status != 'entered-in-error'"
                    " GROUP BY patient_id, analyte"
                )
            )
        command.upgrade(alembic_config(engine), "0009_last_graded")
        with engine.connect() as conn:
            kept = conn.execute(
                sa.text(
                    "SELECT analyte, last_graded_grade, last_graded_at FROM lab_latest"
                    " ORDER BY analyte"
                )
            ).all()
    finally:
        engine.dispose()
    (alt, alt_grade, alt_at), (ast, ast_grade, ast_at) = kept
    assert (alt, alt_grade) == ("ALT", 3)
    assert str(alt_at).startswith("2026-02-01 08:00")
    assert (ast, ast_grade, ast_at) == ("AST", None, None)
