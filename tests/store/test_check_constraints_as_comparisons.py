"""The CHECK constraints on enumerated columns are comparisons joined by OR, never IN lists:
SQLite evaluates an IN list in a CHECK by building a lookup table for every row inserted,
which more than doubled the CPU time of an import's inserts (migration
0008_checks_as_comparisons). Checked on the schema the migrations build, on SQLite, and on
the way from 0007 and back."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from alembic import command

from irae_desktop.store.database import open_database
from irae_desktop.store.engine import make_engine
from irae_desktop.store.migrate import alembic_config, current_revision

IN_LIST = re.compile(r"\bIN\s*\(", re.IGNORECASE)


def _table_sql(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))


def test_the_migrated_schema_has_no_in_list_in_a_check(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    open_database(f"sqlite:///{path}").dispose()
    tables = _table_sql(path)
    checks = {name: sql.count("CHECK") for name, sql in tables.items() if "CHECK" in sql}
    # every table 0007 constrained still is, and the lab status reads as comparisons
    assert set(checks) >= {"patients", "lab_results", "treatment_lines", "irae_episodes"}
    assert "status = 'final' OR status = 'preliminary'" in tables["lab_results"]
    assert not [name for name, sql in tables.items() if IN_LIST.search(sql)]


def test_down_to_0007_and_up_again_keeps_rows_and_what_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "both.sqlite3"
    open_database(f"sqlite:///{path}").dispose()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO patients (mrn, name, status, is_synthetic, created_at, updated_at,"
            " version) VALUES ('M1', 'A', 'active', 0, '2026-01-01', '2026-01-01', 1)"
        )
    engine = make_engine(f"sqlite:///{path}")
    try:
        command.downgrade(alembic_config(engine), "0007_check_constraints")
        assert current_revision(engine) == "0007_check_constraints"
        assert IN_LIST.search(_table_sql(path)["patients"])
        command.upgrade(alembic_config(engine), "head")
    finally:
        engine.dispose()
    tables = _table_sql(path)
    assert not IN_LIST.search(tables["patients"])
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT mrn, status FROM patients").fetchall() == [("M1", "active")]
        with pytest.raises(sqlite3.IntegrityError, match="ck_patients_status"):
            conn.execute("UPDATE patients SET status = 'Active'")
        with pytest.raises(sqlite3.IntegrityError, match="ck_patients_sex"):
            conn.execute("UPDATE patients SET sex = 'X'")
        conn.execute("UPDATE patients SET sex = NULL")  # NULL: not known, allowed
