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
    assert main(["--db", url, "import", str(HL7_CMP), str(HL7_GLUCOSE), "--timezone", "UTC"]) == 0
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
    ]
    assert len(rows) == 6
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
