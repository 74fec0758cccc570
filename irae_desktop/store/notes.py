"""Consult notes with their plan: write, edit (version-checked, audited), list, latest plan."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from irae_desktop.store.audit import record_event
from irae_desktop.store.concurrency import changed, check_version, flush_or_conflict
from irae_desktop.store.errors import StoreError
from irae_desktop.store.models import ConsultNote, Patient
from irae_desktop.store.patients import require_patient
from irae_desktop.store.types import utcnow

EDITABLE_FIELDS = ("text", "plan", "written_at")
WHAT = "This note"


class NoteNotFoundError(StoreError):
    """No note with that id."""


def snapshot(note: ConsultNote) -> dict[str, Any]:
    return {f: getattr(note, f) for f in EDITABLE_FIELDS}


def _validate(values: Mapping[str, Any]) -> None:
    if not str(values.get("text") or "").strip() and not str(values.get("plan") or "").strip():
        raise StoreError("The note is empty: write the assessment or the plan.")
    written_at = values.get("written_at")
    if written_at is not None and written_at.tzinfo is None:
        raise StoreError("The note time carries no time zone.")


def _audit(session: Session, user: str, action: str, note: ConsultNote, **kw: Any) -> None:
    patient = session.get(Patient, note.patient_id)
    record_event(
        session,
        user=user,
        action=action,
        entity="note",
        entity_id=note.id,
        patient_id=note.patient_id,
        patient_mrn=patient.mrn if patient else None,
        **kw,
    )


def list_notes(session: Session, patient_id: int) -> list[ConsultNote]:
    """Newest first."""
    query = (
        select(ConsultNote)
        .where(ConsultNote.patient_id == patient_id)
        .order_by(ConsultNote.written_at.desc(), ConsultNote.id.desc())
    )
    return list(session.scalars(query))


def latest_note_with_plan(session: Session, patient_id: int) -> ConsultNote | None:
    """The most recent note whose plan is not blank (who wrote it and when are on the note)."""
    for note in list_notes(session, patient_id):
        if (note.plan or "").strip():
            return note
    return None


def latest_plan(session: Session, patient_id: int) -> str | None:
    """The current plan: the plan of the most recent note that has one."""
    note = latest_note_with_plan(session, patient_id)
    return note.plan.strip() if note is not None and note.plan else None


def add_note(
    session: Session,
    user: str,
    patient_id: int,
    *,
    text: str,
    plan: str | None = None,
    written_at: datetime | None = None,
) -> ConsultNote:
    require_patient(session, patient_id)
    values = {"text": text or "", "plan": plan, "written_at": written_at or utcnow()}
    _validate(values)
    note = ConsultNote(patient_id=patient_id, author=user, **values)
    session.add(note)
    session.flush()
    _audit(session, user, "create", note, after={**snapshot(note), "author": user})
    return note


def update_note(
    session: Session,
    user: str,
    note_id: int,
    *,
    expected_version: int,
    changes: Mapping[str, Any],
    reason: str | None = None,
) -> ConsultNote:
    """Edits a note; the previous text stays in the audit trail."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise StoreError(f"Not editable: {', '.join(sorted(unknown))}")
    note = session.get(ConsultNote, note_id, populate_existing=True)
    if note is None:
        raise NoteNotFoundError("This note no longer exists.")
    current = snapshot(note)
    check_version(note, expected_version, current, changes, WHAT)
    _validate({**current, **changes})
    for key, value in changes.items():
        setattr(note, key, value)
    flush_or_conflict(session, WHAT)
    before, after = changed(current, snapshot(note))
    if after:
        _audit(session, user, "update", note, before=before, after=after, reason=reason)
    return note
