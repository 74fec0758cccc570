"""New patients met in a lab file are created together: still audited one by one, still matched by
MRN only, still refused when their demographics contradict each other or the registry."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import select

import irae_desktop.importers.patient_match as patient_match
from irae_desktop.store import lab_writer
from irae_desktop.store.grading import regrade_patients
from irae_desktop.store.models import AuditEvent, LabResult, Patient
from tests.importers.helpers import add_patients, run, table_counts

HEADER = "mrn,patient_name,dob,weight_kg,collected_at,test,value,unit\n"


def _write(tmp_path: Path, lines: list[str], name: str = "labs.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _stored(db) -> set[tuple[str, str, float]]:  # type: ignore[no-untyped-def]
    with db.read() as session:
        rows = session.execute(
            select(Patient.mrn, LabResult.analyte, LabResult.value).join(LabResult.patient)
        )
        return {(mrn, analyte, value) for mrn, analyte, value in rows}


def _creations(db) -> dict[str, dict[str, object]]:  # type: ignore[no-untyped-def]
    with db.read() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "create", AuditEvent.entity == "patient")
        ).all()
        ids = {mrn: pid for mrn, pid in session.execute(select(Patient.mrn, Patient.id))}
    found: dict[str, dict[str, object]] = {}
    for event in events:
        assert event.patient_mrn is not None
        assert (event.claimed_by or event.user) == "tester"  # the login on PostgreSQL
        # the event names the stored patient, not a neighbour created in the same statement
        assert event.entity_id == event.patient_id == ids[event.patient_mrn]
        assert event.patient_mrn not in found, "one create event per patient"
        found[event.patient_mrn] = json.loads(event.after_json or "{}")
    return found


def test_file_mixing_known_and_new_mrns_puts_each_lab_on_its_patient(both_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    add_patients(both_db, ["K1"], name="Known Person", birth=date(1950, 5, 5))
    path = _write(
        tmp_path,
        [
            "N1,Ann New,1961-02-03,70,2024-03-01 08:00,ALT,41,U/L",
            "K1,Known Person,1950-05-05,,2024-03-01 08:00,ALT,42,U/L",
            "N2,Bob New,1962-03-04,,2024-03-01 08:00,ALT,43,U/L",
            "N1,Ann New,1961-02-03,70,2024-03-02 08:00,AST,44,U/L",
            "N3,Cy New,,,2024-03-01 08:00,ALT,45,U/L",
        ],
    )

    (summary,) = run(both_db, path)

    assert not summary.error
    assert (summary.imported, summary.patients_created, summary.rejected_count) == (5, 3, 0)
    assert _stored(both_db) == {
        ("N1", "ALT", 41.0),
        ("K1", "ALT", 42.0),
        ("N2", "ALT", 43.0),
        ("N1", "AST", 44.0),
        ("N3", "ALT", 45.0),
    }
    created = _creations(both_db)
    assert set(created) == {"K1", "N1", "N2", "N3"}  # K1 was created by hand before
    assert created["N1"]["name"] == "Ann New"
    assert created["N1"]["birth_date"] == "1961-02-03"
    assert created["N1"]["weight_kg"] == 70.0
    assert created["N3"]["birth_date"] is None
    with both_db.read() as session:
        ann = session.scalars(select(Patient).where(Patient.mrn == "N1")).one()
        assert (ann.name, ann.birth_date, ann.weight_kg, ann.version) == (
            "Ann New",
            date(1961, 2, 3),
            70.0,
            1,
        )
        grades = dict(session.execute(select(LabResult.value, LabResult.grade)).all())
        ids = list(session.scalars(select(Patient.id)))
    # graded as written, new patients too: 41-45 U/L against no ULN in the file
    assert set(grades) == {41.0, 42.0, 43.0, 44.0, 45.0}
    with both_db.write() as session:
        assert regrade_patients(session, ids) == 0, "grades written on import are final"


def test_contradicting_rows_for_a_new_patient_are_refused(both_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = _write(
        tmp_path,
        [
            "N1,Ann New,1961-02-03,,2024-03-01 08:00,ALT,41,U/L",
            "N1,Zed Other,1961-02-03,,2024-03-02 08:00,ALT,42,U/L",
            "N1,Ann New,1970-01-01,,2024-03-03 08:00,ALT,43,U/L",
            "N1,Ann New,1961-02-03,,2024-03-04 08:00,ALT,44,U/L",
        ],
    )

    (summary,) = run(both_db, path)

    assert (summary.imported, summary.patients_created) == (2, 1)
    reasons = {r.ref: r.reason for r in summary.rejected}
    assert "registry has 'Ann New'" in reasons["line 3"]
    assert "birth date 1970-01-01" in reasons["line 4"]
    assert _stored(both_db) == {("N1", "ALT", 41.0), ("N1", "ALT", 44.0)}
    assert set(_creations(both_db)) == {"N1"}


def test_unusable_demographics_create_nobody(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    before = table_counts(db)
    path = _write(
        tmp_path,
        [
            "N1,Heavy Person,1961-02-03,999,2024-03-01 08:00,ALT,41,U/L",
            "N2,Unborn Person,2999-01-01,,2024-03-01 08:00,ALT,42,U/L",
            "N3,Good Person,1961-02-03,60,2024-03-01 08:00,ALT,43,U/L",
        ],
    )

    (summary,) = run(db, path)

    reasons = {r.ref: r.reason for r in summary.rejected}
    assert "Weight 999" in reasons["line 2"] and "not plausible" in reasons["line 2"]
    assert "not plausible" in reasons["line 3"]
    assert (summary.imported, summary.patients_created) == (1, 1)
    assert set(_creations(db)) == {"N3"}
    after = table_counts(db)
    assert after["patients"] == before["patients"] + 1
    assert after["lab_results"] == before["lab_results"] + 1


def test_many_new_patients_across_several_writes(both_db, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # small limits make the pending patients and the buffered rows flush many times mid-file
    monkeypatch.setattr(patient_match, "PENDING_LIMIT", 3)
    monkeypatch.setattr(lab_writer, "CHUNK_ROWS", 4)
    lines = []
    expected = set()
    for n in range(20):
        for day, test in ((1, "ALT"), (2, "AST")):
            value = 100 + n + day / 10
            lines.append(f"P{n:02d},Person {n},1960-01-01,,2024-03-0{day} 08:00,{test},{value},U/L")
            expected.add((f"P{n:02d}", test, value))

    (summary,) = run(both_db, _write(tmp_path, lines))

    assert (summary.imported, summary.patients_created) == (40, 20)
    assert _stored(both_db) == expected
    assert len(_creations(both_db)) == 20


def test_roster_naming_a_new_patient_twice_fills_the_gap(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "MRN,Name,Date of birth,Sex,Diagnosis\n"
        "R1,Rae Roster,1970-07-07,,\n"
        "R1,Rae Roster,1970-07-07,F,melanoma\n"
        "R1,Someone Else,1970-07-07,,\n",
        encoding="utf-8",
    )

    (summary,) = run(db, roster)

    assert (summary.patients_created, summary.patients_updated) == (1, 1)
    assert "registry has 'Rae Roster'" in summary.rejected[0].reason
    with db.read() as session:
        rae = session.scalars(select(Patient).where(Patient.mrn == "R1")).one()
        assert (rae.sex, rae.diagnosis) == ("F", "melanoma")
    assert set(_creations(db)) == {"R1"}


def test_dry_run_with_new_patients_writes_nothing(both_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    before = table_counts(both_db)
    path = _write(tmp_path, ["N1,Ann New,1961-02-03,,2024-03-01 08:00,ALT,41,U/L"])

    (summary,) = run(both_db, path, dry_run=True)

    assert (summary.imported, summary.patients_created) == (1, 1)
    assert table_counts(both_db) == before
