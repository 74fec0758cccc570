"""Synthea's medications.csv: the drugs this program tracks become lines, the rest are counted
as not tracked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from irae_desktop.domain.records import PatientRecord
from irae_desktop.importers.service import ImportOptions, import_files
from irae_desktop.store.database import Database
from irae_desktop.store.patients import create_patient
from irae_desktop.store.treatments import list_lines
from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "synthea" / "medications_head.csv"
HEADER = (
    "START,STOP,PATIENT,PAYER,ENCOUNTER,CODE,DESCRIPTION,BASE_COST,PAYER_COVERAGE,DISPENSES,"
    "TOTALCOST,REASONCODE,REASONDESCRIPTION\n"
)
PATIENT = "ac71ad72-4172-803c-4e82-448f043d8db3"


def _patient(db: Database) -> int:
    with db.write() as s:
        return create_patient(s, PatientRecord(mrn=PATIENT, name="Synthea"), user="alice").id


def test_the_sample_lists_no_tracked_drug(db: Database) -> None:
    _patient(db)

    (summary,) = import_files(db, [SAMPLE], ImportOptions(timezone="UTC"))

    assert (summary.layout, summary.imported, summary.rejected_count) == (
        "synthea-medications", 0, 0,
    )  # fmt: skip
    assert summary.not_tracked == summary.rows_read > 0
    # lines 2 and 6 of the sample
    assert summary.not_tracked_tests["Ibuprofen 100 MG Oral Tablet"] == 2


def test_tracked_drugs_become_lines(db: Database, tmp_path: Path) -> None:
    pid = _patient(db)
    path = tmp_path / "medications.csv"
    path.write_text(
        HEADER + f"2024-01-02T10:00:00Z,,{PATIENT},p,e,1547545,pembrolizumab 25 MG/ML Injectable "
        "Solution,1,0,1,1,,\n"
        + f"2024-03-01T08:00:00Z,2024-03-20T08:00:00Z,{PATIENT},p,e,1,Methylprednisolone 4 MG "
        "Oral Tablet,1,0,1,1,1,Immune hepatitis\n"
        + f"2024-03-01T08:00:00Z,,{PATIENT},p,e,2,Hydrocortisone 10 MG/ML Topical Cream,"
        "1,0,1,1,,\n",
        encoding="utf-8",
    )

    (summary,) = import_files(db, [path], ImportOptions(timezone="UTC"))

    assert (summary.imported, summary.not_tracked, summary.rejected_count) == (2, 1, 0)
    with db.read() as s:
        lines = [
            (x.category, x.agent, x.start_date, x.stop_date, x.indication, x.dose)
            for x in list_lines(s, pid)
        ]
    assert lines == [
        ("ici", "pembrolizumab", date(2024, 1, 2), None, None, None),
        (
            "immunosuppression", "methylprednisolone", date(2024, 3, 1), date(2024, 3, 20),
            "Immune hepatitis", None,
        ),
    ]  # fmt: skip
