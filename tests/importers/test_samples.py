"""Every real-format sample file imports with the counts and values the file itself states.

Expected counts are computed in the tests by simple independent parsing of the sample files
(csv module, string splitting, json), not copied from the importer's output.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime

from sqlalchemy import select

from irae_desktop.store.models import ImportBatch, Patient
from tests.conftest import SAMPLES
from tests.importers.helpers import add_patients, labs, run, table_counts

OBSERVATIONS = SAMPLES / "synthea" / "observations_v3_labs.csv"
PATIENTS = SAMPLES / "synthea" / "patients_head.csv"
HL7_GLUCOSE = SAMPLES / "hl7" / "oru_r01_v24_glucose.hl7"
HL7_CMP = SAMPLES / "hl7" / "oru_r01_v23_cmp_local_codes.hl7"
FHIR_BUNDLE = SAMPLES / "fhir" / "synthea_r4_cmp_liver_bundle.json"

# LOINC codes of the tracked analytes (clinical reference, section 6) -> the product's analyte
# code
TRACKED_LOINC = {
    "1742-6": "ALT",
    "1920-8": "AST",
    "1975-2": "TBILI",
    "6768-6": "ALP",
    "2339-0": "GLUCOSE",
    "2345-7": "GLUCOSE",
    "4548-4": "HBA1C",
    "38483-4": "CREAT",
    "33914-3": "EGFR",
}


def _synthea_rows() -> list[dict[str, str]]:
    with OBSERVATIONS.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_synthea_observations_import_every_lab_row(both_db) -> None:  # type: ignore[no-untyped-def]
    rows = _synthea_rows()
    lab_rows = [r for r in rows if r["CATEGORY"] == "laboratory" and r["CODE"] in TRACKED_LOINC]
    identities = {
        (r["PATIENT"], TRACKED_LOINC[r["CODE"]], r["DATE"], float(r["VALUE"])) for r in lab_rows
    }
    add_patients(both_db, sorted({r["PATIENT"] for r in rows}))

    summary = run(both_db, OBSERVATIONS)[0]

    assert summary.error == ""
    assert summary.rows_read == len(rows)
    assert summary.not_tracked == len(rows) - len(lab_rows)
    assert summary.imported == len(identities)
    assert summary.duplicates == len(lab_rows) - len(identities)
    assert summary.rejected_count == 0
    stored = labs(both_db)
    assert len(stored) == len(identities)
    first = rows[0]  # HbA1c 5.8 % on 2017-12-10T06:21:43Z
    match = [lab for lab in stored if lab.source_ref == "line 2"]
    assert len(match) == 1
    assert match[0].analyte == TRACKED_LOINC[first["CODE"]]
    assert match[0].value == float(first["VALUE"])
    assert match[0].unit == "%"
    assert match[0].collected_at == datetime(2017, 12, 10, 6, 21, 43, tzinfo=UTC)
    assert match[0].source_file == OBSERVATIONS.name


def test_synthea_without_category_column_gives_the_same_result(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = _synthea_rows()
    variant = tmp_path / "observations_no_category.csv"
    with variant.open("w", newline="", encoding="utf-8") as fh:
        fields = [f for f in rows[0] if f != "CATEGORY"]
        writer = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    add_patients(db, sorted({r["PATIENT"] for r in rows}))
    lab_rows = [r for r in rows if r["CODE"] in TRACKED_LOINC]

    summary = run(db, variant)[0]

    assert summary.rows_read == len(rows)
    assert summary.imported + summary.duplicates == len(lab_rows)
    assert summary.not_tracked == len(rows) - len(lab_rows)


def test_synthea_labs_without_patients_are_held_not_guessed(db) -> None:  # type: ignore[no-untyped-def]
    rows = _synthea_rows()
    lab_rows = [r for r in rows if r["CATEGORY"] == "laboratory" and r["CODE"] in TRACKED_LOINC]

    summary = run(db, OBSERVATIONS)[0]

    counts = table_counts(db)
    assert counts["lab_results"] == 0
    assert counts["patients"] == 0
    assert summary.unmatched == counts["unmatched_lab_rows"]
    assert summary.unmatched + summary.duplicates == len(lab_rows)


def test_synthea_roster_then_labs_in_one_import(db) -> None:  # type: ignore[no-untyped-def]
    with PATIENTS.open(newline="", encoding="utf-8") as fh:
        roster = list(csv.DictReader(fh))

    # given labs first: the roster is still applied first
    summaries = run(db, OBSERVATIONS, PATIENTS)

    assert [s.file for s in summaries] == [str(PATIENTS), str(OBSERVATIONS)]
    assert summaries[0].patients_created == len(roster)
    with db.read() as session:
        patients = {p.mrn: p for p in session.scalars(select(Patient))}
    for row in roster:
        patient = patients[row["Id"]]
        assert patient.name == f"{row['FIRST']} {row['LAST']}"
        assert patient.birth_date == date.fromisoformat(row["BIRTHDATE"])
        assert patient.sex == row["GENDER"]


def _hl7_segments(path):  # type: ignore[no-untyped-def]
    return [s for s in path.read_text(encoding="utf-8").replace("\n", "\r").split("\r") if s]


def test_hl7_v24_glucose_sample(both_db) -> None:  # type: ignore[no-untyped-def]
    obx = [s for s in _hl7_segments(HL7_GLUCOSE) if s.startswith("OBX")]
    assert len(obx) == 2  # counted by splitting on segment separators

    summary = run(both_db, HL7_GLUCOSE)[0]

    assert summary.rows_read == len(obx)
    assert summary.imported == 1
    # OBX 2 carries LOINC 1553-5, not one of the tracked codes
    assert summary.not_tracked == 1
    assert any("196203520" in w.reason for w in summary.warnings)
    (lab,) = labs(both_db, "555-44-4444")
    assert (lab.analyte, lab.value, lab.comparator, lab.unit) == (
        "GLUCOSE_FASTING",
        182.0,
        "",
        "mg/dL",
    )
    assert (lab.lln, lab.uln, lab.abnormal_flag) == (70.0, 105.0, "H")
    assert lab.original_unit == "mg/dl"
    assert lab.source_ref == "message CNTRL-3456 OBR 1 OBX 1"
    with both_db.read() as session:
        patient = session.scalars(select(Patient).where(Patient.mrn == "555-44-4444")).one()
    assert patient.birth_date is None  # the invalid PID-7 is ignored, not guessed
    assert patient.name == "EVE E EVERYWOMAN"


def test_hl7_v23_panel_with_local_codes(both_db) -> None:  # type: ignore[no-untyped-def]
    obx = [s.split("|") for s in _hl7_segments(HL7_CMP) if s.startswith("OBX")]
    tracked = {
        "GLU": "GLUCOSE",
        "ALT": "ALT",
        "AST": "AST",
        "ALKP": "ALP",
        "TBIL": "TBILI",
        "HGB": "HGB",
        "PLT": "PLT",
        "CR": "CREAT",  # named CREATININE; "BN/CR" (BUN/CREAT RATIO) is another test
    }
    expected = {
        tracked[f[3].split("^")[0]]: float(f[5]) for f in obx if f[3].split("^")[0] in tracked
    }

    summary = run(both_db, HL7_CMP, timezone="America/Detroit")[0]

    assert summary.rows_read == len(obx)
    assert summary.imported == len(expected) == 8
    assert summary.not_tracked == len(obx) - len(expected)
    assert summary.rejected == []
    # the differential's "LY%^LYMPH%" in % is listed as a percentage, never stored as ALC
    assert (
        summary.not_tracked_tests[
            "LYMPH% (a percentage, not the absolute lymphocyte count tracked as ALC)"
        ]
        == 1
    )
    stored = {lab.analyte: lab for lab in labs(both_db, "002993817")}
    assert {k: v.value for k, v in stored.items()} == expected
    # OBR-7 201003150029 read in the chosen zone (EDT began 2010-03-14: UTC-4)
    assert stored["ALT"].collected_at == datetime(2010, 3, 15, 4, 29, tzinfo=UTC)
    assert (stored["TBILI"].lln, stored["TBILI"].uln) == (0.0, 1.0)
    with both_db.read() as session:
        batch = session.scalars(select(ImportBatch)).one()
    assert batch.timezone == "America/Detroit"
    assert batch.imported == 8
    # "x10\S\3/uL" is "x10^3/uL" once the HL7 escape is read: thousands per µL
    assert (stored["PLT"].value, stored["PLT"].unit, stored["PLT"].grade) == (154.0, "10^3/µL", 0)
    assert (stored["HGB"].value, stored["HGB"].grade) == (12.0, 0)  # at the LLN 12.0
    # 2.3 mg/dL with ULN 1.3: 1.77 x ULN, above 1.5: grade 2 (CTCAE v5.0)
    assert (stored["CREAT"].value, stored["CREAT"].grade) == (2.3, 2)


def test_fhir_bundle_sample(both_db) -> None:  # type: ignore[no-untyped-def]
    bundle = json.loads(FHIR_BUNDLE.read_text(encoding="utf-8"))
    observations = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
    ]
    wanted = {}
    for obs in observations:
        code = obs["code"]["coding"][0]["code"]
        if code in TRACKED_LOINC:
            wanted[TRACKED_LOINC[code]] = (
                obs["valueQuantity"]["value"],
                datetime.fromisoformat(obs["effectiveDateTime"]).astimezone(UTC),
            )
    patient = next(
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    )

    summary = run(both_db, FHIR_BUNDLE)[0]

    assert summary.rows_read == len(observations)
    assert summary.imported == len(wanted)
    assert summary.not_tracked == len(observations) - len(wanted)
    assert summary.patients_created == 1
    stored = {lab.analyte: lab for lab in labs(both_db, patient["id"])}
    assert {k: (v.value, v.collected_at) for k, v in stored.items()} == wanted
    assert all(lab.source_ref.startswith("Observation ") for lab in stored.values())


def test_every_sample_reimported_adds_nothing(both_db) -> None:  # type: ignore[no-untyped-def]
    # the bundle before the observations: it creates a patient they refer to
    files = [PATIENTS, FHIR_BUNDLE, OBSERVATIONS, HL7_GLUCOSE, HL7_CMP]
    first = run(both_db, *files)
    before = table_counts(both_db)

    again = run(both_db, *files)

    after = table_counts(both_db)
    assert after["lab_results"] == before["lab_results"]
    assert after["patients"] == before["patients"]
    assert after["unmatched_lab_rows"] == before["unmatched_lab_rows"]
    assert after["import_batches"] == before["import_batches"] + len(files)
    for one, two in zip(first, again, strict=True):
        assert two.imported == 0
        assert two.duplicates == one.imported + one.duplicates + one.unmatched
