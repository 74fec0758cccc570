"""Grades written during an import are the grades a full regrade of the patient gives: against
the stored baseline, when the file moves the baseline, with site ranges and as-reported units."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

import irae_desktop.importers.service as service
from irae_desktop.domain.records import PatientRecord, Sex
from irae_desktop.store.database import Database
from irae_desktop.store.grading import regrade_all
from irae_desktop.store.labs import set_baseline_override
from irae_desktop.store.models import LabResult, Patient
from irae_desktop.store.patients import create_patient
from irae_desktop.store.settings import set_site_range
from irae_desktop.store.treatments import add_line
from tests.conftest import SAMPLES
from tests.importers.helpers import IMPORT_FIXTURES, add_patients, run

HEADER = "mrn,collected_at,test,value,unit,ref_range\n"


def _csv(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def _final(db: Database) -> bool:
    """True when regrading every patient from scratch changes no stored row."""
    with db.write() as session:
        return regrade_all(session) == 0


def _series(
    db: Database, mrn: str, analyte: str = "ALT"
) -> list[tuple[str, float, int | None, bool]]:
    with db.read() as session:
        rows = session.execute(
            select(LabResult.collected_at, LabResult.value, LabResult.grade, LabResult.is_baseline)
            .join(Patient)
            .where(Patient.mrn == mrn, LabResult.analyte == analyte)
            .order_by(LabResult.collected_at)
        ).all()
    return [(f"{at:%Y-%m-%d}", value, grade, baseline) for at, value, grade, baseline in rows]


@pytest.fixture
def regraded(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The patient ids the import regraded after writing (beyond grading rows as written)."""
    seen: list[int] = []
    real = service.regrade

    def spy(session, patient_ids):  # type: ignore[no-untyped-def]
        seen.extend(patient_ids)
        return real(session, patient_ids)

    monkeypatch.setattr(service, "regrade", spy)
    return seen


@pytest.fixture
def on_pembrolizumab(db: Database, tmp_path: Path) -> int:
    """Patient P1 on pembrolizumab from 2024-03-01 with an abnormal ALT baseline (liver
    metastases): 200 U/L on 2024-02-20, ULN 40."""
    with db.write() as session:
        patient = create_patient(session, PatientRecord(mrn="P1", name="Pat One"), user="t")
        add_line(
            session,
            "t",
            patient.id,
            category="ici",
            agent="pembrolizumab",
            start_date=date(2024, 3, 1),
        )
        pid = patient.id
    (summary,) = run(db, _csv(tmp_path, "before.csv", ["P1,2024-02-20 08:00,ALT,200,U/L,7-40"]))
    assert summary.imported == 1
    return pid


def test_results_after_the_start_are_graded_against_the_stored_baseline(
    db: Database, tmp_path: Path, on_pembrolizumab: int, regraded: list[int]
) -> None:
    path = _csv(
        tmp_path,
        "after.csv",
        ["P1,2024-03-10 08:00,ALT,300,U/L,7-40", "P1,2024-03-20 08:00,ALT,700,U/L,7-40"],
    )
    (summary,) = run(db, path)

    assert summary.imported == 2
    # 300 = 1.5x the 200 baseline: grade 1 (7.5x ULN would be grade 3); 700 = 3.5x: grade 2
    assert _series(db, "P1") == [
        ("2024-02-20", 200.0, 2, True),
        ("2024-03-10", 300.0, 1, False),
        ("2024-03-20", 700.0, 2, False),
    ]
    assert on_pembrolizumab not in regraded, "nothing in the file could move the baseline"
    assert _final(db)


def test_a_file_row_that_moves_the_baseline_regrades_the_patient(
    db: Database, tmp_path: Path, on_pembrolizumab: int, regraded: list[int]
) -> None:
    run(db, _csv(tmp_path, "after.csv", ["P1,2024-03-10 08:00,ALT,300,U/L,7-40"]))
    regraded.clear()
    # a later pre-treatment draw, listed after the post-treatment one it re-bases
    path = _csv(
        tmp_path,
        "late.csv",
        ["P1,2024-03-25 08:00,ALT,300,U/L,7-40", "P1,2024-02-28 08:00,ALT,50,U/L,7-40"],
    )
    (summary,) = run(db, path)

    assert summary.imported == 2
    # the 2024-02-28 value (50) is now the baseline: 300 is 6x it, grade 3 per the abnormal
    # baseline rule, whereas against the old 200 baseline it was grade 1
    series = _series(db, "P1")
    assert [(day, baseline) for day, _, _, baseline in series] == [
        ("2024-02-20", False),
        ("2024-02-28", True),
        ("2024-03-10", False),
        ("2024-03-25", False),
    ]
    assert series[2][2] == series[3][2] == 3
    assert regraded == [on_pembrolizumab]
    assert _final(db)


def test_an_override_keeps_its_baseline_whatever_the_file_holds(
    db: Database, tmp_path: Path, on_pembrolizumab: int, regraded: list[int]
) -> None:
    with db.write() as session:
        set_baseline_override(
            session, "t", on_pembrolizumab, "ALT", value=100, uln=40, reason="liver metastases"
        )
    path = _csv(
        tmp_path,
        "labs.csv",
        ["P1,2024-02-25 08:00,ALT,150,U/L,7-40", "P1,2024-03-10 08:00,ALT,350,U/L,7-40"],
    )
    run(db, path)

    # 350 against the chosen baseline of 100: 3.5x, grade 2
    assert _series(db, "P1")[-1][1:3] == (350.0, 2)
    assert on_pembrolizumab not in regraded
    assert _final(db)


def test_site_ranges_by_sex_and_glucose_in_mmol_are_graded_as_a_regrade_would(
    db: Database, tmp_path: Path
) -> None:
    with db.write() as session:
        create_patient(session, PatientRecord(mrn="F1", name="Fay", sex=Sex.FEMALE), user="t")
        create_patient(session, PatientRecord(mrn="M1", name="Max", sex=Sex.MALE), user="t")
        set_site_range(session, "t", "ALT", lln=7, uln=33, sex="F")
        set_site_range(session, "t", "ALT", lln=7, uln=50, sex="M")
        set_site_range(session, "t", "AST", lln=10, uln=40)
    path = _csv(
        tmp_path,
        "mixed.csv",
        [
            "F1,2024-05-01 08:00,ALT,120,U/L,",
            "M1,2024-05-01 08:00,ALT,120,U/L,",
            "M1,2024-05-01 08:00,AST,95,IU/L,",
            "F1,2024-05-01 08:00,Glucose,14.2,mmol/L,3.9-7.8",
            "M1,2024-05-02 08:00,Glucose,28,mmol/L,",
            "M1,2024-05-02 08:00,Total bilirubin,41,umol/L,3-21",
        ],
    )
    (summary,) = run(db, path)

    assert summary.imported == 6
    # 120 / 33 = 3.6x ULN: grade 2 for her; 120 / 50 = 2.4x: grade 1 for him
    assert _series(db, "F1")[0][2] == 2
    assert _series(db, "M1")[0][2] == 1
    with db.read() as session:
        reasons = list(session.scalars(select(LabResult.grade_reason)))
    assert any("site default" in reason for reason in reasons)
    assert _final(db)


def test_every_sample_and_quirk_file_leaves_final_grades(db: Database, tmp_path: Path) -> None:
    """All real-format samples and the project's own quirk files, into one registry where some
    patients are on an ICI with results before and after its start."""
    observations = SAMPLES / "synthea" / "observations_v3_labs.csv"
    with observations.open(encoding="utf-8") as fh:
        synthea_ids = sorted({line.split(",")[1] for line in list(fh)[1:] if line.strip()})
    add_patients(db, synthea_ids)
    with db.write() as session:
        for pid in list(session.scalars(select(Patient.id)))[::2]:
            add_line(
                session, "t", pid, category="ici", agent="nivolumab", start_date=date(2019, 1, 1)
            )
    files = sorted(p for p in SAMPLES.rglob("*") if p.suffix in {".csv", ".hl7", ".json"})
    files += sorted(
        p for p in IMPORT_FIXTURES.iterdir() if p.suffix in {".csv", ".hl7", ".json", ".ndjson"}
    )
    summaries = run(db, *files)

    assert sum(s.imported for s in summaries) > 100
    assert _final(db)
    # and again once the treatment start moves for everyone on an ICI (grades follow it)
    with db.write() as session:
        from irae_desktop.store.models import TreatmentLine
        from irae_desktop.store.treatments import update_line

        for line in list(session.scalars(select(TreatmentLine))):
            update_line(
                session,
                "t",
                line.id,
                expected_version=line.version,
                changes={"start_date": date(2017, 6, 1)},
            )
    assert _final(db)
    reimport = run(db, *files)
    assert [(s.file, s.imported) for s in reimport if s.imported] == []
    assert _final(db)


def test_collection_times_are_judged_by_utc_day(db: Database, tmp_path: Path) -> None:
    """A draw late on the start day in New York is the next day in UTC, as the regrade sees it."""
    with db.write() as session:
        patient = create_patient(session, PatientRecord(mrn="NY1", name="Ny One"), user="t")
        add_line(
            session,
            "t",
            patient.id,
            category="ici",
            agent="ipilimumab",
            start_date=date(2024, 3, 1),
        )
    path = _csv(
        tmp_path,
        "ny.csv",
        [
            "NY1,2024-02-29 10:00,ALT,150,U/L,7-40",
            "NY1,2024-03-01 21:30,ALT,90,U/L,7-40",
            "NY1,2024-03-05 08:00,ALT,300,U/L,7-40",
        ],
    )
    run(db, path, timezone="America/New_York")

    # 21:30 EST on 1 March is 02:30 UTC on 2 March: after the start, so 29 February is the
    # baseline
    assert [(day, baseline) for day, _, _, baseline in _series(db, "NY1")] == [
        ("2024-02-29", True),
        ("2024-03-02", False),
        ("2024-03-05", False),
    ]
    assert _final(db)
