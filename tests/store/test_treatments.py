"""Treatment lines: validation, taper steps, holds, stops, deletes, locking and the audit trail."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from irae_desktop.store.database import Database
from irae_desktop.store.errors import ConcurrentEditError, StoreError
from irae_desktop.store.models import DoseStep, TreatmentHold, TreatmentLine
from irae_desktop.store.treatments import (
    add_dose_step,
    add_line,
    delete_line,
    hold_line,
    list_lines,
    resume_line,
    stop_line,
    update_line,
)
from tests.store.conftest import audit_rows


def _pembro(db: Database, patient_id: int) -> int:
    with db.write() as s:
        line = add_line(
            s,
            "alice",
            patient_id,
            category="ici",
            agent=" pembrolizumab ",
            start_date=date(2026, 1, 5),
            dose=200,
            dose_unit="mg",
            frequency="q3w",
        )
        return line.id


def test_add_line_is_audited(db: Database, patient_id: int) -> None:
    line_id = _pembro(db, patient_id)
    with db.read() as s:
        (line,) = list_lines(s, patient_id)
    assert (line.id, line.agent, line.version) == (line_id, "pembrolizumab", 1)
    (event,) = audit_rows(db, "treatment_line")
    assert (event.action, event.user, event.patient_mrn) == ("create", "alice", "MRN-100")
    assert json.loads(event.after_json or "{}")["agent"] == "pembrolizumab"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"category": "herbal"}, "Unknown treatment category"),
        ({"agent": "  "}, "agent"),
        ({"dose": -5.0}, "not a positive number"),
        ({"dose": float("nan")}, "not a positive number"),
        ({"stop_date": date(2025, 12, 31)}, "before the start date"),
    ],
)
def test_bad_line_refused_nothing_written(
    db: Database, patient_id: int, kwargs: dict[str, object], message: str
) -> None:
    values: dict[str, object] = {
        "category": "ici",
        "agent": "nivolumab",
        "start_date": date(2026, 1, 5),
        **kwargs,
    }
    with pytest.raises(StoreError, match=message), db.write() as s:
        add_line(s, "alice", patient_id, **values)  # type: ignore[arg-type]
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(TreatmentLine)) == 0
    assert audit_rows(db, "treatment_line") == []


def test_update_records_only_changed_fields(db: Database, patient_id: int) -> None:
    line_id = _pembro(db, patient_id)
    with db.write() as s:
        line = update_line(
            s,
            "bob",
            line_id,
            expected_version=1,
            changes={"dose": 400.0, "frequency": "q3w"},
            reason="q6w dosing",
        )
        assert line.version == 2
    update = audit_rows(db, "treatment_line")[-1]
    assert update.action == "update" and update.reason == "q6w dosing"
    assert json.loads(update.before_json or "") == {"dose": 200.0}
    assert json.loads(update.after_json or "") == {"dose": 400.0}


def test_lost_update_refused_with_changes(db: Database, patient_id: int) -> None:
    line_id = _pembro(db, patient_id)
    with db.write() as s:
        update_line(s, "bob", line_id, expected_version=1, changes={"dose": 400.0})
    with pytest.raises(ConcurrentEditError) as caught, db.write() as s:
        update_line(s, "alice", line_id, expected_version=1, changes={"dose": 100.0})
    assert caught.value.changes == {"dose": (400.0, 100.0)}
    with db.read() as s:
        assert s.get(TreatmentLine, line_id).dose == 400.0  # type: ignore[union-attr]


def test_taper_hold_resume_stop(db: Database, patient_id: int) -> None:
    with db.write() as s:
        pred = add_line(
            s,
            "alice",
            patient_id,
            category="immunosuppression",
            agent="prednisone",
            start_date=date(2026, 2, 1),
            dose=60,
            dose_unit="mg",
        )
        pred_id = pred.id
    with db.write() as s:
        add_dose_step(
            s,
            "alice",
            pred_id,
            start_date=date(2026, 2, 8),
            dose=40,
            dose_unit="mg",
            expected_version=1,
        )
        add_dose_step(s, "alice", pred_id, start_date=date(2026, 2, 15), dose=20, dose_unit="mg")
    ici = _pembro(db, patient_id)
    with db.write() as s:
        hold_line(s, "alice", ici, start_date=date(2026, 2, 1), reason="G3 hepatitis")
    with pytest.raises(StoreError, match="already on hold"), db.write() as s:
        hold_line(s, "alice", ici, start_date=date(2026, 2, 2))
    with db.write() as s:
        resume_line(s, "alice", ici, end_date=date(2026, 3, 1))
        hold_line(s, "alice", ici, start_date=date(2026, 3, 22))
        stop_line(s, "alice", ici, stop_date=date(2026, 3, 30), reason="permanent: G4 hepatitis")
    with db.read() as s:
        lines = {line.agent: line for line in list_lines(s, patient_id)}
        steps = [(st.start_date.day, st.dose) for st in lines["prednisone"].dose_steps]
        holds = [(h.start_date, h.end_date) for h in lines["pembrolizumab"].holds]
        assert lines["prednisone"].version == 3  # each step moves the line's version
        assert lines["pembrolizumab"].stop_date == date(2026, 3, 30)
    assert steps == [(8, 40.0), (15, 20.0)]
    # the open hold ends on the stop date
    assert holds == [(date(2026, 2, 1), date(2026, 3, 1)), (date(2026, 3, 22), date(2026, 3, 30))]
    actions = [(e.action, e.entity) for e in audit_rows(db)[1:]]
    assert actions == [
        ("create", "treatment_line"),
        ("create", "dose_step"),
        ("create", "dose_step"),
        ("create", "treatment_line"),
        ("hold", "treatment_hold"),
        ("resume", "treatment_hold"),
        ("hold", "treatment_hold"),
        ("stop", "treatment_line"),
    ]


def test_dose_step_against_stale_line_refused(db: Database, patient_id: int) -> None:
    line_id = _pembro(db, patient_id)
    with db.write() as s:
        add_dose_step(s, "bob", line_id, start_date=date(2026, 1, 26), dose=200, dose_unit="mg")
    with pytest.raises(ConcurrentEditError), db.write() as s:
        add_dose_step(
            s,
            "alice",
            line_id,
            start_date=date(2026, 1, 26),
            dose=200,
            dose_unit="mg",
            expected_version=1,
        )
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(DoseStep)) == 1


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (
            lambda s, i: add_dose_step(
                s, "a", i, start_date=date(2025, 1, 1), dose=1, dose_unit="mg"
            ),
            "before the line started",
        ),
        (
            lambda s, i: add_dose_step(
                s, "a", i, start_date=date(2026, 2, 1), dose=1, dose_unit=" "
            ),
            "dose unit",
        ),
        (lambda s, i: resume_line(s, "a", i, end_date=date(2026, 2, 1)), "not on hold"),
        (lambda s, i: stop_line(s, "a", i, stop_date=date(2026, 2, 1), reason=" "), "why"),
        (lambda s, i: stop_line(s, "a", i, stop_date=date(2025, 2, 1), reason="x"), "before"),
        (
            lambda s, i: update_line(s, "a", i, expected_version=1, changes={"colour": 1}),
            "Not editable",
        ),
    ],
)
def test_bad_line_actions_refused(db: Database, patient_id: int, action, message) -> None:  # type: ignore[no-untyped-def]
    line_id = _pembro(db, patient_id)
    before = len(audit_rows(db))
    with pytest.raises(StoreError, match=message), db.write() as s:
        action(s, line_id)
    assert len(audit_rows(db)) == before
    with db.read() as s:
        line = s.get(TreatmentLine, line_id)
        assert line is not None and line.version == 1 and line.stop_date is None


def test_delete_line_keeps_its_history_in_audit(db: Database, patient_id: int) -> None:
    line_id = _pembro(db, patient_id)
    with db.write() as s:
        add_dose_step(s, "alice", line_id, start_date=date(2026, 1, 26), dose=200, dose_unit="mg")
        hold_line(s, "alice", line_id, start_date=date(2026, 2, 1), reason="rash")
    with db.write() as s:
        delete_line(s, "alice", line_id, reason="entered on the wrong patient")
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(TreatmentLine)) == 0
        assert s.scalar(select(func.count()).select_from(TreatmentHold)) == 0
    deleted = audit_rows(db, "treatment_line")[-1]
    before = json.loads(deleted.before_json or "")
    assert deleted.action == "delete" and before["agent"] == "pembrolizumab"
    assert before["dose_steps"][0]["start_date"] == "2026-01-26"
    assert before["holds"][0]["reason"] == "rash"


def test_missing_line_gives_plain_message(db: Database, patient_id: int) -> None:
    with pytest.raises(StoreError, match="no longer exists"), db.write() as s:
        update_line(s, "a", 999, expected_version=1, changes={"dose": 1.0})
