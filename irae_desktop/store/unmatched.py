"""The holding area for imported results whose MRN matched no patient: keep, list, assign to a
patient (graded) or drop with a reason, every step audited."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from irae_desktop.domain.records import LabRecord, ResultStatus
from irae_desktop.store.audit import record_event
from irae_desktop.store.errors import StoreError
from irae_desktop.store.held_assignment import (
    assignment_reason,
    drop_held_rows,
    patient_for_assignment,
)
from irae_desktop.store.models import ImportBatch, LabResult, Patient, UnmatchedLabRow


@dataclass(frozen=True, slots=True)
class HeldResult:
    """One held result as the review screen shows it: what the file said and where it came from."""

    id: int
    mrn: str
    analyte: str
    collected_at: datetime
    # exactly what the file said, e.g. "<0.1" and "mg/dL"; the stored value when the file gave none
    original_text: str
    original_unit: str
    status: str
    source_file: str | None
    source_ref: str | None
    batch_id: int | None
    imported_at: datetime | None
    imported_by: str | None


@dataclass(frozen=True, slots=True)
class PatientChoice:
    """A patient the held results could be assigned to, with what identifies them."""

    id: int
    mrn: str
    name: str
    birth_date: date | None
    sex: str | None
    status: str


def _record_json(record: LabRecord) -> str:
    data = asdict(record)
    data.pop("patient", None)
    data["collected_at"] = record.collected_at.isoformat()
    data["status"] = str(record.status)
    data["warnings"] = list(record.warnings)
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _record_from_json(text: str) -> LabRecord:
    data = json.loads(text)
    data["collected_at"] = datetime.fromisoformat(data["collected_at"])
    data["status"] = ResultStatus(data["status"])
    data["warnings"] = tuple(data.get("warnings") or ())
    return LabRecord(**data)


def hold_unmatched(
    session: Session, record: LabRecord, *, batch_id: int | None, source_file: str | None
) -> bool:
    """Keeps a result whose MRN is unknown; False if the same result is already held."""
    already = session.scalar(
        select(func.count())
        .select_from(UnmatchedLabRow)
        .where(
            UnmatchedLabRow.mrn == record.mrn,
            UnmatchedLabRow.analyte == record.analyte,
            UnmatchedLabRow.collected_at == record.collected_at,
            UnmatchedLabRow.value == record.value,
            UnmatchedLabRow.comparator == record.comparator,
        )
    )
    if already:
        return False
    session.add(
        UnmatchedLabRow(
            batch_id=batch_id,
            mrn=record.mrn,
            analyte=record.analyte,
            collected_at=record.collected_at,
            value=record.value,
            comparator=record.comparator,
            unit=record.unit,
            record_json=_record_json(record),
            source_file=source_file,
            source_ref=record.source_ref,
        )
    )
    return True


def count_unmatched(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(UnmatchedLabRow)) or 0)


def list_unmatched(session: Session) -> list[UnmatchedLabRow]:
    return list(
        session.scalars(
            select(UnmatchedLabRow).order_by(UnmatchedLabRow.mrn, UnmatchedLabRow.collected_at)
        )
    )


def held_results(session: Session) -> list[HeldResult]:
    """Every held result with its import batch, by MRN then collection time."""
    query = (
        select(UnmatchedLabRow, ImportBatch.started_at, ImportBatch.imported_by)
        .outerjoin(ImportBatch, ImportBatch.id == UnmatchedLabRow.batch_id)
        .order_by(UnmatchedLabRow.mrn, UnmatchedLabRow.collected_at, UnmatchedLabRow.id)
    )
    held = []
    for row, started_at, imported_by in session.execute(query):
        record = _record_from_json(row.record_json)
        held.append(
            HeldResult(
                id=row.id,
                mrn=row.mrn,
                analyte=row.analyte,
                collected_at=row.collected_at,
                original_text=record.original_text or f"{row.comparator}{row.value:g}",
                original_unit=record.original_unit or row.unit,
                status=str(record.status),
                source_file=row.source_file,
                source_ref=row.source_ref,
                batch_id=row.batch_id,
                imported_at=started_at,
                imported_by=imported_by,
            )
        )
    return held


def assignment_targets(session: Session) -> list[PatientChoice]:
    """Every patient (signed-off ones too: a late result may belong to one), by MRN."""
    query = select(
        Patient.id, Patient.mrn, Patient.name, Patient.birth_date, Patient.sex, Patient.status
    ).order_by(Patient.mrn)
    return [PatientChoice(*row) for row in session.execute(query)]


def _load_rows(session: Session, row_ids: Sequence[int]) -> list[UnmatchedLabRow]:
    rows = list(session.scalars(select(UnmatchedLabRow).where(UnmatchedLabRow.id.in_(row_ids))))
    missing = set(row_ids) - {r.id for r in rows}
    if missing:
        raise StoreError(
            f"{len(missing)} held result(s) no longer exist; someone may have assigned or "
            "dropped them already."
        )
    return rows


def assign_unmatched(
    session: Session,
    row_ids: Sequence[int],
    mrn: str,
    *,
    user: str,
    reason: str = "",
    patient_id: int | None = None,
) -> int:
    """Moves held results to the patient with `mrn` (which must exist), graded; returns how many
    were added (the rest were already stored).

    Putting a result on a patient whose MRN is not the one in the file is the wrong-patient risk,
    so it needs a `reason`, which the audit trail keeps. `patient_id`, when given, is the patient
    the user confirmed: if the MRN now belongs to someone else the assignment is refused.
    """
    rows = _load_rows(session, row_ids)
    patient = patient_for_assignment(
        session, mrn, patient_id, (row.mrn for row in rows), reason, "these results"
    )
    # imported here: the window counts held rows at start-up, and these pull in the write path
    from irae_desktop.store.grading import regrade_patients
    from irae_desktop.store.lab_rows import insert_ignoring_duplicates, lab_row

    statement = insert_ignoring_duplicates(session)
    added = 0
    for row in rows:
        record = _record_from_json(row.record_json)
        values = lab_row(
            patient.id, record, batch_id=row.batch_id, source_file=row.source_file, entered_by=user
        )
        result = session.execute(statement.returning(LabResult.id), [values])
        lab_id = result.scalar_one_or_none()
        added += lab_id is not None
        source = f"{row.source_file} ({row.source_ref})"
        why = assignment_reason("held result", row, source, patient.mrn, reason)
        record_event(
            session,
            user=user,
            action="assign",
            entity="lab_result",
            entity_id=lab_id,
            patient_id=patient.id,
            patient_mrn=patient.mrn,
            before={
                "held_mrn": row.mrn,
                "analyte": row.analyte,
                "value": row.value,
                "comparator": row.comparator,
                "unit": row.unit,
                "collected_at": row.collected_at,
                "original_text": record.original_text,
                "source_file": row.source_file,
                "source_ref": row.source_ref,
                "batch_id": row.batch_id,
            },
            after={
                "mrn": patient.mrn,
                "stored": lab_id is not None,
                "mrn_differs": row.mrn.strip() != patient.mrn,
            },
            reason=why[:500],
        )
        session.delete(row)
    session.flush()
    regrade_patients(session, [patient.id])
    return added


def drop_unmatched(session: Session, row_ids: Sequence[int], *, user: str, reason: str) -> int:
    """Discards held results, keeping what they were in the audit trail."""
    if not reason.strip():
        raise StoreError("Give a reason for dropping held results.")
    rows = _load_rows(session, row_ids)
    return drop_held_rows(
        session,
        rows,
        UnmatchedLabRow,
        _before,
        entity="unmatched_lab_row",
        user=user,
        reason=reason,
    )


def _before(row: UnmatchedLabRow) -> dict[str, Any]:
    """A dropped held result as the audit trail keeps it."""
    return {**json.loads(row.record_json), "source_file": row.source_file, "batch_id": row.batch_id}
