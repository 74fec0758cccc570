"""Patient create/edit: MRN uniqueness, validation, optimistic locking and the audit trail."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from irae_desktop.domain.records import PatientRecord, Sex
from irae_desktop.store.errors import ConcurrentEditError, StoreError
from irae_desktop.store.models import AuditEvent, Patient
from irae_desktop.store.patients import (
    DuplicateMrnError,
    create_patient,
    require_by_mrn,
    update_patient,
)


def _new(db, mrn: str = "MRN-1", **kw) -> int:  # type: ignore[no-untyped-def]
    with db.write() as s:
        rec = PatientRecord(
            mrn=mrn,
            name=kw.get("name", "Ada Lovelace"),
            birth_date=date(1960, 1, 2),
            sex=Sex.FEMALE,
            weight_kg=60.0,
        )
        return create_patient(s, rec, user="alice").id


def test_create_writes_audit(db) -> None:  # type: ignore[no-untyped-def]
    pid = _new(db)
    with db.read() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.patient_id == pid)).all()
    assert [(e.action, e.entity, e.user) for e in events] == [("create", "patient", "alice")]
    assert '"mrn": "MRN-1"' in (events[0].after_json or "")


def test_duplicate_mrn_refused_and_nothing_written(db) -> None:  # type: ignore[no-untyped-def]
    _new(db)
    with pytest.raises(DuplicateMrnError, match="MRN-1 already belongs"), db.write() as s:
        create_patient(s, PatientRecord(mrn=" MRN-1 ", name="Other"), user="bob")
    with db.read() as s:
        assert len(s.scalars(select(Patient)).all()) == 1
        assert len(s.scalars(select(AuditEvent)).all()) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weight_kg": 0.0}, "not plausible"),
        ({"birth_date": date(2999, 1, 1)}, "future"),
        ({"status": "gone"}, "Unknown status"),
        ({"mrn": "  "}, "MRN is required"),
        ({"colour": "red"}, "Not editable"),
    ],
)
def test_invalid_edits_refused(db, changes, message) -> None:  # type: ignore[no-untyped-def]
    pid = _new(db)
    with pytest.raises(StoreError, match=message), db.write() as s:
        update_patient(s, pid, expected_version=1, changes=changes, user="alice")
    with db.read() as s:
        assert s.get(Patient, pid).weight_kg == 60.0  # type: ignore[union-attr]


def test_lost_update_refused_with_their_changes(db) -> None:  # type: ignore[no-untyped-def]
    pid = _new(db)
    with db.read() as s:
        loaded_version = s.get(Patient, pid).version  # type: ignore[union-attr]
    with db.write() as s:  # a colleague saves first
        update_patient(
            s, pid, expected_version=loaded_version, changes={"weight_kg": 58.0}, user="bob"
        )
    with pytest.raises(ConcurrentEditError) as caught, db.write() as s:
        update_patient(
            s, pid, expected_version=loaded_version, changes={"weight_kg": 61.0}, user="alice"
        )
    assert caught.value.changes == {"weight_kg": (58.0, 61.0)}
    with db.read() as s:
        p = require_by_mrn(s, "MRN-1")
        assert p.weight_kg == 58.0 and p.version == loaded_version + 1
        updates = s.scalars(select(AuditEvent).where(AuditEvent.action == "update")).all()
    assert len(updates) == 1 and updates[0].user == "bob"
    assert updates[0].before_json == '{"weight_kg": 60.0}'
    assert updates[0].after_json == '{"weight_kg": 58.0}'


def test_mrn_change_to_existing_refused(db) -> None:  # type: ignore[no-untyped-def]
    _new(db, "A-1")
    pid = _new(db, "B-2", name="Other")
    with pytest.raises(DuplicateMrnError), db.write() as s:
        update_patient(s, pid, expected_version=1, changes={"mrn": "A-1"}, user="x")
