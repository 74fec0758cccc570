"""Regrading stored results: baselines, site ranges, team criteria set, SI glucose, timelines."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from irae_desktop.store.database import Database, open_database
from irae_desktop.store.errors import StoreError
from irae_desktop.store.grading import regrade_all, regrade_patients
from irae_desktop.store.models import (
    AppSetting,
    BaselineOverride,
    DoseStep,
    LabResult,
    Patient,
    SiteReferenceRange,
    TreatmentHold,
    TreatmentLine,
)
from irae_desktop.store.timeline import PatientNotFoundError, load_timeline, load_timelines

START = date(2026, 3, 2)


def _at(day: int) -> datetime:
    return datetime(2026, 3, 2, 9, 0, tzinfo=UTC) + timedelta(days=day)


def _lab(pid: int, analyte: str, day: int, value: float, unit: str, uln: float | None, **kw):  # type: ignore[no-untyped-def]
    return LabResult(
        patient_id=pid,
        analyte=analyte,
        collected_at=_at(day),
        value=value,
        unit=unit,
        uln=uln,
        original_text=str(value),
        original_unit=kw.pop("original_unit", unit),
        **kw,
    )


def _patient(db: Database, mrn: str = "M1", sex: str | None = "F", ici: bool = True) -> int:
    with db.write() as s:
        p = Patient(mrn=mrn, name="Ada Test", sex=sex, weight_kg=70.0)
        s.add(p)
        s.flush()
        if ici:
            s.add(
                TreatmentLine(
                    patient_id=p.id, category="ici", agent="pembrolizumab", start_date=START
                )
            )
        return p.id


def _grades(db: Database, pid: int) -> list[tuple[float, int | None, bool, str | None]]:
    with db.read() as s:
        rows = s.scalars(
            select(LabResult)
            .where(LabResult.patient_id == pid)
            .order_by(LabResult.collected_at, LabResult.id)
        )
        return [(r.value, r.grade, r.is_baseline, r.grade_reason) for r in rows]


@pytest.fixture
def any_db(any_db_url: str):  # type: ignore[no-untyped-def]
    database = open_database(any_db_url)
    yield database
    database.dispose()


def test_regrade_uses_the_baseline_and_writes_only_changes(any_db: Database) -> None:
    pid = _patient(any_db)
    with any_db.write() as s:
        s.add_all(
            [
                _lab(pid, "ALT", -3, 95.0, "U/L", 40.0),  # abnormal baseline
                _lab(pid, "ALT", 10, 130.0, "U/L", 40.0),  # 1.4 x baseline: grade 0
                _lab(pid, "ALT", 20, 300.0, "U/L", 40.0),  # 3.2 x baseline: grade 2
                _lab(pid, "TBILI", 20, 0.1, "mg/dL", 1.2, comparator="<"),
            ]
        )
    with any_db.write() as s:
        assert regrade_patients(s, [pid]) == 4
    grades = _grades(any_db, pid)
    assert [(g[1], g[2]) for g in grades] == [(1, True), (0, False), (2, False), (0, False)]
    assert "below baseline rule" in (grades[1][3] or "")
    with any_db.write() as s:
        assert regrade_patients(s, [pid]) == 0
    with any_db.read() as s:
        crit = set(s.scalars(select(LabResult.grade_criteria)))
    assert crit == {"ctcae-5.0"}


def test_team_criteria_setting_and_explicit_criteria(db: Database) -> None:
    pid = _patient(db)
    with db.write() as s:
        s.add(_lab(pid, "ALT", 10, 130.0, "U/L", 40.0))
        s.add(AppSetting(key="criteria_set", value_json=json.dumps("ctcae-6.0")))
    with db.write() as s:
        regrade_patients(s, [pid])
    assert "CTCAE v6.0" in (_grades(db, pid)[0][3] or "")
    with db.write() as s:
        assert regrade_patients(s, [pid], criteria_id="ctcae-5.0") == 1
    assert "CTCAE v5.0" in (_grades(db, pid)[0][3] or "")
    with db.write() as s, pytest.raises(StoreError, match="unknown criteria set"):
        regrade_patients(s, [pid], criteria_id="ctcae-7")


def test_damaged_criteria_setting_falls_back_to_the_default(db: Database) -> None:
    pid = _patient(db)
    with db.write() as s:
        s.add(_lab(pid, "ALT", 10, 130.0, "U/L", 40.0))
        s.add(AppSetting(key="criteria_set", value_json="{not json"))
    with db.write() as s:
        regrade_patients(s, [pid])
    assert "CTCAE v5.0" in (_grades(db, pid)[0][3] or "")


def test_site_default_range_fills_a_missing_uln_by_sex(db: Database) -> None:
    woman = _patient(db, "W1", "F")
    man = _patient(db, "M1", "M")
    nobody = _patient(db, "X1", None)
    with db.write() as s:
        s.add_all(
            [
                SiteReferenceRange(analyte="ALT", sex="", lln=7.0, uln=55.0, unit="U/L"),
                SiteReferenceRange(analyte="ALT", sex="F", lln=7.0, uln=35.0, unit="U/L"),
            ]
        )
        for pid in (woman, man, nobody):
            s.add(_lab(pid, "ALT", 10, 120.0, "U/L", None))
    with db.write() as s:
        regrade_patients(s, [woman, man, nobody])
    (w,), (m,), (x,) = (_grades(db, p) for p in (woman, man, nobody))
    assert w[1] == 2 and "(35)" in (w[3] or "") and "site default" in (w[3] or "")
    assert m[1] == 1 and "(55)" in (m[3] or "")
    assert x[1] == 1


def test_no_uln_anywhere_is_stored_ungraded_with_the_reason(db: Database) -> None:
    pid = _patient(db)
    with db.write() as s:
        s.add(_lab(pid, "ALT", 10, 120.0, "U/L", None))
    with db.write() as s:
        regrade_patients(s, [pid])
    (row,) = _grades(db, pid)
    assert row[1] is None and "no ULN reported and no site default" in (row[3] or "")


def test_glucose_reported_in_mmol_is_graded_on_the_si_column(db: Database) -> None:
    pid = _patient(db)
    with db.write() as s:
        s.add(
            _lab(
                pid,
                "GLUCOSE_FASTING",
                10,
                8.9 * 18.016,
                "mg/dL",
                5.5 * 18.016,
                lln=3.9 * 18.016,
                original_unit="mmol/L",
            )
        )
        s.add(_lab(pid, "GLUCOSE_FASTING", 11, 8.9 * 18.016, "mg/dL", 99.0, lln=70.0))
    with db.write() as s:
        regrade_patients(s, [pid])
    si, us = _grades(db, pid)
    assert si[1] == 1 and "8.9 mmol/L" in (si[3] or "")
    assert us[1] == 2


def test_baseline_override_and_entered_in_error(db: Database) -> None:
    pid = _patient(db)
    with db.write() as s:
        s.add_all(
            [
                _lab(pid, "ALT", -3, 30.0, "U/L", 40.0),
                _lab(pid, "ALT", -1, 200.0, "U/L", 40.0, status="entered-in-error"),
                _lab(pid, "ALT", 10, 130.0, "U/L", 40.0),
            ]
        )
    with db.write() as s:
        regrade_patients(s, [pid])
    first, wrong, later = _grades(db, pid)
    assert first[2] is True  # the withdrawn result is not the baseline
    assert wrong[1] is None and wrong[2] is False and "entered in error" in (wrong[3] or "")
    assert later[1] == 2
    with db.write() as s:
        s.add(
            BaselineOverride(
                patient_id=pid,
                analyte="ALT",
                value=95.0,
                uln=40.0,
                reason="liver metastases",
                set_by="dr",
            )
        )
    with db.write() as s:
        assert regrade_patients(s, [pid]) == 2  # the old baseline flag and the later grade
    first, _, later = _grades(db, pid)
    assert first[2] is False
    assert later[1] == 0 and "x baseline (95)" in (later[3] or "")


def test_a_bad_stored_unit_does_not_stop_the_others(db: Database) -> None:
    pid = _patient(db)
    with db.write() as s:
        s.add(_lab(pid, "ALT", 10, 130.0, "mmol/L", 40.0))
        s.add(_lab(pid, "ALT", 11, 130.0, "U/L", 40.0))
    with db.write() as s:
        assert regrade_patients(s, [pid]) == 2
    bad, good = _grades(db, pid)
    assert bad[1] is None and "does not belong to ALT" in (bad[3] or "")
    assert good[1] == 2


def test_loaded_objects_see_the_new_grade_in_the_same_session(db: Database) -> None:
    pid = _patient(db)
    with db.write() as s:
        lab = _lab(pid, "ALT", 10, 130.0, "U/L", 40.0)
        s.add(lab)
        regrade_patients(s, [pid])  # flushes the pending result first
        assert lab.grade == 2 and lab.grade_criteria == "ctcae-5.0"
        assert lab.version == 1  # grading is not a clinician's edit


def test_many_results_and_patients(db: Database) -> None:
    ids = [_patient(db, f"P{i}") for i in range(30)]
    with db.write() as s:
        s.add_all(
            _lab(pid, "ALT", day - 10, 20.0 + (day * 7) % 400, "U/L", 40.0)
            for pid in ids
            for day in range(100)
        )
    with db.write() as s:
        changed = regrade_all(s)
    assert changed == 3000
    with db.read() as s:
        ungraded = s.scalars(select(LabResult.id).where(LabResult.grade.is_(None))).all()
    assert ungraded == []
    with db.write() as s:
        assert regrade_patients(s, ids) == 0
    assert regrade_patients_empty(db) == 0


def regrade_patients_empty(db: Database) -> int:
    with db.write() as s:
        return regrade_patients(s, [])


def test_load_timeline(db: Database) -> None:
    pid = _patient(db)
    with db.write() as s:
        pred = TreatmentLine(
            patient_id=pid,
            category="immunosuppression",
            agent="prednisone",
            dose=60,
            dose_unit="mg",
            frequency="daily",
            start_date=START + timedelta(days=40),
        )
        s.add(pred)
        s.flush()
        s.add(
            DoseStep(
                line_id=pred.id, start_date=START + timedelta(days=45), dose=40, dose_unit="mg"
            )
        )
        s.add(TreatmentHold(line_id=pred.id, start_date=START + timedelta(days=50)))
        s.add_all(
            [
                _lab(
                    pid, "ALT", 12, 130.0, "U/L", 40.0, source_file="labs.csv", source_ref="line 4"
                ),
                _lab(pid, "ALT", -3, 30.0, "U/L", 40.0, entered_by="dr who"),
                _lab(pid, "ALT", 5, 99.0, "U/L", 40.0, status="entered-in-error"),
                _lab(pid, "AST", 12, 100.0, "U/L", None),
                _lab(pid, "GGT", 12, 100.0, "U/L", None),
            ]
        )
        s.add(SiteReferenceRange(analyte="AST", sex="F", lln=8.0, uln=32.0, unit="U/L"))
    with db.write() as s:
        regrade_patients(s, [pid])
    with db.read() as s:
        tl = load_timeline(s, pid)
        assert load_timelines(s, [pid, 999999]).keys() == {pid}
        with pytest.raises(PatientNotFoundError):
            load_timeline(s, 999999)
    assert tl.mrn == "M1" and tl.weight_kg == 70.0 and tl.first_ici_start == START
    alt = tl.labs_for("ALT")
    assert [lab.value for lab in alt] == [30.0, 130.0]  # withdrawn result left out
    (ast,) = tl.labs_for("AST")
    assert (ast.uln, ast.range_source, ast.grade) == (32.0, "site", 2)  # 3.1 x ULN
    (ggt,) = tl.labs_for("GGT")
    assert (ggt.uln, ggt.range_source, ggt.grade) == (None, "none", None)
    assert alt[0].is_baseline and alt[1].grade == 2 and alt[1].range_source == "reported"
    assert alt[0].source == "entered by dr who"
    assert alt[1].source == "labs.csv (line 4)"
    assert tl.labs[0].collected_at.tzinfo is not None
    steroid = next(t for t in tl.treatments if t.agent == "prednisone")
    assert steroid.dose_steps[0].dose == 40 and steroid.holds[0].end is None
    assert steroid.status_on(START + timedelta(days=51)) == "held"
