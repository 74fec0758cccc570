"""Bulk creation of patients: the same rules as one at a time, an audit event for each, and a
taken MRN refusing the whole statement."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from irae_desktop.domain.records import PatientRecord, Sex
from irae_desktop.store.database import Database, open_database
from irae_desktop.store.errors import ConstraintViolationError, StoreError
from irae_desktop.store.models import AuditEvent, Patient
from irae_desktop.store.patient_bulk import insert_patients, new_patient_values
from irae_desktop.store.patients import create_patient, snapshot


def test_values_follow_the_single_patient_rules() -> None:
    values = new_patient_values(
        PatientRecord(mrn="  M1 ", name=" Ada Byron ", birth_date=date(1960, 1, 2), sex=Sex.FEMALE)
    )

    assert values["mrn"] == "M1"
    assert values["name"] == "Ada Byron"
    assert values["sex"] == "F"
    assert values["status"] == "active"
    with pytest.raises(StoreError, match="MRN is required"):
        new_patient_values(PatientRecord(mrn="  "))
    with pytest.raises(StoreError, match="not plausible"):
        new_patient_values(PatientRecord(mrn="M2", weight_kg=900.0))
    with pytest.raises(StoreError, match="in the future"):
        new_patient_values(PatientRecord(mrn="M3", birth_date=date(2999, 1, 1)))


def test_inserted_patients_match_one_by_one_creation(any_db_url: str) -> None:
    db: Database = open_database(any_db_url)
    try:
        records = [
            PatientRecord(mrn=f"B{n}", name=f"Bulk {n}", birth_date=date(1950 + n, 1, 1))
            for n in range(5)
        ]
        with db.write() as session:
            ids = insert_patients(
                session, [new_patient_values(r) for r in records], user="importer"
            )
            single = create_patient(session, PatientRecord(mrn="S1", name="Single"), user="x")
        assert len(set(ids)) == 5
        with db.read() as session:
            stored = {p.id: p for p in session.scalars(select(Patient))}
            events = session.scalars(select(AuditEvent).where(AuditEvent.entity == "patient")).all()
            for patient_id, record in zip(ids, records, strict=True):
                patient = stored[patient_id]
                assert (patient.mrn, patient.name, patient.birth_date) == (
                    record.mrn,
                    record.name,
                    record.birth_date,
                )
                assert patient.version == 1
                assert patient.created_at.tzinfo is not None
            by_patient = {e.patient_id: e for e in events}
            assert len(events) == 6
            for patient_id in ids:
                event = by_patient[patient_id]
                assert (event.action, event.claimed_by or event.user, event.entity_id) == (
                    "create",
                    "importer",
                    patient_id,
                )
                assert event.patient_mrn == stored[patient_id].mrn
                # the same record of what was created as a patient made by hand gets
                after = json.loads(event.after_json or "")
                assert after.keys() == json.loads(by_patient[single.id].after_json or "").keys()
                assert after == {
                    key: (value.isoformat() if isinstance(value, date) else value)
                    for key, value in snapshot(stored[patient_id]).items()
                }
    finally:
        db.dispose()


def test_taken_mrn_refuses_the_whole_statement(any_db_url: str) -> None:
    db = open_database(any_db_url)
    try:
        with db.write() as session:
            create_patient(session, PatientRecord(mrn="T1"), user="x")
        with pytest.raises(ConstraintViolationError), db.write() as session:
            insert_patients(
                session,
                [new_patient_values(PatientRecord(mrn=m)) for m in ("T0", "T1", "T2")],
                user="importer",
            )
        with db.read() as session:
            assert list(session.scalars(select(Patient.mrn))) == ["T1"]
            assert len(session.scalars(select(AuditEvent)).all()) == 1
    finally:
        db.dispose()


def test_nothing_to_insert_writes_nothing(db: Database) -> None:
    with db.write() as session:
        assert insert_patients(session, [], user="importer") == []
        assert session.scalars(select(AuditEvent)).all() == []
