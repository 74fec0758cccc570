"""`irae-desktop screenings` and a screening file through `irae-desktop import`: the documented
columns, one patient, deleted results left out, the import's summary, JSON and exit codes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from irae_desktop.cli.main import main
from irae_desktop.domain.records import PatientRecord
from irae_desktop.store.database import open_database
from irae_desktop.store.patients import create_patient
from irae_desktop.store.screenings import add_screening, delete_screening


def _setup(url: str) -> None:
    db = open_database(url)
    try:
        with db.write() as s:
            ann = create_patient(s, PatientRecord(mrn="C-1", name="Ann"), user="alice").id
            create_patient(s, PatientRecord(mrn="C-2", name="Bob"), user="alice")
            add_screening(
                s, "alice", ann, test="hbsag", taken_on=date(2024, 1, 5), result="negative",
                note="before infliximab, \"urgent\"",
            )  # fmt: skip
            gone = add_screening(
                s, "alice", ann, test="anti_hbs", taken_on=date(2024, 1, 5), result="positive"
            )
            delete_screening(s, "alice", gone.id, reason="wrong patient", expected_version=1)
    finally:
        db.dispose()


def test_import_then_export_as_csv_and_json(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _setup(sqlite_url)
    path = tmp_path / "sero.csv"
    path.write_text(
        "MRN;Test;Date;Result\nC-2;QuantiFERON;03.01.2024;negativ\nC-1;HBcAb;2024-01-05;neg\n",
        encoding="utf-8",
    )
    assert main(["--db", sqlite_url, "import", str(path)]) == 0
    printed = capsys.readouterr().out
    assert "sero.csv [csv, infection screening; naive times read as" in printed
    assert "  imported: 2\n" in printed

    assert main(["--db", sqlite_url, "screenings"]) == 0
    assert capsys.readouterr().out == (
        "mrn,test,taken_on,result,note,source\n"
        'C-1,anti_hbc,2024-01-05,negative,,"sero.csv, line 3"\n'
        'C-1,hbsag,2024-01-05,negative,"before infliximab, ""urgent""",entered by alice\n'
        'C-2,tb_igra,2024-01-03,negative,,"sero.csv, line 2"\n'
    )

    assert main(["--db", sqlite_url, "screenings", "--patient", "C-2", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {
            "mrn": "C-2",
            "test": "tb_igra",
            "taken_on": "2024-01-03",
            "result": "negative",
            "note": None,
            "source": "sero.csv, line 2",
        }
    ]


def test_an_unknown_patient_is_exit_1_and_none_is_an_empty_list(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _setup(sqlite_url)
    assert main(["--db", sqlite_url, "screenings", "--patient", "C-9"]) == 1
    assert capsys.readouterr().err == "irae-desktop: no patient with MRN 'C-9'\n"
    assert main(["--db", sqlite_url, "screenings", "--patient", "C-2", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_a_screening_file_with_bad_rows_exits_1_with_its_reasons_in_json(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _setup(sqlite_url)
    path = tmp_path / "sero.csv"
    path.write_text(
        "MRN,Test,Date,Result\nC-2,TST,2024-01-03,pos\nC-2,TST,2024-01-04,maybe\n",
        encoding="utf-8",
    )
    assert main(["--db", sqlite_url, "import", str(path), "--json", "--dry-run"]) == 1
    report = json.loads(capsys.readouterr().out)
    (file,) = report["files"]
    assert (file["layout"], file["dry_run"], file["imported"], file["rejected_count"]) == (
        "infection screening",
        True,
        1,
        1,
    )
    assert file["rejected"] == [
        {
            "where": "line 3",
            "column": "Result",
            "reason": "result 'maybe' is not one this program reads; write negative, positive, "
            "indeterminate (or neg, pos, reactive, non-reactive, detected, not detected, "
            "equivocal)",
        }
    ]
    assert main(["--db", sqlite_url, "screenings", "--patient", "C-2"]) == 0
    assert capsys.readouterr().out == "mrn,test,taken_on,result,note,source\n"  # a dry run
