"""The audit trail in words still names what a change touched after that record is deleted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from irae_desktop.domain.records import PatientRecord
from irae_desktop.store.audit_view import readable_events
from irae_desktop.store.database import Database, open_database
from irae_desktop.store.patients import create_patient
from irae_desktop.store.treatments import add_dose_step, add_line, delete_dose_step, delete_line


@pytest.fixture
def both_db(any_db_url: str) -> Iterator[Database]:
    database = open_database(any_db_url)
    yield database
    database.dispose()


def test_deleted_records_are_still_named_from_the_trail(both_db: Database) -> None:
    db = both_db
    with db.write() as s:
        record = PatientRecord(mrn="MRN-100", name="Grace Hopper", birth_date=date(1950, 5, 6))
        patient_id = create_patient(s, record, user="setup").id
    with db.write() as s:
        line = add_line(
            s,
            "dr.lee",
            patient_id,
            category="immunosuppression",
            agent="prednisone",
            start_date=date(2026, 11, 14),
            dose=60,
            dose_unit="mg",
            frequency="once daily",
        )
        step = add_dose_step(
            s, "dr.lee", line.id, start_date=date(2026, 11, 21), dose=40, dose_unit="mg"
        )
        line_id, step_id = line.id, step.id
    with db.write() as s:
        delete_dose_step(s, "dr.lee", step_id, reason="entered on the wrong line")
    with db.write() as s:
        delete_line(s, "dr.lee", line_id, reason="wrong patient")
    with db.read() as s:
        lines, total = readable_events(s)
    assert total == 5  # the patient, the line, the step, the step deleted, the line deleted
    said = [(e.action, e.patient, e.what, e.reason) for e in lines[:4]]
    assert said == [
        ("deleted", "Grace Hopper (MRN-100)", "prednisone line from 2026-11-14", "wrong patient"),
        (
            "deleted",
            "Grace Hopper (MRN-100)",
            "prednisone dose from 2026-11-21",
            "entered on the wrong line",
        ),
        ("added", "Grace Hopper (MRN-100)", "prednisone dose from 2026-11-21", ""),
        ("added", "Grace Hopper (MRN-100)", "prednisone line from 2026-11-14", ""),
    ]
    created = {c.field: (c.old, c.new) for c in lines[3].changes}
    assert created["dose"] == ("\u2013", "60")
    assert created["agent"] == ("\u2013", "prednisone")
    assert "id" not in created and "line id" not in created


def test_newest_limits_what_is_read_but_not_the_count(db: Database, patient_id: int) -> None:
    with db.write() as s:
        for day in (1, 2, 3):
            add_line(
                s,
                "dr.lee",
                patient_id,
                category="insulin",
                agent="insulin glargine",
                start_date=date(2026, 11, day),
            )
    with db.read() as s:
        lines, total = readable_events(s, newest=2)
    assert total == 4
    assert [e.what for e in lines] == [
        "insulin glargine line from 2026-11-03",
        "insulin glargine line from 2026-11-02",
    ]
