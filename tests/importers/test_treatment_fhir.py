"""FHIR R4 medication resources: MedicationRequest and MedicationStatement become lines,
MedicationAdministration doses given; re-import adds nothing; bad resources say why."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from irae_desktop.domain.records import PatientRecord
from irae_desktop.importers.service import ImportOptions, import_files
from irae_desktop.store.database import Database
from irae_desktop.store.models import TreatmentLine
from irae_desktop.store.patients import create_patient
from irae_desktop.store.treatments import list_lines

PATIENT = {
    "resourceType": "Patient",
    "id": "pat1",
    "identifier": [{"type": {"coding": [{"code": "MR"}]}, "value": "F-1"}],
}
REQUEST = {
    "resourceType": "MedicationRequest",
    "id": "req1",
    "status": "active",
    "intent": "order",
    "subject": {"reference": "Patient/pat1"},
    "medicationCodeableConcept": {
        "coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "1547545",
                    "display": "pembrolizumab"}],
        "text": "Keytruda 200 mg IV",
    },
    "authoredOn": "2024-01-01",
    "dosageInstruction": [{
        "timing": {"code": {"text": "q3w"}, "repeat": {"boundsPeriod": {"start": "2024-01-02"}}},
        "route": {"text": "IV"},
        "doseAndRate": [{"doseQuantity": {"value": 200, "unit": "mg"}}],
    }],
    "reasonCode": [{"text": "melanoma"}],
}  # fmt: skip
STATEMENT = {
    "resourceType": "MedicationStatement",
    "id": "st1",
    "status": "completed",
    "subject": {"reference": "Patient/pat1"},
    "medicationCodeableConcept": {"text": "prednisone 60 mg daily"},
    "effectivePeriod": {"start": "2024-03-01", "end": "2024-03-28"},
    "dosage": [{"doseAndRate": [{"doseQuantity": {"value": 60, "unit": "mg"}}],
                "timing": {"code": {"text": "daily"}}}],
}  # fmt: skip
ADMINISTRATIONS = [
    {
        "resourceType": "MedicationAdministration",
        "id": f"adm{i}",
        "status": "completed",
        "subject": {"reference": "Patient/pat1"},
        "medicationCodeableConcept": {"text": "Yervoy"},
        "effectiveDateTime": when,
        "dosage": {"dose": {"value": 3, "unit": "mg/kg"}, "route": {"text": "IV"}},
    }
    for i, when in enumerate(("2024-01-02T10:00:00Z", "2024-01-23T10:00:00Z"))
]
UNKNOWN = {**STATEMENT, "id": "st2", "medicationCodeableConcept": {"text": "metformin"}}


def _bundle(tmp_path: Path, *resources: dict[str, Any]) -> Path:
    path = tmp_path / "meds.json"
    bundle = {"resourceType": "Bundle", "type": "collection",
              "entry": [{"resource": r} for r in resources]}  # fmt: skip
    path.write_text(json.dumps(bundle), encoding="utf-8")
    return path


def test_requests_statements_and_administrations_become_lines(db: Database, tmp_path: Path) -> None:
    with db.write() as s:
        pid = create_patient(s, PatientRecord(mrn="F-1", name="Fay"), user="alice").id
    path = _bundle(tmp_path, PATIENT, REQUEST, STATEMENT, *ADMINISTRATIONS, UNKNOWN)

    (summary,) = import_files(db, [path], ImportOptions(timezone="UTC"))

    assert (summary.format, summary.layout) == ("fhir", "FHIR medications")
    assert (summary.imported, summary.rejected_count) == (4, 1)
    assert [(r.ref, r.reason) for r in summary.rejected] == [
        ("MedicationStatement st2", "unknown agent 'metformin': not a drug this program tracks")
    ]
    with db.read() as s:
        lines = list_lines(s, pid)
        got = [
            (x.category, x.agent, x.dose, x.dose_unit, x.frequency, x.route, x.start_date,
             x.stop_date, x.indication, [st.start_date for st in x.dose_steps])
            for x in lines
        ]  # fmt: skip
    assert got == [
        ("ici", "pembrolizumab", 200.0, "mg", "q3w", "IV", date(2024, 1, 2), None, "melanoma",
         []),
        ("ici", "ipilimumab", 3.0, "mg/kg", None, "IV", date(2024, 1, 2), None, None,
         [date(2024, 1, 2), date(2024, 1, 23)]),
        ("immunosuppression", "prednisone", 60.0, "mg", "daily", None, date(2024, 3, 1),
         date(2024, 3, 28), None, []),
    ]  # fmt: skip

    (again,) = import_files(db, [path], ImportOptions(timezone="UTC"))

    assert (again.imported, again.duplicates) == (0, 4)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(TreatmentLine)) == 3


def test_a_lab_bundle_is_still_a_lab_import(db: Database, tmp_path: Path) -> None:
    from tests.conftest import SAMPLES

    sample = next((SAMPLES / "fhir").glob("*.json"))

    (summary,) = import_files(db, [sample], ImportOptions(timezone="UTC"))

    assert summary.layout != "FHIR medications"
