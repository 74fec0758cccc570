"""Stored grades follow the facts they depend on: the first ICI start and the patient's sex."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from irae_desktop.store.database import Database
from irae_desktop.store.grading import regrade_patients
from irae_desktop.store.labs import add_manual_lab
from irae_desktop.store.models import LabResult, Patient
from irae_desktop.store.patients import update_patient
from irae_desktop.store.settings import set_site_range
from irae_desktop.store.treatments import add_line, delete_line, update_line


def _grades(db: Database, patient_id: int) -> list[tuple[float, int | None, bool]]:
    with db.read() as s:
        rows = s.scalars(
            select(LabResult)
            .where(LabResult.patient_id == patient_id)
            .order_by(LabResult.collected_at)
        )
        return [(r.value, r.grade, r.is_baseline) for r in rows]


def _unchanged_by_full_regrade(db: Database, patient_id: int) -> bool:
    with db.write() as s:
        changed = regrade_patients(s, [patient_id])
    return changed == 0


def _abnormal_baseline_history(db: Database, patient_id: int) -> None:
    """ALT 200 in January (ULN 40, liver metastases), 300 in February."""
    with db.write() as s:
        add_manual_lab(
            s, "u", patient_id, "ALT", datetime(2026, 1, 5, 8, tzinfo=UTC), "200", "U/L", 7, 40
        )
        add_manual_lab(
            s, "u", patient_id, "ALT", datetime(2026, 2, 5, 8, tzinfo=UTC), "300", "U/L", 7, 40
        )


def test_adding_the_first_ici_line_regrades_against_the_baseline(
    db: Database, patient_id: int
) -> None:
    _abnormal_baseline_history(db, patient_id)
    # no ICI yet: graded against ULN (5x and 7.5x ULN)
    assert _grades(db, patient_id) == [(200.0, 2, False), (300.0, 3, False)]
    with db.write() as s:
        add_line(
            s, "u", patient_id, category="ici", agent="pembrolizumab", start_date=date(2026, 1, 10)
        )
    # January is now the baseline; February is 1.5x that abnormal baseline: grade 1
    assert _grades(db, patient_id) == [(200.0, 2, True), (300.0, 1, False)]
    assert _unchanged_by_full_regrade(db, patient_id)


def test_moving_or_deleting_the_ici_line_regrades(db: Database, patient_id: int) -> None:
    _abnormal_baseline_history(db, patient_id)
    with db.write() as s:
        line = add_line(
            s, "u", patient_id, category="ici", agent="nivolumab", start_date=date(2026, 1, 10)
        )
        line_id, version = line.id, line.version
    with db.write() as s:
        # a start before any result: no baseline result, both graded against ULN
        update_line(
            s, "u", line_id, expected_version=version, changes={"start_date": date(2025, 12, 1)}
        )
    assert _grades(db, patient_id) == [(200.0, 2, False), (300.0, 3, False)]
    with db.write() as s:
        update_line(
            s, "u", line_id, expected_version=version + 1, changes={"start_date": date(2026, 1, 10)}
        )
    assert _grades(db, patient_id) == [(200.0, 2, True), (300.0, 1, False)]
    with db.write() as s:
        delete_line(s, "u", line_id, reason="entered on the wrong patient")
    assert _grades(db, patient_id) == [(200.0, 2, False), (300.0, 3, False)]


def test_a_steroid_line_does_not_touch_grades(db: Database, patient_id: int) -> None:
    _abnormal_baseline_history(db, patient_id)
    with db.write() as s:
        add_line(
            s,
            "u",
            patient_id,
            category="immunosuppression",
            agent="prednisone",
            start_date=date(2026, 1, 10),
            dose=80,
            dose_unit="mg",
        )
    assert _grades(db, patient_id) == [(200.0, 2, False), (300.0, 3, False)]


def test_a_sex_change_regrades_with_the_sex_specific_site_range(db: Database) -> None:
    with db.write() as s:
        from irae_desktop.domain.records import PatientRecord
        from irae_desktop.store.patients import create_patient

        patient = create_patient(s, PatientRecord(mrn="SEX-1", name="Sam Doe"), user="u")
        pid = patient.id
        set_site_range(s, "u", "ALT", lln=7, uln=30, sex="F")
        set_site_range(s, "u", "ALT", lln=7, uln=60, sex="M")
        # no range in the "file": the site default for the patient's sex applies
        add_manual_lab(s, "u", pid, "ALT", datetime(2026, 3, 1, 8, tzinfo=UTC), "100", "U/L")
    # sex unknown and no range for both sexes: no ULN to grade against
    assert _grades(db, pid) == [(100.0, None, False)]
    with db.write() as s:
        version = s.get(Patient, pid).version  # type: ignore[union-attr]
        update_patient(s, pid, expected_version=version, changes={"sex": "F"}, user="u")
    # 100 / 30 = 3.3x ULN: grade 2 (> 3x)
    assert _grades(db, pid)[0][1] == 2
    with db.write() as s:
        version = s.get(Patient, pid).version  # type: ignore[union-attr]
        update_patient(s, pid, expected_version=version, changes={"sex": "M"}, user="u")
    # 100 / 60 = 1.7x ULN: grade 1
    assert _grades(db, pid)[0][1] == 1
    assert _unchanged_by_full_regrade(db, pid)
