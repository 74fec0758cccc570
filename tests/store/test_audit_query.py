"""Reading the audit trail back: filters, and a CSV export that is itself audited."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from irae_desktop.domain.records import PatientRecord
from irae_desktop.store.audit_query import (
    AuditFilter,
    distinct_actions,
    distinct_users,
    export_audit_csv,
    query_events,
)
from irae_desktop.store.database import Database
from irae_desktop.store.errors import StoreError
from irae_desktop.store.notes import add_note
from irae_desktop.store.patients import create_patient, update_patient
from tests.file_modes import mode_is


def _history(db: Database) -> tuple[int, int]:
    with db.write() as s:
        a = create_patient(s, PatientRecord(mrn="Q-1", name='=HYPERLINK("x")'), user="alice").id
        b = create_patient(s, PatientRecord(mrn="Q-2", name="Other"), user="bob").id
    with db.write() as s:
        update_patient(s, a, expected_version=1, changes={"weight_kg": 70.0}, user="bob")
        add_note(s, "alice", b, text="seen")
    return a, b


def test_filters(db: Database) -> None:
    a, b = _history(db)
    with db.read() as s:
        assert [e.action for e in query_events(s, AuditFilter(patient_id=a))] == [
            "create",
            "update",
        ]
        assert [e.entity for e in query_events(s, AuditFilter(patient_mrn=" Q-2 "))] == [
            "patient",
            "note",
        ]
        assert [e.patient_id for e in query_events(s, AuditFilter(user="bob"))] == [b, a]
        assert len(query_events(s, AuditFilter(action="create"))) == 3
        assert len(query_events(s, AuditFilter(user="bob", action="update"))) == 1
        now = datetime.now(UTC)
        assert len(query_events(s, AuditFilter(since=now - timedelta(hours=1)))) == 4
        assert query_events(s, AuditFilter(until=now - timedelta(hours=1))) == []
        assert len(query_events(s, limit=2)) == 2
        assert distinct_users(s) == ["alice", "bob"]
        assert distinct_actions(s) == ["create", "update"]
        with pytest.raises(StoreError, match="time zone"):
            query_events(s, AuditFilter(since=datetime(2026, 1, 1)))


def test_export_csv_owner_only_and_audited(db: Database, tmp_path: Path) -> None:
    a, _ = _history(db)
    out = tmp_path / "trail.csv"
    assert export_audit_csv(db, out, AuditFilter(patient_id=a), user="carol") == 2
    assert mode_is(out, 0o600)
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["action"] for r in rows] == ["create", "update"]
    assert rows[0]["patient_mrn"] == "Q-1" and rows[0]["user"] == "alice"
    assert rows[1]["before"] == '{"weight_kg": null}' and rows[1]["after"] == '{"weight_kg": 70.0}'
    with db.read() as s:
        (export,) = query_events(s, AuditFilter(action="export"))
    assert (export.user, export.patient_id, export.entity) == ("carol", a, "audit_trail")


def test_formula_cells_neutralised(db: Database, tmp_path: Path) -> None:
    with db.write() as s:
        create_patient(s, PatientRecord(mrn="=1+1", name="x"), user="@evil")
    out = tmp_path / "trail.csv"
    export_audit_csv(db, out, user="carol")
    with out.open(newline="", encoding="utf-8") as fh:
        row = next(csv.DictReader(fh))
    assert row["user"] == "'@evil" and row["patient_mrn"] == "'=1+1"


def test_export_to_missing_folder_is_plain_error(db: Database, tmp_path: Path) -> None:
    _history(db)
    with pytest.raises(StoreError, match="could not be written"):
        export_audit_csv(db, tmp_path / "no" / "trail.csv", user="carol")
    with db.read() as s:
        assert query_events(s, AuditFilter(action="export")) == []
