"""`irae-desktop treatments`: the documented columns, the dose after a taper, one patient."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from irae_desktop.cli.main import main
from irae_desktop.domain.records import PatientRecord
from irae_desktop.store.database import open_database
from irae_desktop.store.patients import create_patient
from irae_desktop.store.treatments import add_dose_step, add_line, hold_line, stop_line


def _setup(url: str) -> None:
    db = open_database(url)
    try:
        with db.write() as s:
            ann = create_patient(s, PatientRecord(mrn="T-1", name="Ann"), user="alice").id
            bob = create_patient(s, PatientRecord(mrn="T-2", name="Bob"), user="alice").id
            add_line(
                s, "alice", ann, category="ici", agent="pembrolizumab",
                start_date=date(2024, 1, 2), dose=200, dose_unit="mg", frequency="q3w",
                route="IV", indication="melanoma",
            )  # fmt: skip
            pred = add_line(
                s, "alice", ann, category="immunosuppression", agent="prednisone",
                start_date=date(2024, 3, 1), dose=80, dose_unit="mg", frequency="daily",
                route="PO", indication="hepatitis",
            )  # fmt: skip
            # the taper: 80 mg from 1 March, 40 mg from 15 March, 10 mg from 1 April
            add_dose_step(
                s, "alice", pred.id, start_date=date(2024, 3, 15), dose=40, dose_unit="mg"
            )
            add_dose_step(s, "alice", pred.id, start_date=date(2024, 4, 1), dose=10, dose_unit="mg")
            mmf = add_line(
                s, "alice", ann, category="immunosuppression", agent="mycophenolate mofetil",
                start_date=date(2024, 3, 20), dose=1000, dose_unit="mg", frequency="bid",
            )  # fmt: skip
            stop_line(s, "alice", mmf.id, stop_date=date(2024, 5, 1), reason="resolved")
            nivo = add_line(
                s, "alice", bob, category="ici", agent="nivolumab",
                start_date=date(2024, 6, 1), dose=2.5, dose_unit="mg/kg",
            )  # fmt: skip
            hold_line(s, "alice", nivo.id, start_date=date(2024, 7, 1), reason="colitis")
    finally:
        db.dispose()


def test_csv_export_has_the_contract_columns_and_the_dose_after_the_taper(
    capsys,
    sqlite_url,  # type: ignore[no-untyped-def]
) -> None:
    _setup(sqlite_url)

    assert main(["--db", sqlite_url, "treatments"]) == 0

    text = capsys.readouterr().out
    lines = text.splitlines()
    assert lines[0] == (
        "mrn,category,agent,dose,dose_unit,frequency,route,start,stop,indication,"
        "current_dose,status"
    )
    assert lines[1:] == [
        "T-1,ici,pembrolizumab,200,mg,q3w,IV,2024-01-02,,melanoma,200 mg q3w,on",
        "T-1,immunosuppression,prednisone,80,mg,daily,PO,2024-03-01,,hepatitis,10 mg daily,on",
        "T-1,immunosuppression,mycophenolate mofetil,1000,mg,bid,,2024-03-20,2024-05-01,,"
        "1000 mg bid,stopped",
        "T-2,ici,nivolumab,2.5,mg/kg,,,2024-06-01,,,2.5 mg/kg,held",
    ]


def test_json_export_for_one_patient(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    _setup(sqlite_url)

    assert main(["--db", sqlite_url, "treatments", "--patient", "T-2", "--format", "json"]) == 0

    (row,) = json.loads(capsys.readouterr().out)
    assert row == {
        "mrn": "T-2",
        "category": "ici",
        "agent": "nivolumab",
        "dose": 2.5,
        "dose_unit": "mg/kg",
        "frequency": None,
        "route": None,
        "start": "2024-06-01",
        "stop": None,
        "indication": None,
        "current_dose": "2.5 mg/kg",
        "status": "held",
    }


def test_unknown_patient_is_an_input_error(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    _setup(sqlite_url)

    assert main(["--db", sqlite_url, "treatments", "--patient", "NOPE"]) == 1

    assert "no patient with MRN 'NOPE'" in capsys.readouterr().err


def test_empty_database_prints_the_header_only(capsys, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", sqlite_url, "treatments"]) == 0

    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows == [
        [
            "mrn", "category", "agent", "dose", "dose_unit", "frequency", "route", "start",
            "stop", "indication", "current_dose", "status",
        ]
    ]  # fmt: skip


def test_doses_given_imported_then_exported_with_the_dose_after_the_taper(
    capsys,
    sqlite_url,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    db = open_database(sqlite_url)
    try:
        with db.write() as s:
            create_patient(s, PatientRecord(mrn="T-3", name="Cy"), user="alice")
    finally:
        db.dispose()
    given = tmp_path / "given.csv"
    given.write_text(
        "MRN,Drug,Dose,Unit,Route,Date given\n"
        "T-3,Solu-Medrol,32,mg,IV,2024-03-01\n"
        "T-3,Solu-Medrol,32,mg,IV,2024-03-02\n"
        "T-3,Solu-Medrol,16,mg,IV,2024-03-03\n",
        encoding="utf-8",
    )
    assert main(["--db", sqlite_url, "import", str(given), "--timezone", "UTC"]) == 0
    assert "imported: 3" in capsys.readouterr().out

    assert main(["--db", sqlite_url, "treatments", "--patient", "T-3"]) == 0

    assert capsys.readouterr().out.splitlines()[1] == (
        # a daily drug's line stops on its last dose given, on the tapered dose
        "T-3,immunosuppression,methylprednisolone,32,mg,,IV,2024-03-01,2024-03-03,,16 mg,stopped"
    )
