"""Migration 0013_screening_results: the table comes and goes with its constraints; on PostgreSQL
it keeps its row history, and a workstation role granted before the upgrade may record
screening results after the owner upgrades."""

from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import create_engine, inspect, text

from irae_desktop.domain.records import PatientRecord
from irae_desktop.store.database import open_database
from irae_desktop.store.engine import make_engine
from irae_desktop.store.migrate import alembic_config, current_revision
from irae_desktop.store.patients import create_patient
from irae_desktop.store.pg_roles import grant_application_role
from irae_desktop.store.row_history import history_entries
from irae_desktop.store.schema_version import HEAD_REVISION
from irae_desktop.store.screenings import add_screening, delete_screening, list_screenings

TABLE = "screening_results"
BEFORE = "0012_server_stamps_time"


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_from_0012_and_back(any_db_url: str) -> None:
    engine = make_engine(any_db_url)
    try:
        command.upgrade(alembic_config(engine), BEFORE)
    finally:
        engine.dispose()
    assert TABLE not in _tables(any_db_url)

    open_database(any_db_url).dispose()  # start-up runs 0013

    engine = make_engine(any_db_url)
    try:
        found = inspect(engine)
        columns = {c["name"] for c in found.get_columns(TABLE)}
        unique = [u["column_names"] for u in found.get_unique_constraints(TABLE)]
        checks = {c["name"]: c["sqltext"] for c in found.get_check_constraints(TABLE)}
        assert current_revision(engine) == HEAD_REVISION
        command.downgrade(alembic_config(engine), BEFORE)
    finally:
        engine.dispose()
    assert columns == {
        "id", "patient_id", "test", "taken_on", "result", "note", "standing", "deleted_reason",
        "batch_id", "source_file", "source_ref", "entered_by", "created_at", "updated_at",
        "version",
    }  # fmt: skip
    assert unique == [["patient_id", "test", "taken_on", "standing"]]
    assert set(checks) == {"ck_screening_results_test", "ck_screening_results_result"}
    # written as comparisons joined by OR, never as an IN list (0008)
    assert all(" IN " not in str(sql).upper() for sql in checks.values())
    # PostgreSQL gives the text back with casts (result::text = 'negative'::text)
    written = str(checks["ck_screening_results_result"]).replace("::text", "")
    assert written == "result = 'negative' OR result = 'positive' OR result = 'indeterminate'"
    assert TABLE not in _tables(any_db_url)


def test_the_row_history_keeps_a_deleted_result(pg_url: str) -> None:
    db = open_database(pg_url)
    try:
        with db.write() as s:
            pid = create_patient(s, PatientRecord(mrn="RH-S"), user="setup").id
            added = add_screening(
                s, "alice", pid, test="hbsag", taken_on=date(2024, 1, 9), result="negative"
            )
        with db.write() as s:
            delete_screening(s, "alice", added.id, reason="wrong patient", expected_version=1)
        with db.read() as s:
            history = [h for h in history_entries(s, patient_ids=[pid]) if h.table == TABLE]
    finally:
        db.dispose()
    assert [h.operation for h in history] == ["insert", "update"]
    standing = next(c for c in history[1].changes if c.field == "standing")
    assert (standing.old, standing.new) == (True, None)


def test_application_role_records_screenings_after_the_owner_upgrades(
    pg_url: str, pg_app_url: str
) -> None:
    owner = create_engine(pg_url)
    try:
        command.upgrade(alembic_config(owner), BEFORE)
        grant_application_role(owner, "irae_app")  # granted before the table existed
    finally:
        owner.dispose()
    open_database(pg_url).dispose()  # the owner runs the migration
    db = open_database(pg_app_url)
    try:
        assert not db.read_only
        with db.write() as s:
            pid = create_patient(s, PatientRecord(mrn="APP-S"), user="app").id
            add_screening(
                s, "app", pid, test="tb_igra", taken_on=date(2024, 2, 2), result="negative"
            )
        with db.read() as s:
            assert [r.test for r in list_screenings(s, pid)] == ["tb_igra"]
            kept = s.execute(
                text("SELECT count(*) FROM row_history WHERE table_name = :t"), {"t": TABLE}
            )
            assert kept.scalar_one() == 1
    finally:
        db.dispose()
