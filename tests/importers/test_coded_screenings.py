"""Screening results in a laboratory export: rows coded with a qualitative screening test's LOINC
code are stored as screening results (CSV, HL7 v2 and FHIR), beside the lab results of the same
file; a value that is no result word, a preliminary result and an unknown MRN are refused."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import select

from irae_desktop.store.database import Database
from irae_desktop.store.models import ScreeningResult
from tests.importers.helpers import add_patients, labs, run


def _stored(db: Database) -> list[tuple[object, ...]]:
    with db.read() as s:
        rows = s.scalars(select(ScreeningResult).order_by(ScreeningResult.id))
        return [(r.test, r.taken_on, r.result, r.source_file, r.source_ref) for r in rows]


CSV = """\
MRN,LOINC,Test,Collected,Result,Unit
L-1,5196-1,HBsAg,2024-06-01 08:00,Nonreactive,
L-1,16933-4,HBV core Ab,2024-06-01 08:00,Reactive,
L-1,13952-7,HBV core Ab IA,2024-06-02 08:00,negative,
L-1,22322-2,HBV surface Ab,2024-06-01 08:00,Positive,
L-1,71773-6,QuantiFERON-TB Gold Plus,2024-06-01 23:30,Indeterminate,
L-1,5195-3,HBsAg serum,2024-06-03 09:00,Negative,
L-1,1742-6,ALT,2024-06-01 08:00,44,U/L
L-1,71773-6,QuantiFERON-TB Gold Plus,2024-06-04 08:00,0.12,IU/mL
L-9,5196-1,HBsAg,2024-06-01 08:00,Negative,
"""


def test_coded_rows_of_a_csv_lab_export(db: Database, tmp_path: Path) -> None:
    add_patients(db, ["L-1"])
    path = tmp_path / "export.csv"
    path.write_text(CSV, encoding="utf-8")
    (summary,) = run(db, path, timezone="Europe/Berlin")
    assert (summary.layout, summary.rows_read, summary.imported, summary.rejected_count) == (
        "long",
        9,
        7,
        2,
    )
    assert [(r.ref, r.column, r.reason) for r in summary.rejected] == [
        (
            "line 9",
            "Result",
            "TB interferon-gamma release assay (LOINC 71773-6): result '0.12' is not one this "
            "program reads; write negative, positive, indeterminate (or neg, pos, reactive, "
            "non-reactive, detected, not detected, equivocal)",
        ),
        (
            "line 10",
            "mrn",
            "no patient with MRN 'L-9': screening results are not held for assignment; add the "
            "patient (or import their roster) and import this file again",
        ),
    ]
    assert _stored(db) == [
        ("hbsag", date(2024, 6, 1), "negative", "export.csv", "line 2"),
        ("anti_hbc", date(2024, 6, 1), "positive", "export.csv", "line 3"),
        ("anti_hbc", date(2024, 6, 2), "negative", "export.csv", "line 4"),
        ("anti_hbs", date(2024, 6, 1), "positive", "export.csv", "line 5"),
        ("tb_igra", date(2024, 6, 1), "indeterminate", "export.csv", "line 6"),
        ("hbsag", date(2024, 6, 3), "negative", "export.csv", "line 7"),
    ]
    assert [(lab.analyte, lab.value) for lab in labs(db)] == [("ALT", 44.0)]
    (again,) = run(db, path, timezone="Europe/Berlin")
    assert (again.imported, again.duplicates, again.rejected_count) == (0, 7, 2)


def test_a_coded_result_in_an_hl7_message(db: Database, tmp_path: Path) -> None:
    add_patients(db, ["H-1"])
    path = tmp_path / "sero.hl7"
    path.write_bytes(
        b"MSH|^~\\&|LAB|HOSP|IRAE|ONC|202406020930||ORU^R01|S1|P|2.4\r"
        b"PID|1||H-1||Serum^Sam||19700101|F\r"
        b"OBR|1|||HEPB|||202406020815\r"
        b"OBX|1|CE|5196-1^HBsAg^LN||260385009^Negative^SCT||||||F|||202406020815\r"
        b"OBX|2|ST|16933-4^HBcAb^LN||Reactive||||||F|||202406020815\r"
        b"OBX|3|ST|22322-2^HBsAb^LN||Reactive||||||P|||202406020815\r"
    )
    (summary,) = run(db, path)
    assert (summary.imported, summary.rejected_count) == (2, 1)
    (preliminary,) = summary.rejected
    assert (preliminary.column, preliminary.reason) == (
        "status",
        "anti-HBs (LOINC 22322-2): result status 'preliminary' is not final",
    )
    assert [row[:3] for row in _stored(db)] == [
        ("hbsag", date(2024, 6, 2), "negative"),
        ("anti_hbc", date(2024, 6, 2), "positive"),
    ]


def test_a_coded_answer_in_a_fhir_observation(db: Database, tmp_path: Path) -> None:
    add_patients(db, ["F-1"])
    observation = {
        "resourceType": "Observation",
        "id": "igra1",
        "status": "final",
        "category": [{"coding": [{"code": "laboratory"}]}],
        "code": {"coding": [{"system": "http://loinc.org", "code": "71773-6"}]},
        "subject": {"identifier": {"value": "F-1"}, "reference": "Patient/F-1"},
        "effectiveDateTime": "2024-07-01T10:00:00Z",
        "valueCodeableConcept": {
            "coding": [
                {"system": "http://snomed.info/sct", "code": "260385009", "display": "Negative"}
            ]
        },
    }
    path = tmp_path / "igra.json"
    path.write_text(json.dumps(observation), encoding="utf-8")
    (summary,) = run(db, path)
    assert (summary.imported, summary.rejected_count) == (1, 0)
    assert _stored(db) == [
        ("tb_igra", date(2024, 7, 1), "negative", "igra.json", "Observation igra1")
    ]
