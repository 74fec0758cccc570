"""Manual labs, corrections, withdrawals, acknowledgements and baseline overrides."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from irae_desktop.store.database import Database
from irae_desktop.store.errors import ConcurrentEditError, StoreError
from irae_desktop.store.labs import (
    acknowledge_alert,
    acknowledged_keys,
    add_manual_lab,
    baseline_overrides,
    clear_baseline_override,
    correct_lab,
    mark_entered_in_error,
    set_baseline_override,
)
from irae_desktop.store.models import LabResult
from tests.store.conftest import audit_rows

T = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)


def _count(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(LabResult)) or 0)


def test_manual_lab_stored_canonical_and_as_typed(db: Database, patient_id: int) -> None:
    with db.write() as s:
        lab = add_manual_lab(
            s, "alice", patient_id, "total bilirubin", T, "51.3", "umol/L", None, 20.5
        )
        lab_id = lab.id
    with db.read() as s:
        lab = s.get(LabResult, lab_id)
        assert lab is not None
        assert (lab.analyte, lab.unit, lab.comparator) == ("TBILI", "mg/dL", "")
        assert lab.value == pytest.approx(3.0)
        assert lab.uln == pytest.approx(20.5 / 17.1)
        assert (lab.original_text, lab.original_unit) == ("51.3", "umol/L")
        assert (lab.entered_by, lab.source_ref, lab.status) == ("alice", "manual entry", "final")
    (event,) = audit_rows(db, "lab_result")
    assert (event.action, event.patient_mrn) == ("create", "MRN-100")


def test_censored_value_keeps_comparator(db: Database, patient_id: int) -> None:
    with db.write() as s:
        lab = add_manual_lab(s, "alice", patient_id, "GLUCOSE", T, ">600", "mg/dL", 70, 99)
        assert (lab.value, lab.comparator) == (600.0, ">")


@pytest.mark.parametrize(
    ("analyte", "when", "text", "unit", "message"),
    [
        ("UNOBTAINIUM", T, "5", "U/L", "Unknown test"),
        ("ALT", T, "haemolysed", "U/L", "not a number"),
        ("ALT", T, "", "U/L", "ALT"),
        ("ALT", T, "45", "mg/dL", "does not belong"),
        ("ALT", T.replace(tzinfo=None), "45", "U/L", "time zone"),
        ("ALT", datetime.now(UTC) + timedelta(days=1), "45", "U/L", "in the future"),
    ],
)
def test_bad_manual_lab_refused(
    db: Database, patient_id: int, analyte, when, text, unit, message
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StoreError, match=message), db.write() as s:
        add_manual_lab(s, "alice", patient_id, analyte, when, text, unit, None, 40)
    assert _count(db) == 0
    assert audit_rows(db, "lab_result") == []


def test_same_result_twice_refused(db: Database, patient_id: int) -> None:
    with db.write() as s:
        add_manual_lab(s, "alice", patient_id, "ALT", T, "45", "U/L", None, 40)
    with pytest.raises(StoreError, match="already recorded"), db.write() as s:
        add_manual_lab(s, "bob", patient_id, "SGPT", T, "45", "IU/L", None, 40)
    assert _count(db) == 1


def _alt(db: Database, patient_id: int, text: str = "450") -> int:
    with db.write() as s:
        return add_manual_lab(s, "alice", patient_id, "ALT", T, text, "U/L", None, 40).id


def test_correction_keeps_old_value_in_audit(db: Database, patient_id: int) -> None:
    lab_id = _alt(db, patient_id)
    with db.read() as s:  # graded as soon as it was saved
        assert s.get(LabResult, lab_id).grade == 3  # type: ignore[union-attr]
    with db.write() as s:
        lab = correct_lab(s, "bob", lab_id, 1, "45", "U/L", "decimal slipped on entry")
        assert (lab.value, lab.status, lab.uln, lab.version) == (45.0, "corrected", 40.0, 2)
        assert lab.grade == 1  # regraded in the same transaction
    event = audit_rows(db, "lab_result")[-1]
    assert (event.action, event.user, event.reason) == (
        "correct",
        "bob",
        "decimal slipped on entry",
    )
    before, after = json.loads(event.before_json or ""), json.loads(event.after_json or "")
    assert (before["value"], before["original_text"], before["status"]) == (450.0, "450", "final")
    assert (after["value"], after["status"]) == (45.0, "corrected")


def test_correction_needs_reason_and_current_version(db: Database, patient_id: int) -> None:
    lab_id = _alt(db, patient_id)
    with pytest.raises(StoreError, match="needs a reason"), db.write() as s:
        correct_lab(s, "bob", lab_id, 1, "45", "U/L", "  ")
    with db.write() as s:
        correct_lab(s, "bob", lab_id, 1, "45", "U/L", "typo")
    with pytest.raises(ConcurrentEditError) as caught, db.write() as s:
        correct_lab(s, "carol", lab_id, 1, "54", "U/L", "typo")
    assert caught.value.changes["value"] == (45.0, 54.0)
    with db.read() as s:
        assert s.get(LabResult, lab_id).value == 45.0  # type: ignore[union-attr]
    assert [e.action for e in audit_rows(db, "lab_result")] == ["create", "correct"]


def test_entered_in_error(db: Database, patient_id: int) -> None:
    lab_id = _alt(db, patient_id)
    with pytest.raises(StoreError, match="why"), db.write() as s:
        mark_entered_in_error(s, "bob", lab_id, 1, "")
    with db.write() as s:
        mark_entered_in_error(s, "bob", lab_id, 1, "wrong patient")
    with pytest.raises(StoreError, match="already marked"), db.write() as s:
        mark_entered_in_error(s, "bob", lab_id, 2, "again")
    with db.read() as s:
        lab = s.get(LabResult, lab_id)
        assert lab is not None and lab.status == "entered-in-error" and lab.value == 450.0
    event = audit_rows(db, "lab_result")[-1]
    assert (event.action, event.reason) == ("entered_in_error", "wrong patient")


def test_acknowledge_once(db: Database, patient_id: int) -> None:
    key = "grade_escalation:liver:3:17"
    with db.write() as s:
        acknowledge_alert(s, "alice", patient_id, key, "steroids started")
        acknowledge_alert(s, "bob", patient_id, key)
    with db.read() as s:
        assert acknowledged_keys(s, patient_id) == {key}
    (event,) = audit_rows(db, "alert")
    assert (event.action, event.user) == ("acknowledge", "alice")
    with pytest.raises(StoreError, match="No alert"), db.write() as s:
        acknowledge_alert(s, "alice", patient_id, " ")


def test_baseline_override_set_replace_clear(db: Database, patient_id: int) -> None:
    with db.write() as s:
        set_baseline_override(s, "alice", patient_id, "AST", 80, 40, "known NAFLD")
        set_baseline_override(s, "alice", patient_id, "AST", 90, 40, "repeat before ICI")
    with db.read() as s:
        override = baseline_overrides(s, patient_id)["AST"]
        assert (override.value, override.reason, override.set_by) == (
            90,
            "repeat before ICI",
            "alice",
        )
    with pytest.raises(StoreError, match="needs a reason"), db.write() as s:
        set_baseline_override(s, "alice", patient_id, "ALT", 80, 40, "")
    with db.write() as s:
        assert clear_baseline_override(s, "bob", patient_id, "AST", "use automatic")
        assert not clear_baseline_override(s, "bob", patient_id, "AST")
    actions = [e.action for e in audit_rows(db, "baseline_override")]
    assert actions == ["create", "update", "delete"]
