"""What assigning and dropping held rows (lab results or treatment rows) share: the checks before
rows go on a patient (the risk is the same for both kinds: a row on the wrong patient) and a
drop that keeps each row in the audit trail."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from irae_desktop.store.audit import record_event
from irae_desktop.store.errors import StoreError
from irae_desktop.store.models import HeldTreatmentRow, Patient, UnmatchedLabRow

REASON_MOST = 500  # characters of a drop's reason kept in the audit trail


class HeldRow(Protocol):
    id: Any
    mrn: Any


def patient_for_assignment(
    session: Session,
    mrn: str,
    patient_id: int | None,
    mrns_in_file: Iterable[str],
    reason: str,
    rows_noun: str,
) -> Patient:
    """The patient with `mrn`, after the checks every assignment of held rows makes.

    `patient_id`, when given, is the patient the user confirmed: if the MRN now belongs to
    someone else, nothing is assigned. Rows whose file named another MRN need a `reason`, which
    the audit trail keeps (`rows_noun` words them in the refusal: "these results")."""
    patient = session.scalars(select(Patient).where(Patient.mrn == mrn.strip())).one_or_none()
    if patient is None:
        raise StoreError(f"No patient with MRN {mrn.strip()!r}; create the patient first.")
    if patient_id is not None and patient.id != patient_id:
        raise StoreError(
            f"MRN {patient.mrn} now belongs to a different patient than the one you confirmed; "
            "nothing was assigned. Check the patient and try again."
        )
    differing = sorted({m for m in mrns_in_file if m.strip() != patient.mrn})
    if differing and not reason.strip():
        raise StoreError(
            f"The MRN in the file ({', '.join(differing)}) is not {patient.mrn}; give the reason "
            f"{rows_noun} belong to this patient."
        )
    return patient


def drop_held_rows(
    session: Session,
    rows: Sequence[HeldRow],
    model: type[UnmatchedLabRow] | type[HeldTreatmentRow],
    before: Callable[[Any], dict[str, Any]],
    *,
    entity: str,
    user: str,
    reason: str,
) -> int:
    """Deletes held rows, each audited with what it was (`before`) and the user's reason."""
    for row in rows:
        record_event(
            session,
            user=user,
            action="delete",
            entity=entity,
            entity_id=row.id,
            patient_mrn=row.mrn,
            before=before(row),
            reason=reason.strip()[:REASON_MOST],
        )
    session.execute(delete(model).where(model.id.in_([r.id for r in rows])))
    return len(rows)


def assignment_reason(what: str, row: HeldRow, source: str, patient_mrn: str, reason: str) -> str:
    """The audit trail's words for one held row put on a patient: where it came from (`source`,
    the file and row), and the file's other MRN and the user's reason when there are any."""
    why = f"{what} from {source} assigned"
    if row.mrn.strip() != patient_mrn:
        why += f" to MRN {patient_mrn} although the file said {row.mrn}"
    if reason.strip():
        why += f": {reason.strip()}"
    return why
