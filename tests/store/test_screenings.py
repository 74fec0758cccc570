"""Infection screening results in the store: add, correct and delete with the audit trail, the
checks on every value, one standing result per test and day, and the timeline the alert rules
read, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from irae_desktop.domain.records import PatientRecord, Sex
from irae_desktop.domain.timeline import ScreeningPoint
from irae_desktop.store.database import Database, open_database
from irae_desktop.store.errors import ConcurrentEditError, ConstraintViolationError, StoreError
from irae_desktop.store.models import ScreeningResult
from irae_desktop.store.patient_read import read_patient
from irae_desktop.store.patients import create_patient
from irae_desktop.store.screenings import (
    ScreeningNotFoundError,
    ScreeningRecord,
    add_screening,
    correct_screening,
    delete_screening,
    list_screenings,
    screening_rows,
)
from irae_desktop.store.timeline import load_timeline
from tests.store.conftest import audit_rows

FAR_AHEAD = date.today() + timedelta(days=3)


@pytest.fixture
def any_db(any_db_url: str) -> Iterator[Database]:
    database = open_database(any_db_url)
    yield database
    database.dispose()


def _patient(db: Database, mrn: str = "SCR-1") -> int:
    with db.write() as s:
        record = PatientRecord(
            mrn=mrn, name="Ada Screen", birth_date=date(1961, 2, 3), sex=Sex.FEMALE
        )
        return create_patient(s, record, user="setup").id


def _add(db: Database, pid: int, **values: object) -> ScreeningRecord:
    given = {"test": "hbsag", "taken_on": date(2024, 3, 4), "result": "negative", **values}
    with db.write() as s:
        return add_screening(s, "alice", pid, **given)  # type: ignore[arg-type]


def test_add_correct_delete_with_the_audit_trail(any_db: Database) -> None:
    pid = _patient(any_db)
    first = _add(any_db, pid, note="  drawn before tofacitinib ")
    igra = _add(any_db, pid, test="tb_igra", taken_on=date(2024, 3, 1), result="indeterminate")
    with any_db.read() as s:
        listed = list_screenings(s, pid)
    assert [(r.test, r.taken_on, r.result, r.note, r.source, r.version) for r in listed] == [
        ("tb_igra", date(2024, 3, 1), "indeterminate", None, "entered by alice", 1),
        ("hbsag", date(2024, 3, 4), "negative", "drawn before tofacitinib", "entered by alice", 1),
    ]
    assert [r.label for r in listed] == ["TB interferon-gamma release assay", "HBsAg"]

    with any_db.write() as s:
        corrected = correct_screening(
            s,
            "bob",
            igra.id,
            expected_version=1,
            changes={"result": "negative", "taken_on": date(2024, 3, 2)},
            reason="repeat IGRA read by the laboratory",
        )
    assert (corrected.result, corrected.taken_on, corrected.version) == (
        "negative",
        date(2024, 3, 2),
        2,
    )
    with any_db.write() as s:
        delete_screening(s, "bob", first.id, reason="another patient's sample", expected_version=1)
    with any_db.read() as s:
        assert [(r.test, r.result) for r in list_screenings(s, pid)] == [("tb_igra", "negative")]
        kept = s.get(ScreeningResult, first.id)
        assert kept is not None
        assert (kept.standing, kept.deleted_reason) == (None, "another patient's sample")

    events = audit_rows(any_db, "screening_result")
    assert [(e.action, e.entity_id, e.patient_mrn, e.reason) for e in events] == [
        ("create", first.id, "SCR-1", None),
        ("create", igra.id, "SCR-1", None),
        ("correct", igra.id, "SCR-1", "repeat IGRA read by the laboratory"),
        ("delete", first.id, "SCR-1", "another patient's sample"),
    ]
    assert json.loads(events[2].before_json or "") == {
        "result": "indeterminate",
        "taken_on": "2024-03-01",
    }
    assert json.loads(events[2].after_json or "") == {
        "result": "negative",
        "taken_on": "2024-03-02",
    }
    assert json.loads(events[3].before_json or "") == {
        "note": "drawn before tofacitinib",
        "result": "negative",
        "taken_on": "2024-03-04",
        "test": "hbsag",
    }


def test_the_timeline_and_the_patient_record_carry_them_oldest_first(any_db: Database) -> None:
    pid = _patient(any_db)
    _add(any_db, pid, test="anti_hbc", taken_on=date(2024, 5, 2))
    _add(any_db, pid, test="hbsag", taken_on=date(2024, 5, 2), result="positive")
    _add(any_db, pid, test="tb_skin", taken_on=date(2023, 11, 30))
    gone = _add(any_db, pid, test="hbv_dna", taken_on=date(2024, 1, 1))
    with any_db.write() as s:
        delete_screening(s, "alice", gone.id, reason="entered twice", expected_version=1)
    with any_db.read() as s:
        timeline = load_timeline(s, pid)
        record = read_patient(s, pid)
    expected = [
        ("tb_skin", date(2023, 11, 30), "negative"),
        ("anti_hbc", date(2024, 5, 2), "negative"),
        ("hbsag", date(2024, 5, 2), "positive"),
    ]
    assert [(p.test, p.taken_on, p.result) for p in timeline.screenings] == expected
    assert all(isinstance(p, ScreeningPoint) for p in timeline.screenings)
    assert [(p.test, p.taken_on, p.result) for p in record.screenings] == expected


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"test": "syphilis"}, "Unknown screening test 'syphilis'; expected one of TB"),
        ({"result": "weakly positive"}, "Unknown result 'weakly positive'; expected negative, "),
        ({"taken_on": FAR_AHEAD}, f"The test date {FAR_AHEAD.isoformat()} is in the future"),
        ({"taken_on": date(1961, 2, 2)}, "is before the patient's birth \\(1961-02-03\\)"),
        ({"taken_on": None}, "The date the test was taken is required"),
        ({"note": "x" * 501}, "The note is longer than 500 characters"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(
    db: Database, values: dict[str, object], message: str
) -> None:
    pid = _patient(db)
    with pytest.raises(StoreError, match=message):
        _add(db, pid, **values)
    with db.read() as s:
        assert s.scalars(select(ScreeningResult)).all() == []
    assert audit_rows(db, "screening_result") == []


def test_one_standing_result_per_test_and_day(db: Database) -> None:
    pid = _patient(db)
    first = _add(db, pid)
    with pytest.raises(StoreError, match="HBsAg of 2024-03-04 is already recorded \\(negative\\)"):
        _add(db, pid, result="positive")
    other_day = _add(db, pid, taken_on=date(2024, 3, 5))
    with (
        pytest.raises(StoreError, match="HBsAg of 2024-03-04 is already recorded"),
        db.write() as s,
    ):
        correct_screening(
            s,
            "bob",
            other_day.id,
            expected_version=1,
            changes={"taken_on": date(2024, 3, 4)},
            reason="wrong day",
        )
    # once deleted, the day is free for the result as it should have been
    with db.write() as s:
        delete_screening(s, "bob", first.id, reason="typed the wrong result", expected_version=1)
    again = _add(db, pid, result="positive")
    with db.read() as s:
        assert [(r.id, r.result) for r in list_screenings(s, pid)] == [
            (again.id, "positive"),
            (other_day.id, "negative"),
        ]


def test_a_correction_needs_a_reason_and_the_version_read(db: Database) -> None:
    pid = _patient(db)
    row = _add(db, pid)
    with pytest.raises(StoreError, match="Give the reason for the correction"), db.write() as s:
        correct_screening(
            s, "bob", row.id, expected_version=1, changes={"result": "positive"}, reason=" "
        )
    with db.write() as s:
        correct_screening(
            s, "bob", row.id, expected_version=1, changes={"note": "lab called"}, reason="phone"
        )
    with pytest.raises(ConcurrentEditError) as caught, db.write() as s:
        correct_screening(
            s, "carol", row.id, expected_version=1, changes={"result": "positive"}, reason="x"
        )
    assert caught.value.changes == {"result": ("negative", "positive")}
    with pytest.raises(StoreError, match="Not editable: patient_id"), db.write() as s:
        correct_screening(
            s, "bob", row.id, expected_version=2, changes={"patient_id": 9}, reason="x"
        )


def test_a_deletion_needs_a_reason_and_a_deleted_result_cannot_be_changed(db: Database) -> None:
    pid = _patient(db)
    row = _add(db, pid)
    with pytest.raises(StoreError, match="Give the reason for deleting"), db.write() as s:
        delete_screening(s, "bob", row.id, reason="", expected_version=1)
    with db.write() as s:
        delete_screening(s, "bob", row.id, reason="duplicate", expected_version=1)
    with pytest.raises(ScreeningNotFoundError), db.write() as s:
        correct_screening(
            s, "bob", row.id, expected_version=2, changes={"result": "positive"}, reason="x"
        )
    with pytest.raises(ScreeningNotFoundError), db.write() as s:
        delete_screening(s, "bob", row.id, reason="again", expected_version=2)


@pytest.mark.parametrize(
    ("column", "value"), [("test", "hcv_ab"), ("result", "Negative"), ("result", "weak")]
)
def test_the_database_itself_refuses_unknown_tests_and_results(
    any_db: Database, column: str, value: str
) -> None:
    pid = _patient(any_db)
    values = {"test": "hbsag", "result": "negative", column: value}
    with pytest.raises(ConstraintViolationError), any_db.write() as s:
        s.execute(
            text(
                "INSERT INTO screening_results (patient_id, test, taken_on, result, standing, "
                "entered_by, created_at, updated_at, version) VALUES (:pid, :test, :day, "
                ":result, :standing, 'psql', :at, :at, 1)"
            ),
            {
                "pid": pid,
                "day": date(2024, 1, 2),
                "standing": True,
                "at": "2024-01-02 00:00:00",
                **values,
            },
        )


def test_the_export_rows_by_mrn_day_and_test(db: Database) -> None:
    b, a = _patient(db, "SCR-B"), _patient(db, "SCR-A")
    _add(db, b, test="tb_igra", taken_on=date(2024, 2, 1))
    _add(db, a, test="hbsag", taken_on=date(2024, 2, 9))
    _add(db, a, test="anti_hbc", taken_on=date(2024, 2, 9), note="total")
    with db.read() as s:
        rows = [(mrn, r.test, r.taken_on, r.note) for mrn, r in screening_rows(s)]
        only_b = [(mrn, r.test) for mrn, r in screening_rows(s, "SCR-B")]
    assert rows == [
        ("SCR-A", "anti_hbc", date(2024, 2, 9), "total"),
        ("SCR-A", "hbsag", date(2024, 2, 9), None),
        ("SCR-B", "tb_igra", date(2024, 2, 1), None),
    ]
    assert only_b == [("SCR-B", "tb_igra")]
