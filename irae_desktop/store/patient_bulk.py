"""Creates many patients at once for an import: one INSERT for all, one audit event for each."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from irae_desktop.domain.records import PatientRecord
from irae_desktop.store.audit import to_json
from irae_desktop.store.models import AuditEvent, Patient
from irae_desktop.store.patients import EDITABLE_FIELDS, _validate, normalise_mrn
from irae_desktop.store.types import utcnow


def new_patient_values(record: PatientRecord) -> dict[str, Any]:
    """The stored values of a new patient; raises StoreError for unusable demographics.

    The same rules as store.patients.create_patient, checked before anything is written so a
    bad row can be refused on its own.
    """
    values: dict[str, Any] = {
        "mrn": normalise_mrn(record.mrn),
        "name": (record.name or "").strip(),
        "birth_date": record.birth_date,
        "sex": record.sex.value if record.sex is not None else None,
        "weight_kg": record.weight_kg,
        "diagnosis": record.diagnosis,
        "status": "active",
    }
    _validate(values)
    return values


def insert_patients(
    session: Session, patients: Sequence[Mapping[str, Any]], *, user: str
) -> list[int]:
    """Inserts patients (values from `new_patient_values`, MRNs known to be free) in one
    statement and a "create" audit event for each, in the caller's transaction.

    Returns the new ids in the order given. A taken MRN fails the whole statement with the
    database's unique-constraint error, so a concurrent creation cannot produce a twin.
    """
    if not patients:
        return []
    now = utcnow()
    rows = [
        {**values, "is_synthetic": False, "created_at": now, "updated_at": now, "version": 1}
        for values in patients
    ]
    ids = list(
        session.scalars(insert(Patient).returning(Patient.id, sort_by_parameter_order=True), rows)
    )
    if len(ids) != len(rows):
        raise RuntimeError("the database returned fewer patient ids than patients inserted")
    events = [
        {
            "at": now,
            "user": user,
            "action": "create",
            "entity": "patient",
            "entity_id": patient_id,
            "patient_id": patient_id,
            "patient_mrn": values["mrn"],
            "before_json": None,
            "after_json": to_json({key: values.get(key) for key in EDITABLE_FIELDS}),
            "reason": None,
        }
        for patient_id, values in zip(ids, patients, strict=True)
    ]
    session.execute(insert(AuditEvent), events)
    return ids
