"""The long-layout bulk path writes exactly what the full per-row path writes: every stored
column, every patient, every held row, every count, rejection and warning, for every long CSV
the tests have, and for a generated file full of repeats, traps and grading cases."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from irae_desktop.domain.records import PatientRecord, Sex
from irae_desktop.importers.long_lane import LongRowLane
from irae_desktop.store import lab_writer
from irae_desktop.store.database import Database, open_database
from irae_desktop.store.labs import add_manual_lab, set_baseline_override
from irae_desktop.store.models import AuditEvent, ImportBatch, LabResult, Patient, UnmatchedLabRow
from irae_desktop.store.patients import create_patient
from irae_desktop.store.treatments import add_line
from tests.conftest import SAMPLES
from tests.importers.helpers import IMPORT_FIXTURES, run, table_counts

LONG_FILES = [
    SAMPLES / "synthea" / "observations_v3_labs.csv",
    IMPORT_FIXTURES / "ehr_bom_utf8.csv",
    IMPORT_FIXTURES / "ehr_semicolon_cp1252.csv",
    IMPORT_FIXTURES / "duplicate_header.csv",
    IMPORT_FIXTURES / "blank_lines.csv",
    IMPORT_FIXTURES / "labs_for_roster.csv",
    IMPORT_FIXTURES / "mimic_labevents.csv",
    IMPORT_FIXTURES / "omop_measurement.csv",
    IMPORT_FIXTURES / "wrong_patient.csv",
]

TESTS = [
    ("ALT", "U/L", ["7-56", "7-56", "", "abc", "56-7"], ["12", "40", "180", "600", ">600", "0.4"]),
    ("AST", "IU/L", ["10-40"], ["22", "80", "300", "abc", ""]),
    ("Total bilirubin", "mg/dL", ["0.1-1.2"], ["0.4", "<0.1", "2.5", "7"]),
    ("Total bilirubin", "umol/L", ["3-21"], ["8", "40", "120"]),
    ("ALP", "Units/L", ["44-147"], ["90", "400"]),
    ("Glucose", "mg/dL", ["70-99"], ["95", "250", "4000", "612"]),
    ("Glucose", "mmol/L", ["3.9-5.5"], ["5.1", "14", "33.9"]),
    ("C-peptide", "ng/mL", ["0.8-3.1"], ["<0.1", "0.3", "1.2"]),
    ("HbA1c", "%", ["4-5.6"], ["5.4", "8.9"]),
    ("Sodium", "mmol/L", ["135-145"], ["140", "128"]),
    ("ALT", "furlongs", [""], ["12"]),
]
PATIENTS = [
    (f"L{n:03d}", f"Lane Patient{n}", f"19{50 + n % 40}-0{1 + n % 9}-1{n % 9}") for n in range(24)
]
TIMES = [
    f"2024-0{m}-{d:02d} {h:02d}:{mi:02d}"
    for m in (1, 2, 3)
    for d in (3, 9, 17)
    for h, mi in ((7, 5), (14, 40))
]
ODD_TIMES = ["2024-13-01 08:00", "2031-01-01 08:00", ""]
STATUSES = ["", "", "", "", "final", "preliminary", "corrected", "bogus"]
# patients on an ICI whose grades no row of the file makes the import redo (see _registry)
STEADY = ("L006", "L007")
FLAGS = ["", "", "", "H", "HH", "L"]


def _nasty_file(path: Path, rows: int = 4000, seed: int = 11) -> Path:
    """Mostly repeats of a few parts (so the bulk path takes most rows), with every kind of
    trap mixed in: bad values, units, ranges, times and statuses, missing MRNs, untracked
    tests, patients whose name contradicts the registry, exact duplicates and corrections."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["MRN", "Patient Name", "DOB", "Collected", "Test", "Result", "Units",
                      "Ref Range", "Flag", "Status"])  # fmt: skip
        previous: list[str] | None = None
        for n in range(rows):
            if previous is not None and rng.random() < 0.03:
                out.writerow(previous)  # the same result again
                continue
            mrn, name, dob = rng.choice(PATIENTS)
            if rng.random() < 0.01:
                mrn = ""
            if rng.random() < 0.01:
                name = "Somebody Else"
            test, unit, ranges, values = rng.choice(TESTS)
            when = rng.choice(ODD_TIMES) if rng.random() < 0.01 else rng.choice(TIMES)
            status = rng.choice(STATUSES)
            if mrn in STEADY and status == "corrected":
                status = ""  # a correction has the patient regraded in full
            row = [mrn, name, dob, when, test, rng.choice(values), unit, rng.choice(ranges),
                   rng.choice(FLAGS), status]  # fmt: skip
            if n % 500 == 7:
                row = [mrn, "", "", when, test, rng.choice(values), unit, "", "", ""]
            out.writerow(row)
            previous = row
    return path


def _registry(db: Database) -> None:
    """Patients already known: on an ICI (with results before and after its start), with a
    baseline override, with a sex for site ranges, and one the file names differently."""
    with db.write() as session:
        for index, (mrn, name, dob) in enumerate(PATIENTS[:8]):
            patient = create_patient(
                session,
                PatientRecord(
                    mrn=mrn,
                    name=name,
                    birth_date=date.fromisoformat(dob),
                    sex=Sex.FEMALE if index in (1, 4, 7) else Sex.MALE,
                ),
                user="t",
            )
            if index < 4:
                add_line(
                    session, "t", patient.id, category="ici", agent="pembrolizumab",
                    start_date=date(2024, 2, 1 + index * 5),
                )  # fmt: skip
            if index in (6, 7):
                # on an ICI since before the file, with an abnormal stored baseline that no
                # row of the file can move: its rows are graded as written, against it
                add_line(
                    session, "t", patient.id, category="ici", agent="nivolumab",
                    start_date=date(2023, 12, 1),
                )  # fmt: skip
                for analyte, value in (("ALT", "200"), ("AST", "150"), ("Glucose", "260")):
                    add_manual_lab(
                        session, "t", patient.id, analyte, datetime(2023, 11, 20, 8, tzinfo=UTC),
                        value, "mg/dL" if analyte == "Glucose" else "U/L", uln=None,
                    )  # fmt: skip
            if index == 5:
                set_baseline_override(
                    session, "t", patient.id, "ALT", 90.0, 40.0, "liver metastases", unit="U/L"
                )
        create_patient(
            session, PatientRecord(mrn="L020", name="Registry Name", birth_date=None), user="t"
        )


def _stored(db: Database) -> dict[str, Any]:
    """Everything the import wrote, in a comparable form (audit without its clock)."""
    with db.read() as session:

        def rows(model: Any, skip: tuple[str, ...] = ()) -> list[dict[str, Any]]:
            columns = [c for c in model.__table__.columns if c.name not in skip]
            return [
                dict(row._mapping)
                for row in session.execute(select(*columns).order_by(model.__table__.c.id))
            ]

        return {
            "labs": rows(LabResult),
            "patients": rows(Patient, ("created_at", "updated_at")),
            "held": rows(UnmatchedLabRow, ("created_at",)),
            "batches": rows(ImportBatch, ("started_at", "finished_at", "summary_json")),
            "audit": rows(AuditEvent, ("at", "id")),
        }


@pytest.fixture
def lanes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[LongRowLane]]:
    """The lanes imports made, to see how many rows they assembled."""
    made: list[LongRowLane] = []
    real = LongRowLane.__init__

    def spy(self: LongRowLane, *args: Any, **kwargs: Any) -> None:
        real(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(LongRowLane, "__init__", spy)
    yield made


def _both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: Path, *, registry: bool, **options: Any
) -> tuple[Any, Any]:
    """(summary, stored) with the bulk path, then with every row on the full path."""
    outcomes = []
    for learn in (True, False):
        with monkeypatch.context() as patch:
            if not learn:
                patch.setattr(LongRowLane, "_learn", lambda self, row, outcome: None)
            folder = tmp_path / f"{len(list(tmp_path.glob('*-learn-*')))}-learn-{learn}"
            folder.mkdir()
            db = open_database(f"sqlite:///{folder / 'irae.sqlite3'}")
            try:
                if registry:
                    _registry(db)
                (summary,) = run(db, path, **options)
                outcomes.append((asdict(summary), _stored(db)))
            finally:
                db.dispose()
    return outcomes[0], outcomes[1]


@pytest.mark.parametrize("path", LONG_FILES, ids=lambda p: p.name)
def test_every_long_file_is_stored_the_same_either_way(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    timezone = "Europe/Berlin" if "cp1252" in path.name else "UTC"
    bulk, full = _both_ways(tmp_path, monkeypatch, path, registry=False, timezone=timezone)
    assert bulk == full


@pytest.mark.parametrize("registry", [False, True], ids=["new patients", "known patients"])
def test_a_file_of_repeats_and_traps_is_stored_the_same_either_way(
    registry: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lanes: list[LongRowLane]
) -> None:
    path = _nasty_file(tmp_path / "nasty.csv")
    # small chunks, so patients' grading facts are known early and the bulk path grades too
    monkeypatch.setattr(lab_writer, "CHUNK_ROWS", 300)
    graded_here: list[str] = []
    real_fields = LongRowLane._result_fields

    def spy(self: LongRowLane, kind: Any, value: Any, when: Any, sex: str | None) -> Any:
        if sex is not None:
            graded_here.append(sex)
        return real_fields(self, kind, value, when, sex)

    monkeypatch.setattr(LongRowLane, "_result_fields", spy)
    bulk, full = _both_ways(tmp_path, monkeypatch, path, registry=registry)
    summary, stored = bulk
    # the comparison means something: the file has every outcome, and most rows took the
    # bulk path the first time and none the second
    assert summary["imported"] > 1500 and summary["duplicates"] > 50
    assert summary["rejected_count"] > 50 and summary["warning_count"] > 50
    assert summary["not_tracked"] > 100 and summary["corrected"] > 0
    assert summary["patients_created"] > 0
    assert {lab["grade"] for lab in stored["labs"]} >= {0, 1, 2, 3, 4}
    assert lanes[0].fast_rows > 2000 and lanes[1].fast_rows == 0
    assert graded_here  # rows of patients without an ICI start were graded on the bulk path
    if registry:
        assert "F" in graded_here  # a known patient's sex: site ranges may differ by sex
        assert any("wrong patient data" in r["reason"] for r in summary["rejected"])
        assert any(lab["is_baseline"] for lab in stored["labs"])
    assert bulk == full


def test_held_rows_and_a_dry_run_are_the_same_either_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file with no demographics: rows of unknown MRNs are held, known ones written."""
    path = tmp_path / "no_demographics.csv"
    lines = ["mrn,collected_at,test,value,unit"]
    for n in range(600):
        lines.append(f"L00{n % 9},2024-02-0{1 + n % 9} 08:00,ALT,{10 + n % 7},U/L")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bulk, full = _both_ways(tmp_path, monkeypatch, path, registry=True)
    assert bulk[0]["unmatched"] > 0 and bulk[0]["imported"] > 0
    assert bulk == full
    dry_bulk, dry_full = _both_ways(tmp_path, monkeypatch, path, registry=True, dry_run=True)
    assert dry_bulk == dry_full


def test_a_database_failure_mid_file_writes_nothing(db: Database, tmp_path: Path) -> None:
    """The bulk insert's driver errors end the file's transaction like any other: the summary
    says so and not one patient, result or batch is left behind."""
    path = _nasty_file(tmp_path / "nasty.csv")
    with db.write() as session:
        session.connection().exec_driver_sql(
            "CREATE TRIGGER refuse_high_alt BEFORE INSERT ON lab_results "
            "WHEN NEW.analyte = 'ALT' AND NEW.value > 500 "
            "BEGIN SELECT RAISE(ABORT, 'the disk refused the write'); END"
        )
    before = table_counts(db)
    (summary,) = run(db, path)
    assert summary.error.startswith("database error; nothing from this file was written")
    assert "the disk refused the write" in summary.error
    assert table_counts(db) == before


def test_missing_values_are_stored_as_null_and_present_ones_as_given(
    db: Database, tmp_path: Path
) -> None:
    """The bulk insert sends a missing range, flag or grade as "" for speed; the database must
    still hold NULL for them, and 0 or a range as numbers."""
    path = tmp_path / "mixed.csv"
    path.write_text(
        "mrn,name,collected_at,test,value,unit,ref_range,flag\n"
        "N1,Nora Null,2024-02-01 08:00,C-peptide,0.3,ng/mL,,\n"
        "N1,Nora Null,2024-02-01 08:00,ALT,20,U/L,7-56,\n"
        "N1,Nora Null,2024-02-02 08:00,ALT,200,U/L,7-56,H\n",
        encoding="utf-8",
    )
    (summary,) = run(db, path)
    assert summary.imported == 3
    with db.read() as session:
        stored = (
            session.connection()
            .exec_driver_sql(
                "SELECT analyte, value, typeof(lln), typeof(uln), typeof(abnormal_flag), "
                "typeof(grade), grade, abnormal_flag, typeof(grade_criteria) FROM lab_results "
                "ORDER BY collected_at, analyte"
            )
            .all()
        )
    assert [tuple(row) for row in stored] == [
        ("ALT", 20.0, "real", "real", "null", "integer", 0, None, "text"),
        ("CPEPTIDE", 0.3, "null", "null", "null", "null", None, None, "text"),
        ("ALT", 200.0, "real", "real", "text", "integer", 2, "H", "text"),
    ]
