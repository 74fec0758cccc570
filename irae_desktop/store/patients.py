"""The patient aggregate: create, look up and edit patients, with optimistic locking and audit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from irae_desktop.domain.records import PatientRecord, Sex
from irae_desktop.store.audit import record_event
from irae_desktop.store.errors import ConcurrentEditError, StoreError
from irae_desktop.store.grading import regrade_patients
from irae_desktop.store.models import PATIENT_STATUSES, Patient

EDITABLE_FIELDS = ("name", "birth_date", "sex", "weight_kg", "diagnosis", "status", "mrn")
STATUSES = PATIENT_STATUSES


class DuplicateMrnError(StoreError):
    """Another patient already has this MRN."""


class PatientNotFoundError(StoreError):
    """No patient with that MRN or id."""


def normalise_mrn(mrn: str) -> str:
    """MRNs are compared exactly after trimming; an empty one is refused."""
    cleaned = mrn.strip()
    if not cleaned:
        raise StoreError("An MRN is required.")
    return cleaned


def snapshot(patient: Patient) -> dict[str, Any]:
    return {field: getattr(patient, field) for field in EDITABLE_FIELDS}


def get_by_mrn(session: Session, mrn: str) -> Patient | None:
    return session.scalars(select(Patient).where(Patient.mrn == mrn.strip())).one_or_none()


def require_patient(session: Session, patient_id: int) -> Patient:
    """The patient with this id, or PatientNotFoundError (someone may have removed it)."""
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise PatientNotFoundError("This patient no longer exists; someone may have removed it.")
    return patient


def require_by_mrn(session: Session, mrn: str) -> Patient:
    patient = get_by_mrn(session, mrn)
    if patient is None:
        raise PatientNotFoundError(f"No patient with MRN {mrn.strip()!r} in this database.")
    return patient


def mrn_taken(session: Session, mrn: str, *, except_id: int | None = None) -> bool:
    query = select(func.count()).select_from(Patient).where(Patient.mrn == mrn.strip())
    if except_id is not None:
        query = query.where(Patient.id != except_id)
    return bool(session.scalar(query))


def _validate(values: Mapping[str, Any]) -> None:
    weight = values.get("weight_kg")
    if weight is not None and not (0.5 <= float(weight) <= 400):
        raise StoreError(f"Weight {weight} kg is not plausible (0.5-400 kg).")
    birth = values.get("birth_date")
    if birth is not None and birth > date.today():
        raise StoreError("The date of birth is in the future.")
    status = values.get("status")
    if status is not None and status not in STATUSES:
        raise StoreError(f"Unknown status {status!r}; expected one of {', '.join(STATUSES)}.")
    sex = values.get("sex")
    if sex not in (None, "F", "M", "O", "U"):
        raise StoreError(f"Unknown sex {sex!r}; expected F, M, O or U.")


def create_patient(
    session: Session, record: PatientRecord, *, user: str, is_synthetic: bool = False
) -> Patient:
    mrn = normalise_mrn(record.mrn)
    if mrn_taken(session, mrn):
        raise DuplicateMrnError(f"MRN {mrn} already belongs to another patient.")
    values: dict[str, Any] = {
        "mrn": mrn,
        "name": (record.name or "").strip(),
        "birth_date": record.birth_date,
        "sex": record.sex.value if record.sex is not None else None,
        "weight_kg": record.weight_kg,
        "diagnosis": record.diagnosis,
        "status": "active",
    }
    _validate(values)
    patient = Patient(**values, is_synthetic=is_synthetic)
    session.add(patient)
    session.flush()
    record_event(
        session,
        user=user,
        action="create",
        entity="patient",
        entity_id=patient.id,
        patient_id=patient.id,
        patient_mrn=mrn,
        after=snapshot(patient),
    )
    return patient


def update_patient(
    session: Session,
    patient_id: int,
    *,
    expected_version: int,
    changes: Mapping[str, Any],
    user: str,
    reason: str | None = None,
) -> Patient:
    """Applies `changes` if nobody saved the patient since `expected_version` was loaded."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise StoreError(f"Not editable: {', '.join(sorted(unknown))}")
    patient = session.get(Patient, patient_id, populate_existing=True)
    if patient is None:
        raise PatientNotFoundError("This patient no longer exists; someone may have removed it.")
    if patient.version != expected_version:
        theirs = snapshot(patient)
        raise ConcurrentEditError(
            f"{patient.name or patient.mrn} was changed by someone else after you opened it. "
            "Your changes were not saved; review theirs and try again.",
            changes={k: (theirs[k], v) for k, v in changes.items() if theirs.get(k) != v},
        )
    values = dict(changes)
    if "mrn" in values:
        values["mrn"] = normalise_mrn(str(values["mrn"]))
        if mrn_taken(session, values["mrn"], except_id=patient.id):
            raise DuplicateMrnError(f"MRN {values['mrn']} already belongs to another patient.")
    _validate(values)
    before = snapshot(patient)
    # taken now: after a failed flush the row is expired and may not be read again
    label = patient.name or patient.mrn
    for key, value in values.items():
        setattr(patient, key, value)
    try:
        session.flush()
    except StaleDataError as exc:  # someone saved between our read and our write
        raise ConcurrentEditError(
            f"{label} was changed by someone else while you were saving. "
            "Your changes were not saved; reopen the patient and try again."
        ) from exc
    after = snapshot(patient)
    changed = {k for k in after if after[k] != before[k]}
    if changed:
        record_event(
            session,
            user=user,
            action="update",
            entity="patient",
            entity_id=patient.id,
            patient_id=patient.id,
            patient_mrn=patient.mrn,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
            reason=reason,
        )
    if "sex" in changed:
        # site default reference ranges can differ by sex
        regrade_patients(session, [patient.id])
    return patient


def delete_patient(session: Session, patient_id: int, *, user: str, reason: str) -> None:
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise PatientNotFoundError("This patient no longer exists.")
    record_event(
        session,
        user=user,
        action="delete",
        entity="patient",
        entity_id=patient.id,
        patient_id=patient.id,
        patient_mrn=patient.mrn,
        before=snapshot(patient),
        reason=reason,
    )
    session.delete(patient)
    session.flush()


def save_patient(
    session: Session,
    user: str,
    values: Mapping[str, Any],
    *,
    patient_id: int | None = None,
    expected_version: int | None = None,
) -> int:
    """The patient form's save: creates a patient (no `patient_id`) or applies the form's
    values to the one loaded at `expected_version`; returns the patient's id."""
    if patient_id is None:
        record = PatientRecord(
            mrn=values["mrn"],
            name=values.get("name") or "",
            birth_date=values.get("birth_date"),
            sex=Sex(values["sex"]) if values.get("sex") else None,
            weight_kg=values.get("weight_kg"),
            diagnosis=values.get("diagnosis"),
        )
        return create_patient(session, record, user=user).id
    if expected_version is None:
        raise StoreError("An edit needs the version of the patient it was made on.")
    update_patient(
        session, patient_id, expected_version=expected_version, changes=values, user=user
    )
    return patient_id
