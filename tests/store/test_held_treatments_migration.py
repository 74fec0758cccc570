"""Migration 0006_held_treatments: the held treatment rows table comes and goes, and a workstation
role granted before the upgrade may hold and list treatment rows after it."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, inspect

from irae_desktop.store.database import open_database
from irae_desktop.store.engine import make_engine
from irae_desktop.store.migrate import alembic_config, current_revision
from irae_desktop.store.pg_roles import grant_application_role
from irae_desktop.store.schema_version import HEAD_REVISION
from tests.importers.helpers import run

TABLE = "held_treatment_rows"


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_from_0005_and_back(any_db_url: str) -> None:
    engine = make_engine(any_db_url)
    try:
        command.upgrade(alembic_config(engine), "0005")
    finally:
        engine.dispose()
    assert TABLE not in _tables(any_db_url)

    open_database(any_db_url).dispose()  # start-up runs 0006 and later

    engine = make_engine(any_db_url)
    try:
        columns = {c["name"] for c in inspect(engine).get_columns(TABLE)}
        unique = inspect(engine).get_unique_constraints(TABLE)
        assert current_revision(engine) == HEAD_REVISION
        command.downgrade(alembic_config(engine), "0005")
    finally:
        engine.dispose()
    assert columns == {
        "id", "batch_id", "mrn", "kind", "agent", "start_date", "fingerprint", "record_json",
        "source_file", "source_ref", "assigned_mrn",
    }  # fmt: skip
    assert [u["column_names"] for u in unique] == [["fingerprint"]]
    assert TABLE not in _tables(any_db_url)


def test_application_role_holds_treatment_rows_after_the_owner_upgrades(
    pg_url: str, pg_app_url: str, tmp_path: Path
) -> None:
    owner = create_engine(pg_url)
    try:
        command.upgrade(alembic_config(owner), "0005")
        grant_application_role(owner, "irae_app")  # granted before the table existed
    finally:
        owner.dispose()
    open_database(pg_url).dispose()  # the owner runs the migration
    path = tmp_path / "lines.csv"
    path.write_text("MRN,Agent,Start\nZ-1,Keytruda,2024-01-10\n", encoding="utf-8")
    db = open_database(pg_app_url)
    try:
        assert not db.read_only
        (summary,) = run(db, path)
    finally:
        db.dispose()
    assert (summary.error, summary.unmatched) == ("", 1)
