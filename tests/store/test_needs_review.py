"""Values that cannot be true are refused; values beyond a living patient's are held for review,
ungraded and out of every alert and aggregate until confirmed or corrected (clinical reference,
decisions 11 and 12)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from irae_desktop.domain.alerts import evaluate_alerts
from irae_desktop.store.database import Database
from irae_desktop.store.errors import StoreError
from irae_desktop.store.lab_latest import stale_patients
from irae_desktop.store.labs import add_manual_lab, confirm_held_lab, correct_lab
from irae_desktop.store.models import LabResult, TreatmentLine
from irae_desktop.store.timeline import load_timeline
from irae_desktop.store.worklist import worklist_rows
from tests.store.conftest import audit_rows

T = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
LATER = datetime(2026, 3, 3, 8, 30, tzinfo=UTC)
NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


def _count(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(LabResult)) or 0)


def _lab(db: Database, lab_id: int) -> LabResult:
    with db.read() as s:
        lab = s.get(LabResult, lab_id)
        assert lab is not None
        s.expunge(lab)
        return lab


def _on_ici(db: Database, patient_id: int) -> None:
    with db.write() as s:
        s.add(
            TreatmentLine(
                patient_id=patient_id,
                category="ici",
                agent="pembrolizumab",
                start_date=date(2026, 1, 5),
            )
        )


@pytest.mark.parametrize(
    ("analyte", "value", "unit", "why"),
    [
        ("ALT", "-5", "U/L", "ALT -5 U/L cannot be true: no result is negative"),
        ("GLUCOSE", "0", "mg/dL", "GLUCOSE 0 mg/dL cannot be true: glucose is never 0"),
        ("HBA1C", "0", "%", "HBA1C 0 % cannot be true: hemoglobin a1c is never 0"),
    ],
)
def test_impossible_value_is_refused_with_its_reason(
    db: Database, patient_id: int, analyte: str, value: str, unit: str, why: str
) -> None:
    with pytest.raises(StoreError) as refused, db.write() as s:
        add_manual_lab(s, "alice", patient_id, analyte, T, value, unit, 1.0, 40.0)
    assert str(refused.value).startswith(why)
    assert "nothing was saved" in str(refused.value)
    assert _count(db) == 0


def test_zero_enzyme_is_a_possible_reported_value(db: Database, patient_id: int) -> None:
    with db.write() as s:
        lab_id = add_manual_lab(s, "alice", patient_id, "ALT", T, "0", "U/L", 7.0, 40.0).id
    lab = _lab(db, lab_id)
    assert (lab.status, lab.grade) == ("final", 0)


def test_beyond_limit_glucose_is_held_ungraded_and_raises_no_clinical_alert(
    db: Database, patient_id: int
) -> None:
    _on_ici(db, patient_id)
    with db.write() as s:
        lab_id = add_manual_lab(s, "alice", patient_id, "GLUCOSE", T, "3279", "mg/dL", 70, 99).id
    lab = _lab(db, lab_id)
    assert (lab.status, lab.grade, lab.grade_criteria) == ("needs_review", None, None)
    assert lab.grade_reason == (
        "needs review: GLUCOSE 3279 mg/dL is above 2000 mg/dL, beyond values reported in a "
        "living patient (a wrong unit?); not graded until a clinician confirms or corrects it"
    )
    with db.read() as s:
        timeline = load_timeline(s, patient_id)
        row = next(r for r in worklist_rows(s, now=NOW) if r.patient_id == patient_id)
        assert stale_patients(s) == set()
    alerts = evaluate_alerts(timeline, NOW)
    assert [a.kind for a in alerts] == ["needs_review"]
    assert alerts[0].title == "Needs review: GLUCOSE 3279 mg/dL"
    assert timeline.labs == []  # out of every grade, chart and alert rule
    # the worklist shows no glucose grade, and says the latest glucose needs review
    assert row.glucose is None
    assert row.glucose_ungraded is not None
    assert (row.glucose_ungraded.analyte, row.glucose_ungraded.label) == (
        "GLUCOSE",
        "needs review",
    )


def test_confirming_a_held_result_grades_it_and_is_audited(db: Database, patient_id: int) -> None:
    with db.write() as s:
        lab_id = add_manual_lab(s, "alice", patient_id, "GLUCOSE", T, "2100", "mg/dL", 70, 99).id
    version = _lab(db, lab_id).version
    with pytest.raises(StoreError, match="Say why"), db.write() as s:
        confirm_held_lab(s, "bob", lab_id, version, "  ")
    assert _lab(db, lab_id).status == "needs_review"
    with db.write() as s:
        confirm_held_lab(s, "bob", lab_id, version, "lab repeated it: true value")
    lab = _lab(db, lab_id)
    assert (lab.status, lab.grade) == ("final", 4)  # >500 mg/dL: grade 4
    (event,) = [e for e in audit_rows(db, "lab_result") if e.action == "confirm"]
    assert (event.user, event.reason) == ("bob", "lab repeated it: true value")
    assert '"needs_review"' in (event.before_json or "")
    with db.read() as s:
        assert stale_patients(s) == set()
        timeline = load_timeline(s, patient_id)
    assert "needs_review" not in [a.kind for a in evaluate_alerts(timeline, NOW)]
    with pytest.raises(StoreError, match="not waiting for review"), db.write() as s:
        confirm_held_lab(s, "bob", lab_id, lab.version, "again")


def test_correcting_a_held_result_grades_the_corrected_value(db: Database, patient_id: int) -> None:
    with db.write() as s:
        lab_id = add_manual_lab(s, "alice", patient_id, "GLUCOSE", T, "3279", "mg/dL", 70, 99).id
    version = _lab(db, lab_id).version
    with db.write() as s:
        correct_lab(s, "bob", lab_id, version, "32.79", "mmol/L", "unit was mmol/L")
    lab = _lab(db, lab_id)
    # 32.79 mmol/L: above 27.8 mmol/L, grade 4 (graded in the unit reported)
    assert (lab.status, lab.original_unit, lab.grade) == ("corrected", "mmol/L", 4)
    with db.write() as s:
        correct_lab(s, "bob", lab_id, lab.version, "3300", "mg/dL", "second thoughts")
    assert _lab(db, lab_id).status == "needs_review"  # a correction is checked too


def test_unusual_value_is_graded(db: Database, patient_id: int) -> None:
    with db.write() as s:
        lab_id = add_manual_lab(s, "alice", patient_id, "ALT", T, "12000", "U/L", 7, 40).id
    lab = _lab(db, lab_id)
    assert (lab.status, lab.grade) == ("final", 4)


def test_latest_result_without_range_never_lowers_the_worklist_grade(
    db: Database, patient_id: int
) -> None:
    with db.write() as s:
        add_manual_lab(s, "alice", patient_id, "ALT", T, "60", "U/L", 7, 40)  # 1.5 x ULN: G1
        add_manual_lab(s, "alice", patient_id, "AST", T, "30", "U/L", 5, 40)  # G0
        later = add_manual_lab(s, "alice", patient_id, "ALT", LATER, "90", "U/L")
        assert later.grade is None
    with db.read() as s:
        (row,) = worklist_rows(s, now=NOW)
        (reference,) = worklist_rows(s, now=NOW, from_summary=False)
        assert stale_patients(s) == set()
    assert row.liver is not None
    assert (row.liver.grade, row.liver.analyte) == (1, "ALT")
    assert row.liver_ungraded is not None
    assert (row.liver_ungraded.analyte, row.liver_ungraded.label) == ("ALT", "no range")
    assert row.liver_ungraded.reason == (
        "ALT 90 U/L: no ULN reported and no site default: not graded"
    )
    assert reference == row


def test_ungraded_latest_result_sits_beside_the_newest_graded_one_not_an_older_one(
    db: Database, patient_id: int
) -> None:
    early = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    with db.write() as s:
        add_manual_lab(s, "alice", patient_id, "ALT", early, "30", "U/L", 7, 40)  # normal: G0
        add_manual_lab(s, "alice", patient_id, "ALT", T, "300", "U/L", 7, 40)  # 7.5 x ULN: G3
        add_manual_lab(s, "alice", patient_id, "ALT", LATER, "90", "U/L")  # no range: ungraded
    with db.read() as s:
        (row,) = worklist_rows(s, now=NOW)
    assert row.liver is not None
    assert (row.liver.grade, row.liver.analyte, row.liver.collected_at) == (3, "ALT", T)
    assert row.liver_ungraded is not None
    assert (row.liver_ungraded.analyte, row.liver_ungraded.collected_at) == ("ALT", LATER)


def test_held_and_ungraded_results_on_sqlite_and_postgresql(any_db_url: str) -> None:
    from irae_desktop.domain.records import PatientRecord
    from irae_desktop.store.database import open_database
    from irae_desktop.store.patients import create_patient

    db = open_database(any_db_url)
    try:
        with db.write() as s:
            pid = create_patient(s, PatientRecord(mrn="PG-1", name="Either Db"), user="bob").id
            add_manual_lab(s, "bob", pid, "ALT", T, "60", "U/L", 7, 40)
            add_manual_lab(s, "bob", pid, "ALT", LATER, "90", "U/L")
            held_id = add_manual_lab(s, "bob", pid, "GLUCOSE", T, "3279", "mg/dL", 70, 99).id
        with db.read() as s:
            (row,) = worklist_rows(s, now=NOW)
            assert stale_patients(s) == set()
        assert row.liver is not None and row.liver.grade == 1
        assert row.liver_ungraded is not None and row.liver_ungraded.label == "no range"
        assert row.glucose is None
        assert row.glucose_ungraded is not None
        assert row.glucose_ungraded.label == "needs review"
        with db.write() as s:
            version = s.get(LabResult, held_id).version  # type: ignore[union-attr]
            confirm_held_lab(s, "bob", held_id, version, "checked")
        with db.read() as s:
            (row,) = worklist_rows(s, now=NOW)
            assert stale_patients(s) == set()
        assert row.glucose is not None and row.glucose.grade == 4
        assert row.glucose_ungraded is None
    finally:
        db.dispose()
