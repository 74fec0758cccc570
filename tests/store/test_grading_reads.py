"""Regrading and timelines read stored times and grades straight from the table: same values
as the mapped objects, on SQLite and PostgreSQL, and only changed rows are written."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, text, update

from irae_desktop.store import grading
from irae_desktop.store.database import Database, open_database
from irae_desktop.store.grading import regrade_patients
from irae_desktop.store.models import LabResult, Patient, TreatmentLine
from irae_desktop.store.timeline import (
    PatientNotFoundError,
    load_timeline,
    load_timeline_with_rows,
)

START = date(2026, 3, 2)


def _at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, 2, hour, 0, tzinfo=UTC) + timedelta(days=day)


@pytest.fixture
def any_db(any_db_url: str):  # type: ignore[no-untyped-def]
    database = open_database(any_db_url)
    yield database
    database.dispose()


def _patient_with_labs(db: Database) -> int:
    with db.write() as s:
        p = Patient(mrn="R1", name="Read Test", sex="F", weight_kg=70.0)
        s.add(p)
        s.flush()
        s.add(TreatmentLine(patient_id=p.id, category="ici", agent="nivolumab", start_date=START))
        for n, (day, value) in enumerate([(-5, 30.0), (0, 35.0), (3, 130.0), (9, 260.0)]):
            s.add(
                LabResult(
                    patient_id=p.id,
                    analyte="ALT",
                    collected_at=_at(day, hour=23 if n == 1 else 9),
                    value=value,
                    unit="U/L",
                    uln=40.0,
                    original_text=str(value),
                    original_unit="U/L",
                )
            )
        return p.id


def test_timeline_times_are_the_stored_aware_utc_times(any_db: Database) -> None:
    pid = _patient_with_labs(any_db)
    with any_db.write() as s:
        regrade_patients(s, [pid])
    with any_db.read() as s:
        mapped = [
            (r.id, r.collected_at, r.grade, r.grade_reason, r.is_baseline)
            for r in s.scalars(
                select(LabResult)
                .where(LabResult.patient_id == pid)
                .order_by(LabResult.collected_at, LabResult.id)
            )
        ]
        points = load_timeline(s, pid).labs
    got = [(p.id, p.collected_at, p.grade, p.grade_reason, p.is_baseline) for p in points]
    assert got == mapped
    assert all(p.collected_at.utcoffset() == timedelta(0) for p in points)
    # the result late on the start day is the baseline; the later ones are graded against it
    assert [p.is_baseline for p in points] == [False, True, False, False]
    assert [p.grade for p in points] == [0, 0, 2, 3]


def test_regrade_writes_only_the_result_that_changed(any_db: Database) -> None:
    pid = _patient_with_labs(any_db)
    with any_db.write() as s:
        assert regrade_patients(s, [pid]) == 4
    with any_db.read() as s:
        before = dict(s.execute(select(LabResult.id, LabResult.grade_reason)).all())
        last = max(before)
    with any_db.write() as s:
        s.execute(update(LabResult).where(LabResult.id == last).values(value=900.0))
    with any_db.write() as s:
        assert regrade_patients(s, [pid]) == 1
        assert regrade_patients(s, [pid]) == 0
    with any_db.read() as s:
        after = dict(s.execute(select(LabResult.id, LabResult.grade_reason)).all())
    assert {k for k in after if after[k] != before[k]} == {last}
    assert "ALT 900 U/L" in after[last]


def test_a_stored_text_time_with_an_offset_is_read_as_utc(db: Database) -> None:
    pid = _patient_with_labs(db)
    with db.write() as s:
        first = s.scalars(select(LabResult.id).order_by(LabResult.id)).first()
        # a hand-made SQLite file: local time with its offset, 01:30 UTC on the day after start
        s.execute(
            text("UPDATE lab_results SET collected_at = :t WHERE id = :i"),
            {"t": "2026-03-03T03:30:00+02:00", "i": first},
        )
    with db.write() as s:
        regrade_patients(s, [pid])
    with db.read() as s:
        points = load_timeline(s, pid).labs
    moved = next(p for p in points if p.id == first)
    assert moved.collected_at == datetime(2026, 3, 3, 1, 30, tzinfo=UTC)
    # after the start day in UTC, so graded against the baseline and not a baseline itself
    assert not moved.is_baseline and moved.grade is not None


def test_alp_without_any_uln_under_ctcae_6_is_stored_ungraded(db: Database) -> None:
    with db.write() as s:
        p = Patient(mrn="R2", name="No Range", sex="M")
        s.add(p)
        s.flush()
        s.add(TreatmentLine(patient_id=p.id, category="ici", agent="nivolumab", start_date=START))
        for day, value in ((-3, 100.0), (5, 90.0)):
            s.add(
                LabResult(
                    patient_id=p.id,
                    analyte="ALP",
                    collected_at=_at(day),
                    value=value,
                    unit="U/L",
                    original_text=str(value),
                    original_unit="U/L",
                )
            )
        pid = p.id
    with db.write() as s:
        # the later result is below its baseline; its grade would be worded against a ULN
        assert regrade_patients(s, [pid], "ctcae-6.0") == 2
    with db.read() as s:
        reasons = s.scalars(select(LabResult.grade_reason).order_by(LabResult.collected_at)).all()
        grades = s.scalars(select(LabResult.grade).order_by(LabResult.collected_at)).all()
    assert grades == [None, None]
    assert reasons[1] == "ALP 90 U/L: no ULN reported and no site default: not graded"


def test_timeline_with_rows_lists_every_result_from_one_query(any_db: Database) -> None:
    pid = _patient_with_labs(any_db)
    with any_db.write() as s:
        first = s.scalars(select(LabResult.id).order_by(LabResult.id)).first()
        s.execute(update(LabResult).where(LabResult.id == first).values(status="entered-in-error"))
    with any_db.read() as s:
        timeline, rows = load_timeline_with_rows(s, pid, [LabResult.original_text])
    assert [p.id for p in timeline.labs] == [r[1][0] for r in rows[1:]]  # withdrawn left out
    assert rows[0][1][0] == first and rows[0][1][16] == "entered-in-error"
    assert [at for at, _ in rows] == sorted(at for at, _ in rows)
    assert all(at.utcoffset() == timedelta(0) for at, _ in rows)
    assert rows[-1][1][17] == "260.0"
    with any_db.read() as s, pytest.raises(PatientNotFoundError):
        load_timeline_with_rows(s, pid + 999, [])


def test_a_driver_with_another_parameter_style_gets_the_same_grades(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = _patient_with_labs(db)
    with db.write() as s:
        regrade_patients(s, [pid])
        expected = s.execute(select(LabResult.id, LabResult.grade_reason)).all()
        s.execute(update(LabResult).values(grade=None, grade_reason=None))
    # a parameter style the direct statement is not written for: the SQL expression is used
    monkeypatch.setattr(grading, "_MARKERS", {})
    with db.write() as s:
        assert regrade_patients(s, [pid]) == 4
    with db.read() as s:
        assert s.execute(select(LabResult.id, LabResult.grade_reason)).all() == expected
