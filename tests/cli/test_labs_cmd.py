"""`irae-desktop labs`: the documented CSV columns and JSON, for all patients or one."""

from __future__ import annotations

import csv
import io
import json

from irae_desktop.cli.main import main
from tests.conftest import SAMPLES

HL7_CMP = SAMPLES / "hl7" / "oru_r01_v23_cmp_local_codes.hl7"
HL7_GLUCOSE = SAMPLES / "hl7" / "oru_r01_v24_glucose.hl7"


def _setup(capsys, url: str) -> None:  # type: ignore[no-untyped-def]
    code = main(["--db", url, "import", str(HL7_CMP), str(HL7_GLUCOSE), "--timezone", "UTC"])
    # 0: the panels' tests this program does not track are counted as skipped, not failures
    assert code == 0
    capsys.readouterr()


def test_csv_export_has_the_contract_columns(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    _setup(capsys, sqlite_url)

    assert main(["--db", sqlite_url, "labs"]) == 0

    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == [
        "mrn",
        "analyte",
        "collected_at",
        "value",
        "comparator",
        "unit",
        "uln",
        "lln",
        "grade",
        "criteria",
        "baseline",
        "source",
        "grade_shown",
        "original_text",
        "original_unit",
    ]
    # the panel's five liver and glucose results, its hemoglobin, platelets and creatinine, and
    # the fasting glucose of the other sample
    assert len(rows) == 9
    assert {r["analyte"] for r in rows} >= {"HGB", "PLT", "CREAT"}
    creatinine = next(r for r in rows if r["analyte"] == "CREAT")
    assert (creatinine["value"], creatinine["unit"], creatinine["grade"]) == ("2.3", "mg/dL", "2")
    alt = next(r for r in rows if r["analyte"] == "ALT")
    assert alt["mrn"] == "002993817"
    assert alt["collected_at"] == "2010-03-15T00:29:00Z"
    assert (alt["value"], alt["unit"], alt["uln"], alt["lln"]) == ("39.0", "U/L", "65.0", "30.0")
    assert alt["baseline"] in ("true", "false")
    assert alt["source"] == f"{HL7_CMP.name} message 5101 OBR 3 OBX 14"


def test_json_export_for_one_patient(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    _setup(capsys, sqlite_url)

    assert main(["--db", sqlite_url, "labs", "--patient", "555-44-4444", "--format", "json"]) == 0

    (row,) = json.loads(capsys.readouterr().out)
    assert (row["analyte"], row["value"], row["uln"]) == ("GLUCOSE_FASTING", 182.0, 105.0)


def test_unknown_patient_exit_1(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", sqlite_url, "labs", "--patient", "NOBODY"]) == 1
    assert "no patient with MRN 'NOBODY'" in capsys.readouterr().err


def _store_glucose(url: str, results: list[tuple[float, str, str]]) -> None:
    """Glucose results stored as (canonical mg/dL value, source text, source unit)."""
    from datetime import UTC, datetime

    from irae_desktop.store.database import open_database
    from irae_desktop.store.models import LabResult, Patient

    db = open_database(url)
    try:
        with db.write() as s:
            patient = Patient(mrn="EXP-1", name="Export Test", status="active")
            s.add(patient)
            s.flush()
            for hour, (value, text, unit) in enumerate(results):
                s.add(
                    LabResult(
                        patient_id=patient.id,
                        analyte="GLUCOSE",
                        value=value,
                        unit="mg/dL",
                        original_text=text,
                        original_unit=unit,
                        uln=140.0,
                        lln=70.0,
                        collected_at=datetime(2026, 5, 1, hour, tzinfo=UTC),
                        status="final",
                        entered_by="tester",
                    )
                )
    finally:
        db.dispose()


def test_export_values_keep_the_precision_the_source_gave(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    # 540.4799999999999 is the float a converter leaves for 540.48; 30 mmol/L x 18.016 = 540.48
    _store_glucose(
        sqlite_url,
        [
            (540.4799999999999, "540.48", "mg/dL"),
            (540.4799999999999, "30", "mmol/L"),
            (98.0, "98", "mg/dL"),
        ],
    )

    assert main(["--db", sqlite_url, "labs", "--patient", "EXP-1"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["value"], r["original_text"], r["original_unit"]) for r in rows] == [
        ("540.48", "540.48", "mg/dL"),
        # converted: one decimal finer than glucose's clinical 1 mg/dL, the source text beside it
        ("540.5", "30", "mmol/L"),
        ("98.0", "98", "mg/dL"),
    ]

    assert main(["--db", sqlite_url, "labs", "--patient", "EXP-1", "--format", "json"]) == 0
    first = json.loads(capsys.readouterr().out)[0]
    assert (first["value"], first["original_text"]) == (540.48, "540.48")
