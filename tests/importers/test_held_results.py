"""The store side of the held-results screen: listing with batch details, the candidate patients,
and the guards on assigning to a patient whose MRN differs from the file's (both backends)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from irae_desktop.store.database import Database
from irae_desktop.store.errors import StoreError
from irae_desktop.store.models import AuditEvent, Patient
from irae_desktop.store.unmatched import (
    assign_unmatched,
    assignment_targets,
    count_unmatched,
    drop_unmatched,
    held_results,
)
from tests.importers.helpers import add_patients, labs, run, table_counts

HELD_CSV = (
    "MRN,Collected,Test,Result,Unit,Ref Low,Ref High\n"
    "H-1,2024-03-01 08:00,ALT,262,U/L,7,40\n"
    "H-1,2024-03-02 08:00,AST,<5,U/L,10,40\n"
    "H-2,2024-03-01 09:00,Glucose,8.9,mmol/L,3.9,7.8\n"
)


@pytest.fixture
def held_db(both_db: Database, tmp_path: Path) -> Database:
    path = tmp_path / "night.csv"
    path.write_text(HELD_CSV, encoding="utf-8")
    (summary,) = run(both_db, path)
    assert summary.unmatched == 3
    add_patients(both_db, ["P-1"], name="Ada Lovelace", birth=date(1960, 1, 1))
    return both_db


def ids_by_test(db: Database) -> dict[str, int]:
    with db.read() as session:
        return {h.analyte: h.id for h in held_results(session)}


def test_held_results_say_what_the_file_said_and_where_it_came_from(held_db: Database) -> None:
    with held_db.read() as session:
        held = held_results(session)
        assert count_unmatched(session) == 3
    assert [(h.mrn, h.analyte) for h in held] == [
        ("H-1", "ALT"),
        ("H-1", "AST"),
        ("H-2", "GLUCOSE"),
    ]
    ast = held[1]
    assert (ast.original_text, ast.original_unit, ast.status) == ("<5", "U/L", "final")
    assert (ast.source_file, ast.source_ref) == ("night.csv", "line 3")
    assert ast.collected_at == datetime(2024, 3, 2, 8, 0, tzinfo=UTC)
    assert ast.batch_id is not None and ast.imported_by == "tester"
    assert ast.imported_at is not None


def test_assignment_targets_include_signed_off_patients(held_db: Database) -> None:
    add_patients(held_db, ["A-0"], name="Alan Turing")
    with held_db.write() as session:
        session.scalars(select(Patient).where(Patient.mrn == "A-0")).one().status = "signed_off"
    with held_db.read() as session:
        targets = assignment_targets(session)
    assert [(t.mrn, t.name, t.status) for t in targets] == [
        ("A-0", "Alan Turing", "signed_off"),
        ("P-1", "Ada Lovelace", "active"),
    ]
    assert targets[1].birth_date == date(1960, 1, 1)


def test_a_differing_mrn_needs_a_reason(held_db: Database) -> None:
    ids = ids_by_test(held_db)
    before = table_counts(held_db)

    refused = pytest.raises(StoreError, match=r"MRN in the file \(H-1\) is not P-1")
    with refused, held_db.write() as session:
        assign_unmatched(session, [ids["ALT"]], "P-1", user="dr.a", reason="  ")

    assert table_counts(held_db) == before
    with held_db.write() as session:
        added = assign_unmatched(
            session, [ids["ALT"]], "P-1", user="dr.a", reason="MRNs merged by registration"
        )
    assert added == 1
    (lab,) = labs(held_db, "P-1")
    assert (lab.value, lab.source_ref, lab.entered_by) == (262.0, "line 2", "dr.a")
    assert lab.grade == 3  # 262 U/L is 6.6 x the ULN of 40
    with held_db.read() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "assign")).one()
    # the name the app gave: the user on SQLite, kept as claimed beside the login on PostgreSQL
    assert event.patient_mrn == "P-1" and (event.claimed_by or event.user) == "dr.a"
    assert "although the file said H-1: MRNs merged by registration" in (event.reason or "")
    assert json.loads(event.after_json or "{}")["mrn_differs"] is True
    before_values = json.loads(event.before_json or "{}")
    assert (before_values["held_mrn"], before_values["original_text"]) == ("H-1", "262")


def test_assignment_is_refused_when_the_mrn_now_names_another_patient(held_db: Database) -> None:
    ids = ids_by_test(held_db)
    add_patients(held_db, ["H-1"], name="Someone")
    with held_db.read() as session:
        ada = session.scalars(select(Patient.id).where(Patient.mrn == "P-1")).one()
    before = table_counts(held_db)

    refused = pytest.raises(StoreError, match="different patient than the one you confirmed")
    with refused, held_db.write() as session:
        assign_unmatched(session, [ids["ALT"]], "H-1", user="dr.a", patient_id=ada)

    assert table_counts(held_db) == before


def test_drop_without_a_reason_is_refused_and_a_drop_keeps_the_source(held_db: Database) -> None:
    ids = ids_by_test(held_db)
    before = table_counts(held_db)
    with pytest.raises(StoreError, match="Give a reason"), held_db.write() as session:
        drop_unmatched(session, [ids["GLUCOSE"]], user="dr.a", reason=" ")
    assert table_counts(held_db) == before

    with held_db.write() as session:
        assert drop_unmatched(session, [ids["GLUCOSE"]], user="dr.a", reason=" wrong file ") == 1

    with held_db.read() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "delete")).one()
        assert count_unmatched(session) == 2
    assert (event.reason, event.patient_mrn, event.entity) == (
        "wrong file",
        "H-2",
        "unmatched_lab_row",
    )
    assert json.loads(event.before_json or "{}")["source_file"] == "night.csv"
