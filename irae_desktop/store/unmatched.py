"""The holding area for imported results whose MRN matched no patient: keep, list, assign to a
patient (graded) or drop with a reason, every step audited."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from irae_desktop.domain.records import LabRecord, ResultStatus
from irae_desktop.store.audit import record_event
from irae_desktop.store.errors import StoreError
from irae_desktop.store.lab_rows import insert_ignoring_duplicates, lab_row
from irae_desktop.store.lab_writer import regrade
from irae_desktop.store.models import LabResult, Patient, UnmatchedLabRow


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


def list_unmatched(session: Session) -> list[UnmatchedLabRow]:
    return list(
        session.scalars(
            select(UnmatchedLabRow).order_by(UnmatchedLabRow.mrn, UnmatchedLabRow.collected_at)
        )
    )


def _load_rows(session: Session, row_ids: Sequence[int]) -> list[UnmatchedLabRow]:
    rows = list(session.scalars(select(UnmatchedLabRow).where(UnmatchedLabRow.id.in_(row_ids))))
    missing = set(row_ids) - {r.id for r in rows}
    if missing:
        raise StoreError(
            f"{len(missing)} held result(s) no longer exist; someone may have assigned or "
            "dropped them already."
        )
    return rows


def assign_unmatched(session: Session, row_ids: Sequence[int], mrn: str, *, user: str) -> int:
    """Moves held results to the patient with `mrn` (which must exist), graded; returns how many
    were added (the rest were already stored)."""
    patient = session.scalars(select(Patient).where(Patient.mrn == mrn.strip())).one_or_none()
    if patient is None:
        raise StoreError(f"No patient with MRN {mrn.strip()!r}; create the patient first.")
    rows = _load_rows(session, row_ids)
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
        record_event(
            session,
            user=user,
            action="assign",
            entity="lab_result",
            entity_id=lab_id,
            patient_id=patient.id,
            patient_mrn=patient.mrn,
            before={"held_mrn": row.mrn, "analyte": row.analyte, "value": row.value},
            after={"mrn": patient.mrn, "stored": lab_id is not None},
            reason=f"held result from {row.source_file} ({row.source_ref}) assigned",
        )
        session.delete(row)
    session.flush()
    regrade(session, [patient.id])
    return added


def drop_unmatched(session: Session, row_ids: Sequence[int], *, user: str, reason: str) -> int:
    """Discards held results, keeping what they were in the audit trail."""
    if not reason.strip():
        raise StoreError("Give a reason for dropping held results.")
    rows = _load_rows(session, row_ids)
    for row in rows:
        record_event(
            session,
            user=user,
            action="delete",
            entity="unmatched_lab_row",
            entity_id=row.id,
            patient_mrn=row.mrn,
            before=json.loads(row.record_json),
            reason=reason,
        )
    session.execute(delete(UnmatchedLabRow).where(UnmatchedLabRow.id.in_([r.id for r in rows])))
    return len(rows)
