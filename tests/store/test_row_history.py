"""Row history kept by PostgreSQL itself: a change by any client, with its old and new values."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from irae_desktop.cli.main import main
from irae_desktop.domain.records import PatientRecord
from irae_desktop.store import labs
from irae_desktop.store.database import open_database
from irae_desktop.store.models import Base
from irae_desktop.store.patients import create_patient, delete_patient
from irae_desktop.store.row_history import history_entries
from tests.pg_team import PASSWORD, PgTeam

# tables whose rows are not kept in the history, and why
NOT_KEPT = {
    "lab_latest": "derived by the database from lab_results",
    "lab_summary": "derived by the database from lab_results",
    "mapping_profiles": "a CSV column layout, no patient data",
    "audit_events": "the trail itself, append-only",
    "row_history": "the history itself, append-only",
}


def _patient_with_alt(url: str, user: str) -> tuple[int, int]:
    db = open_database(url)
    try:
        with db.write() as s:
            pid = create_patient(s, PatientRecord(mrn="RH-1", name="Row History"), user=user).id
            at = datetime(2026, 11, 3, 7, 30, tzinfo=UTC)
            lab = labs.add_manual_lab(s, user, pid, "ALT", at, "120", "U/L", None, 40)
            return pid, lab.id
    finally:
        db.dispose()


def _psql(team: PgTeam, user: str, statement: str) -> None:
    if shutil.which("psql") is None:
        pytest.skip("psql is not installed")
    url = make_url(team.owner_url)
    env = {**os.environ, "PGPASSWORD": PASSWORD}
    subprocess.run(
        ["psql", "-v", "ON_ERROR_STOP=1", "-q", "-h", str(url.host), "-p", str(url.port or 5432),
         "-U", user, "-d", str(url.database), "-c", statement],
        check=True, env=env, capture_output=True, timeout=60,
    )  # fmt: skip


def test_a_change_made_with_psql_is_in_the_trail_with_old_and_new_values(
    pg_team: PgTeam, capsys: pytest.CaptureFixture[str]
) -> None:
    alice, bob = pg_team.add("alice"), pg_team.add("bob")
    _, lab_id = _patient_with_alt(pg_team.url_for(bob), bob)
    _psql(pg_team, alice, f"UPDATE lab_results SET value = 1200 WHERE id = {lab_id}")
    owner = pg_team.owner()
    try:
        with owner.read() as s:
            (entry,) = [
                h for h in history_entries(s) if h.table == "lab_results" and h.user == alice
            ]
    finally:
        owner.dispose()
    assert (entry.operation, entry.row_key) == ("update", str(lab_id))
    value = next(c for c in entry.changes if c.field == "value")
    assert (value.old, value.new) == (120, 1200)
    # and in the command line's trail, beside bob's own events, under the patient's MRN
    assert main(["--db", pg_team.owner_url, "audit", "--patient", "RH-1", "--format", "json"]) == 0
    trail = json.loads(capsys.readouterr().out)
    by_alice = [r for r in trail if r["user"] == alice]
    assert [(r["source"], r["action"], r["entity"]) for r in by_alice] == [
        ("database", "update", "lab_results")
    ]
    assert (by_alice[0]["before"]["value"], by_alice[0]["after"]["value"]) == (120, 1200)
    assert {(r["source"], r["user"]) for r in trail if r["user"] != alice} == {
        ("app", bob),
        ("database", bob),
    }


def test_an_app_event_and_its_rows_share_the_transaction(pg_team: PgTeam) -> None:
    alice = pg_team.add("alice")
    pid, _ = _patient_with_alt(pg_team.url_for(alice), alice)
    db = open_database(pg_team.url_for(alice))
    try:
        with db.write() as s:
            delete_patient(s, pid, user=alice, reason="duplicate record")
        with db.read() as s:
            history = history_entries(s, patient_ids=[pid])
            events = s.execute(
                text("SELECT action, transaction_id FROM audit_events WHERE entity = 'patient'")
            ).all()
    finally:
        db.dispose()
    deleted = [h for h in history if (h.table, h.operation) == ("patients", "delete")]
    assert len(deleted) == 1 and deleted[0].old_values is not None
    assert deleted[0].old_values["mrn"] == "RH-1" and deleted[0].new_values is None
    # the cascade took the lab result with it, in the same transaction
    assert {h.table for h in history if h.operation == "delete"} >= {"patients", "lab_results"}
    delete_tx = dict((a, t) for a, t in events)["delete"]
    assert delete_tx is not None and delete_tx == deleted[0].transaction_id


def test_every_clinical_table_keeps_its_history(pg_url: str) -> None:
    open_database(pg_url).dispose()
    engine = create_engine(pg_url)
    try:
        with engine.connect() as conn:
            kept = set(
                conn.execute(
                    text(
                        "SELECT DISTINCT c.relname FROM pg_trigger t "
                        "JOIN pg_class c ON c.oid = t.tgrelid "
                        "JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname = 'irae_row_history'"
                    )
                ).scalars()
            )
    finally:
        engine.dispose()
    assert kept == set(Base.metadata.tables) - set(NOT_KEPT)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE row_history SET db_user = 'nobody'",
        "DELETE FROM row_history",
        "TRUNCATE row_history",
        "INSERT INTO row_history (at, db_user, table_name, operation) "
        "VALUES (now(), 'dr-smith', 'patients', 'insert')",
    ],
)
def test_no_role_may_change_the_history(pg_team: PgTeam, statement: str) -> None:
    alice = pg_team.add("alice")
    _patient_with_alt(pg_team.url_for(alice), alice)
    before = _history_count(pg_team.owner_url)
    assert before >= 2  # the patient and the result at least
    for url, refusal in (
        (pg_team.url_for(alice), "permission denied"),
        (pg_team.owner_url, "append-only"),
    ):
        if refusal == "append-only" and statement.startswith("INSERT"):
            continue  # the owner writes through the trigger function it owns
        engine = create_engine(url)
        try:
            with pytest.raises(DBAPIError, match=refusal), engine.begin() as conn:
                conn.execute(text(statement))
        finally:
            engine.dispose()
        assert _history_count(pg_team.owner_url) == before


def _history_count(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(text("SELECT count(*) FROM row_history")) or 0)
    finally:
        engine.dispose()


def test_audit_command_on_sqlite_shows_the_app_events(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _patient_with_alt(sqlite_url, "carol")
    assert main(["--db", sqlite_url, "audit", "--patient", "RH-1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("at,user,action,entity,patient_mrn,reason,claimed_by,source")
    assert [line.split(",")[2:4] for line in lines[1:]] == [
        ["create", "patient"],
        ["create", "lab_result"],
    ]
    assert main(["--db", sqlite_url, "audit", "--since", "yesterday"]) == 2
