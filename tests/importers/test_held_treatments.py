"""Treatment rows for an MRN no patient has are held, as lab results are: from every treatment
format, once however often the file is imported, never by a dry run, counted as held in the
accounting line; assigned, they become the lines the import would have written (regrading when
the first ICI start moves) and the file adds nothing more; discarded, the audit keeps them."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from irae_desktop.store.database import Database
from irae_desktop.store.errors import StoreError
from irae_desktop.store.held_treatments import (
    assign_held_treatments,
    count_held_treatments,
    drop_held_treatments,
    held_treatments,
)
from irae_desktop.store.labs import add_manual_lab
from irae_desktop.store.models import AuditEvent, LabResult, Patient, TreatmentLine
from irae_desktop.store.treatments import list_lines
from tests.importers.helpers import add_patients, run

LINES = """\
MRN,Drug,Dose,Unit,Frequency,Route,Start date,Stop date,Indication
P-1,Opdivo,240,mg,q2w,IV,2024-02-01,,melanoma
H-1,KEYTRUDA,200,mg,q3w,IV,2024-01-10,,melanoma
"""
INFUSIONS = """\
MRN,Medication,Dose,Unit,Route,Administered At
A-9,Yervoy,3,mg/kg,IV,2024-01-02 09:30
A-9,YERVOY,3,mg/kg,IV,2024-01-23 10:00
"""
SYNTHEA = (
    "START,STOP,PATIENT,PAYER,ENCOUNTER,CODE,DESCRIPTION,BASE_COST,PAYER_COVERAGE,DISPENSES,"
    "TOTALCOST,REASONCODE,REASONDESCRIPTION\n"
    "2024-03-01T08:00:00Z,2024-03-20T08:00:00Z,0b7c3a52-unknown,p,e,1,Methylprednisolone 4 MG "
    "Oral Tablet,1,0,1,1,1,Immune hepatitis\n"
)


def _fhir() -> dict[str, Any]:
    patient = {
        "resourceType": "Patient",
        "id": "pat9",
        "identifier": [{"type": {"coding": [{"code": "MR"}]}, "value": "F-9"}],
    }
    subject = {"reference": "Patient/pat9"}
    request = {
        "resourceType": "MedicationRequest", "id": "req9", "status": "active", "intent": "order",
        "subject": subject, "medicationCodeableConcept": {"text": "Keytruda"},
        "authoredOn": "2024-01-02",
        "dosageInstruction": [{"doseAndRate": [{"doseQuantity": {"value": 200, "unit": "mg"}}]}],
    }  # fmt: skip
    statement = {
        "resourceType": "MedicationStatement", "id": "st9", "status": "completed",
        "subject": subject, "medicationCodeableConcept": {"text": "prednisone"},
        "effectivePeriod": {"start": "2024-03-01", "end": "2024-03-28"},
    }  # fmt: skip
    given = {
        "resourceType": "MedicationAdministration", "id": "adm9", "status": "completed",
        "subject": subject, "medicationCodeableConcept": {"text": "Yervoy"},
        "effectiveDateTime": "2024-01-02T10:00:00Z",
        "dosage": {"dose": {"value": 3, "unit": "mg/kg"}},
    }  # fmt: skip
    entries = [patient, request, statement, given]
    return {"resourceType": "Bundle", "type": "collection",
            "entry": [{"resource": r} for r in entries]}  # fmt: skip


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _held(db: Database) -> list[tuple[object, ...]]:
    with db.read() as s:
        return [
            (h.kind, h.mrn, h.agent, h.start, h.dose, h.dose_unit, h.source_ref)
            for h in held_treatments(s)
        ]


def test_a_line_for_an_unknown_mrn_is_held_and_counted_as_held(
    both_db: Database, tmp_path: Path
) -> None:
    add_patients(both_db, ["P-1"])
    path = _write(tmp_path, "lines.csv", LINES)

    (summary,) = run(both_db, path)

    assert (summary.imported, summary.unmatched, summary.rejected_count) == (1, 1, 0)
    assert summary.accounting() == (
        "2 rows read = 1 imported + 0 skipped + 1 held + 0 rejected + 0 duplicates "
        "(1 warning noted separately)"
    )
    # the warning: P-1's first ICI start is now 1 February, which regrades its results
    assert "the first ICI start moves for 1 patient(s)" in summary.warnings[0].reason
    assert not summary.all_taken  # held is not taken: the command exits 1
    with both_db.read() as s:
        (held,) = held_treatments(s)
        assert count_held_treatments(s) == 1
    assert (held.kind, held.mrn, held.agent, held.category) == (
        "line", "H-1", "pembrolizumab", "ici",
    )  # fmt: skip
    assert (held.dose, held.dose_unit, held.frequency, held.route, held.indication) == (
        200.0, "mg", "q3w", "IV", "melanoma",
    )  # fmt: skip
    assert (held.start, held.stop) == (date(2024, 1, 10), None)
    assert (held.source_file, held.source_ref) == ("lines.csv", "line 3")
    assert held.batch_id == summary.batch_id and held.imported_by == "tester"


def test_each_dose_of_an_administration_file_is_held(both_db: Database, tmp_path: Path) -> None:
    (summary,) = run(both_db, _write(tmp_path, "infusions.csv", INFUSIONS))

    assert (summary.rows_read, summary.unmatched, summary.imported) == (2, 2, 0)
    assert _held(both_db) == [
        ("given", "A-9", "ipilimumab", date(2024, 1, 2), 3.0, "mg/kg", "line 2"),
        ("given", "A-9", "ipilimumab", date(2024, 1, 23), 3.0, "mg/kg", "line 3"),
    ]


def test_a_synthea_medication_for_an_unknown_patient_is_held(db: Database, tmp_path: Path) -> None:
    (summary,) = run(db, _write(tmp_path, "medications.csv", SYNTHEA))

    assert (summary.layout, summary.unmatched, summary.rejected_count) == (
        "synthea-medications", 1, 0,
    )  # fmt: skip
    with db.read() as s:
        (held,) = held_treatments(s)
    assert (held.mrn, held.agent, held.start, held.stop, held.indication) == (
        "0b7c3a52-unknown", "methylprednisolone", date(2024, 3, 1), date(2024, 3, 20),
        "Immune hepatitis",
    )  # fmt: skip


def test_fhir_requests_statements_and_administrations_are_held(
    db: Database, tmp_path: Path
) -> None:
    (summary,) = run(db, _write(tmp_path, "meds.json", json.dumps(_fhir())))

    assert (summary.layout, summary.unmatched, summary.rejected_count) == (
        "FHIR medications", 3, 0,
    )  # fmt: skip
    assert sorted((k, m, a, s) for k, m, a, s, *_ in _held(db)) == [
        ("given", "F-9", "ipilimumab", date(2024, 1, 2)),
        ("line", "F-9", "pembrolizumab", date(2024, 1, 2)),
        ("line", "F-9", "prednisone", date(2024, 3, 1)),
    ]


def test_importing_again_holds_nothing_twice(both_db: Database, tmp_path: Path) -> None:
    add_patients(both_db, ["P-1"])
    lines = _write(tmp_path, "lines.csv", LINES)
    given = _write(tmp_path, "infusions.csv", INFUSIONS)
    run(both_db, lines, given)

    again = run(both_db, lines, given)

    assert [(s.unmatched, s.duplicates, s.imported) for s in again] == [(0, 2, 0), (0, 2, 0)]
    assert len(_held(both_db)) == 3


def test_a_dry_run_holds_nothing(db: Database, tmp_path: Path) -> None:
    (summary,) = run(db, _write(tmp_path, "infusions.csv", INFUSIONS), dry_run=True)

    assert summary.unmatched == 2  # what the import would hold
    assert _held(db) == []


def _alt(db: Database, patient_id: int) -> dict[str, tuple[int | None, bool]]:
    with db.read() as s:
        rows = s.scalars(select(LabResult).where(LabResult.patient_id == patient_id)).all()
        return {r.collected_at.date().isoformat(): (r.grade, r.is_baseline) for r in rows}


def test_an_assigned_ici_line_regrades_and_the_file_adds_nothing_after(
    both_db: Database, tmp_path: Path
) -> None:
    add_patients(both_db, ["P-1", "H-1"])
    with both_db.write() as s:
        pid = s.scalar(select(Patient.id).where(Patient.mrn == "H-1"))
        assert pid is not None
        for day, value in ((1, "100"), (20, "130")):
            at = datetime(2024, 1, day, 12, tzinfo=UTC)
            add_manual_lab(s, "alice", pid, "ALT", at, value, "U/L", uln=40.0)
    # the file names the patient by an old MRN, X-1, which no patient has: the line is held
    path = _write(tmp_path, "lines.csv", LINES.replace("H-1,", "X-1,"))
    run(both_db, path)
    # no ICI yet: the baseline is taken as normal, and 130 U/L is 3.25 x ULN: grade 2
    assert _alt(both_db, pid)["2024-01-20"] == (2, False)
    with both_db.read() as s:
        (held,) = held_treatments(s)

    wrong_mrn = r"The MRN in the file \(X-1\) is not H-1"
    with both_db.write() as s, pytest.raises(StoreError, match=wrong_mrn):
        assign_held_treatments(s, [held.id], "H-1", user="alice")
    with both_db.write() as s:
        added = assign_held_treatments(
            s, [held.id], "H-1", user="alice", reason="X-1 merged into H-1", patient_id=pid
        )

    assert added == 1 and _held(both_db) == []
    with both_db.read() as s:
        (line,) = list_lines(s, pid)
        events = s.scalars(
            select(AuditEvent).where(AuditEvent.entity == "held_treatment_row")
        ).all()
    assert (line.agent, line.dose, line.frequency, line.start_date) == (
        "pembrolizumab", 200.0, "q3w", date(2024, 1, 10),
    )  # fmt: skip
    # the ICI started on 10 January: 100 U/L of 1 January is the (abnormal) baseline and 130
    # is 1.3 x baseline, under the 1.5 x baseline of grade 1 (clinical reference, decision 2)
    assert _alt(both_db, pid) == {"2024-01-01": (1, True), "2024-01-20": (0, False)}
    (event,) = events
    said = event.claimed_by or event.user  # the login replaces it on PostgreSQL
    assert (event.action, said, event.patient_mrn) == ("assign", "alice", "H-1")
    assert "although the file said X-1: X-1 merged into H-1" in (event.reason or "")
    assert json.loads(event.before_json or "{}")["held_mrn"] == "X-1"

    # the file again: X-1 is still unknown, but its row was assigned: it is not held again
    (again,) = run(both_db, path)
    assert (again.imported, again.unmatched, again.duplicates) == (0, 0, 2)
    assert _held(both_db) == []
    # and a file naming H-1 itself adds nothing either
    (named,) = run(both_db, _write(tmp_path, "again.csv", LINES))
    assert (named.imported, named.unmatched, named.duplicates) == (0, 0, 2)
    with both_db.read() as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(TreatmentLine)
                .where(TreatmentLine.patient_id == pid)
            )
            == 1
        )


def test_assigned_doses_become_one_line_and_the_file_adds_nothing_after(
    both_db: Database, tmp_path: Path
) -> None:
    path = _write(tmp_path, "infusions.csv", INFUSIONS)
    run(both_db, path)
    add_patients(both_db, ["A-9"])
    with both_db.read() as s:
        ids = [h.id for h in held_treatments(s)]

    with both_db.write() as s:
        assert assign_held_treatments(s, ids, "A-9", user="alice") == 2

    (again,) = run(both_db, path)
    assert (again.imported, again.duplicates, again.unmatched) == (0, 2, 0)
    with both_db.read() as s:
        pid = s.scalar(select(Patient.id).where(Patient.mrn == "A-9"))
        assert pid is not None
        (line,) = list_lines(s, pid)
        assert (line.agent, line.start_date, line.route) == ("ipilimumab", date(2024, 1, 2), "IV")
        assert [(x.start_date, x.dose) for x in line.dose_steps] == [
            (date(2024, 1, 2), 3.0), (date(2024, 1, 23), 3.0),
        ]  # fmt: skip
        assert count_held_treatments(s) == 0


def test_a_discard_needs_a_reason_and_the_audit_keeps_the_row(
    both_db: Database, tmp_path: Path
) -> None:
    run(both_db, _write(tmp_path, "infusions.csv", INFUSIONS))
    add_patients(both_db, ["A-9"])
    with both_db.read() as s:
        first, second = (h.id for h in held_treatments(s))

    with both_db.write() as s, pytest.raises(StoreError, match="Give a reason"):
        drop_held_treatments(s, [first], user="alice", reason="  ")
    with both_db.write() as s:
        assert drop_held_treatments(s, [first], user="alice", reason="wrong file") == 1
    with both_db.write() as s, pytest.raises(StoreError, match="no longer exist"):
        assign_held_treatments(s, [first, second], "A-9", user="alice")

    assert [ref for *_, ref in _held(both_db)] == ["line 3"]
    with both_db.read() as s:
        (event,) = s.scalars(select(AuditEvent).where(AuditEvent.action == "delete")).all()
    before = json.loads(event.before_json or "{}")
    assert (event.entity, event.reason, event.patient_mrn) == (
        "held_treatment_row", "wrong file", "A-9",
    )  # fmt: skip
    assert (before["agent"], before["start"], before["dose"], before["source_ref"]) == (
        "ipilimumab", "2024-01-02", 3.0, "line 2",
    )  # fmt: skip
