"""After every kind of write the lab summaries, and the worklist on them, equal the results."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from irae_desktop.domain.records import PatientRecord, Sex
from irae_desktop.importers.service import ImportOptions, import_files
from irae_desktop.store import lab_latest
from irae_desktop.store.database import Database, open_database
from irae_desktop.store.demo import add_demo_patients
from irae_desktop.store.grading import regrade_all
from irae_desktop.store.lab_latest import refresh_latest
from irae_desktop.store.labs import (
    add_manual_lab,
    correct_lab,
    mark_entered_in_error,
    set_baseline_override,
)
from irae_desktop.store.models import LabLatest, LabResult, LabSummary, Patient, UnmatchedLabRow
from irae_desktop.store.patients import create_patient, delete_patient, update_patient
from irae_desktop.store.settings import set_setting, set_site_range
from irae_desktop.store.treatments import add_line, delete_line, update_line
from irae_desktop.store.unmatched import assign_unmatched
from tests.store.summary_check import by_mrn, check_summaries

HEADER = "mrn,patient_name,dob,collected_at,test,value,unit,lln,uln,status"


@pytest.fixture
def both_db(any_db_url: str) -> Iterator[Database]:
    database = open_database(any_db_url)
    yield database
    database.dispose()


def _import(db: Database, path: Path, lines: list[str], header: str = HEADER) -> None:
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    (summary,) = import_files(db, [path], ImportOptions(user="tester", timezone="UTC"))
    assert not summary.error and not summary.rejected, summary


def _patient(db: Database, mrn: str, sex: Sex | None = None) -> int:
    with db.write() as s:
        record = PatientRecord(mrn=mrn, name=f"Patient {mrn}", sex=sex)
        return create_patient(s, record, user="tester").id


def _at(day: int, hour: int = 8) -> datetime:
    return datetime(2026, 1, 1, hour, tzinfo=UTC) + timedelta(days=day - 1)


def _manual(db: Database, pid: int, analyte: str, day: int, value: str, uln: float | None = 40):
    lln = 7.0 if uln is not None else None
    with db.write() as s:
        return add_manual_lab(s, "u", pid, analyte, _at(day), value, "U/L", lln, uln).id


def _version(db: Database, lab_id: int) -> int:
    with db.read() as s:
        lab = s.get(LabResult, lab_id)
        assert lab is not None
        return lab.version


def _liver(db: Database, mrn: str) -> tuple[int, str, datetime] | None:
    row = by_mrn(check_summaries(db))[mrn]
    return (
        None if row.liver is None else (row.liver.grade, row.liver.analyte, row.liver.collected_at)
    )


def test_imports_with_duplicates_corrections_and_superseded_values(
    both_db: Database, tmp_path: Path
) -> None:
    person = "Ivy Port,1960-02-03"
    _import(
        both_db,
        tmp_path / "first.csv",
        [
            f"I1,{person},2026-03-01 08:00,ALT,50,U/L,7,40,final",
            f"I1,{person},2026-03-01 08:00,ALT,50,U/L,7,40,final",  # twice in the file
            f"I1,{person},2026-03-02 08:00,AST,300,U/L,10,40,final",
            f"I1,{person},2026-03-03 08:00,ALT,45,U/L,7,40,final",
            "I2,Ray Lamb,1970-05-06,2026-03-01 08:00,GLUCOSE,50,mg/dL,70,140,final",
            "I2,Ray Lamb,1970-05-06,2026-03-01 09:00,TBILI,2.5,mg/dL,0.1,1.2,preliminary",
            "I2,Ray Lamb,1970-05-06,2026-03-01 10:00,CPEPTIDE,0.2,ng/mL,0.8,3.1,final",
        ],
    )
    assert _liver(both_db, "I1") == (3, "AST", datetime(2026, 3, 2, 8, tzinfo=UTC))
    _import(  # the same results again, and one more
        both_db,
        tmp_path / "overlap.csv",
        [
            f"I1,{person},2026-03-02 08:00,AST,300,U/L,10,40,final",
            f"I1,{person},2026-03-03 08:00,ALT,45,U/L,7,40,final",
            f"I1,{person},2026-03-04 08:00,TBILI,0.5,mg/dL,0.1,1.2,final",
        ],
    )
    check_summaries(both_db)
    _import(  # a later file corrects the newest ALT: grade 3 now, and newer than the AST
        both_db,
        tmp_path / "correction.csv",
        [f"I1,{person},2026-03-03 08:00,ALT,400,U/L,7,40,corrected"],
    )
    assert _liver(both_db, "I1") == (3, "ALT", datetime(2026, 3, 3, 8, tzinfo=UTC))
    _import(  # an older export with the value the correction replaced: not stored again
        both_db,
        tmp_path / "old.csv",
        [f"I1,{person},2026-03-03 08:00,ALT,45,U/L,7,40,final"],
    )
    check_summaries(both_db)
    with both_db.read() as s:
        values = s.scalars(select(LabResult.value).where(LabResult.analyte == "ALT")).all()
    assert sorted(values) == [50.0, 400.0]


def test_hand_entries_corrections_and_withdrawals(both_db: Database) -> None:
    pid = _patient(both_db, "H1")
    first = _manual(both_db, pid, "ALT", 5, "100")  # 2.5x ULN: grade 1
    assert _liver(both_db, "H1") == (1, "ALT", _at(5))
    peak = _manual(both_db, pid, "ALT", 10, "250")  # 6.25x ULN: grade 3
    _manual(both_db, pid, "ALT", 3, "30")  # an older result changes nothing
    assert _liver(both_db, "H1") == (3, "ALT", _at(10))
    # a second value at the very same time: the one stored last counts
    same_time = _manual(both_db, pid, "ALT", 10, "90")
    assert _liver(both_db, "H1") == (1, "ALT", _at(10))
    with both_db.write() as s:
        correct_lab(s, "u", same_time, _version(both_db, same_time), "700", "U/L", "typo")
    assert _liver(both_db, "H1") == (3, "ALT", _at(10))
    with both_db.write() as s:
        mark_entered_in_error(s, "u", same_time, _version(both_db, same_time), "wrong patient")
    check_summaries(both_db)
    with both_db.write() as s:
        mark_entered_in_error(s, "u", peak, _version(both_db, peak), "wrong patient")
    assert _liver(both_db, "H1") == (1, "ALT", _at(5))
    with both_db.read() as s:
        left = s.scalars(
            select(LabResult.id).where(
                LabResult.status != "entered-in-error", LabResult.id != first
            )
        ).all()
    with both_db.write() as s:
        for lab_id in [first, *left]:
            mark_entered_in_error(s, "u", lab_id, _version(both_db, lab_id), "not this patient")
    row = by_mrn(check_summaries(both_db))["H1"]
    assert (row.liver, row.last_lab_at) == (None, None)


def test_held_results_assigned_to_a_patient(both_db: Database, tmp_path: Path) -> None:
    _import(
        both_db,
        tmp_path / "held.csv",
        ["Q9,2026-04-01 08:00,ALT,900,U/L", "Q9,2026-04-02 08:00,AST,60,U/L"],
        header="mrn,collected_at,test,value,unit",
    )
    with both_db.read() as s:
        held = s.scalars(select(UnmatchedLabRow.id)).all()
    assert len(held) == 2
    _patient(both_db, "Q9")
    assert by_mrn(check_summaries(both_db))["Q9"].last_lab_at is None
    with both_db.write() as s:
        assert assign_unmatched(s, held, "Q9", user="tester") == 2
    row = by_mrn(check_summaries(both_db))["Q9"]
    assert row.last_lab_at == datetime(2026, 4, 2, 8, tzinfo=UTC)


def test_ici_line_added_moved_and_deleted(both_db: Database) -> None:
    pid = _patient(both_db, "T1")
    _manual(both_db, pid, "ALT", 5, "200")  # abnormal before treatment
    _manual(both_db, pid, "ALT", 36, "300")  # 7.5x ULN; 1.5x the baseline
    assert _liver(both_db, "T1") == (3, "ALT", _at(36))
    with both_db.write() as s:
        line = add_line(
            s, "u", pid, category="ici", agent="nivolumab", start_date=date(2026, 1, 10)
        )
        line_id, version = line.id, line.version
    assert _liver(both_db, "T1") == (1, "ALT", _at(36))  # against the baseline now
    with both_db.write() as s:
        changes = {"start_date": date(2025, 12, 1)}
        update_line(s, "u", line_id, expected_version=version, changes=changes)
    assert _liver(both_db, "T1") == (3, "ALT", _at(36))
    with both_db.write() as s:
        changes = {"start_date": date(2026, 1, 10)}
        update_line(s, "u", line_id, expected_version=version + 1, changes=changes)
    assert _liver(both_db, "T1") == (1, "ALT", _at(36))
    with both_db.write() as s:
        delete_line(s, "u", line_id, reason="wrong patient")
    assert _liver(both_db, "T1") == (3, "ALT", _at(36))


def test_site_ranges_sex_criteria_and_baseline_override(both_db: Database) -> None:
    pid = _patient(both_db, "S1", Sex.MALE)
    _manual(both_db, pid, "ALT", 5, "120", uln=None)  # no range with the result: not graded
    assert _liver(both_db, "S1") is None
    with both_db.write() as s:
        set_site_range(s, "u", "ALT", lln=7, uln=40)
        regrade_all(s)
    assert _liver(both_db, "S1") == (1, "ALT", _at(5))
    with both_db.write() as s:
        set_site_range(s, "u", "ALT", lln=7, uln=20, sex="F")
        regrade_all(s)
    assert _liver(both_db, "S1") == (1, "ALT", _at(5))  # the female range is not his
    with both_db.write() as s:
        patient = s.get(Patient, pid)
        assert patient is not None
        update_patient(s, pid, expected_version=patient.version, changes={"sex": "F"}, user="u")
    assert _liver(both_db, "S1") == (3, "ALT", _at(5))  # 6x the female ULN of 20
    with both_db.write() as s:
        set_setting(s, "u", "criteria_set", "ctcae-6.0")
        regrade_all(s)
    check_summaries(both_db)
    with both_db.write() as s:
        add_line(s, "u", pid, category="ici", agent="nivolumab", start_date=date(2026, 1, 1))
        set_baseline_override(s, "u", pid, "ALT", 100, 20, "known liver metastases")
    check_summaries(both_db)


def test_deleting_a_patient_removes_its_summary(both_db: Database) -> None:
    keep, gone = _patient(both_db, "D1"), _patient(both_db, "D2")
    for pid in (keep, gone):
        _manual(both_db, pid, "AST", 4, "90")
    with both_db.write() as s:
        delete_patient(s, gone, user="u", reason="duplicate record")
    check_summaries(both_db)
    with both_db.read() as s:
        for table in (LabLatest, LabSummary):
            owners = s.scalars(select(table.patient_id).distinct()).all()
            assert owners == [keep]


def test_demonstration_patients(both_db: Database) -> None:
    assert add_demo_patients(both_db)
    rows = check_summaries(both_db)
    assert any(r.liver is not None and r.liver.grade > 0 for r in rows)


def _graded(pid: int, analyte: str, at: datetime, grade: int | None) -> LabResult:
    return LabResult(
        patient_id=pid,
        analyte=analyte,
        collected_at=at,
        value=1.0,
        unit="U/L",
        grade=grade,
    )


def test_organ_choice_worst_grade_then_latest_then_listed_first(both_db: Database) -> None:
    t1, t2, t3, t4 = (_at(d) for d in (1, 2, 3, 4))
    with both_db.write() as s:
        a, b, c = (Patient(mrn=m, name=m) for m in ("O-A", "O-B", "O-C"))
        s.add_all([a, b, c])
        s.flush()
        s.add_all(
            [
                _graded(a.id, "ALT", t1, 2),
                _graded(a.id, "AST", t2, 2),  # same grade, later: chosen
                _graded(a.id, "TBILI", t3, 1),  # latest, but a lower grade
                _graded(a.id, "GLUCOSE_POC", t1, 1),
                _graded(a.id, "GLUCOSE", t1, 1),  # same grade and time: listed first
                _graded(a.id, "CPEPTIDE", t4, None),  # never graded, still the last lab
                _graded(b.id, "HBA1C", t2, None),
                _graded(c.id, "AST", t1, 3),
                _graded(c.id, "ALT", t1, 3),
            ]
        )
        refresh_latest(s, [a.id, b.id, c.id])  # written past the store's write paths
    rows = by_mrn(check_summaries(both_db))
    assert rows["O-A"].liver == (2, "AST", t2)
    assert rows["O-A"].glucose == (1, "GLUCOSE", t1)
    assert rows["O-A"].last_lab_at == t4
    assert (rows["O-B"].liver, rows["O-B"].glucose, rows["O-B"].last_lab_at) == (None, None, t2)
    assert rows["O-C"].liver == (3, "ALT", t1)


def test_refresh_in_chunks(both_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lab_latest, "CHUNK", 2)
    ids = [_patient(both_db, f"C-{i}") for i in range(5)]
    with both_db.write() as s:
        for n, pid in enumerate(ids):
            s.add(_graded(pid, "ALT", _at(n + 1), n % 4))
        s.flush()
        refresh_latest(s, ids)
    check_summaries(both_db)
    with both_db.read() as s:
        assert s.scalar(select(func.count()).select_from(LabSummary)) == 5
