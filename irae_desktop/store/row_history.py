"""Reads the row history the database keeps on PostgreSQL (migration 0011) as named records.

Each entry is one row inserted, changed or deleted by any client, with the login that did it
and the values before and after; the app's own audit events of the same transaction are found
by `transaction_id`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, and_, cast, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from irae_desktop.store.models import Patient, RowHistory, TreatmentLine

# bookkeeping that changes with every edit and says nothing to a reader
_QUIET_FIELDS = frozenset({"version", "updated_at"})
# rows that name their patient through their treatment line
_LINE_CHILDREN = ("dose_steps", "treatment_holds")


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One row written by one statement: who (the login), when, which row, from what to what."""

    at: datetime
    user: str
    table: str
    operation: str  # insert, update, delete
    row_key: str | None
    changes: tuple[FieldChange, ...]
    old_values: dict[str, Any] | None
    new_values: dict[str, Any] | None
    transaction_id: int | None


def _changes(old: dict[str, Any] | None, new: dict[str, Any] | None) -> tuple[FieldChange, ...]:
    before, after = old or {}, new or {}
    fields = [*before, *(k for k in after if k not in before)]
    return tuple(
        FieldChange(f, before.get(f), after.get(f))
        for f in fields
        if f not in _QUIET_FIELDS
        and before.get(f) != after.get(f)
        and (f in after or before.get(f) is not None)
    )


def _json_text(column: Any, key: str) -> ColumnElement[Any]:
    return cast(column[key].as_string(), String)


def _was_or_became(key: str, value: str) -> ColumnElement[bool]:
    """The row's `key` had `value` before the change or has it after."""
    return or_(
        _json_text(RowHistory.old_values, key) == value,
        _json_text(RowHistory.new_values, key) == value,
    )


def _patient_line_ids(session: Session, patient_id: int) -> list[str]:
    """The patient's treatment lines, those deleted since included (from their history)."""
    ids = {
        str(i)
        for i in session.scalars(
            select(TreatmentLine.id).where(TreatmentLine.patient_id == patient_id)
        )
    }
    pid = str(patient_id)
    ids |= {
        key
        for key in session.scalars(
            select(RowHistory.row_key).where(
                RowHistory.table_name == "treatment_lines", _was_or_became("patient_id", pid)
            )
        )
        if key is not None
    }
    return sorted(ids)


def _of_patient(session: Session, patient_id: int) -> ColumnElement[bool]:
    pid = str(patient_id)
    lines = _patient_line_ids(session, patient_id)
    return or_(
        and_(RowHistory.table_name == "patients", RowHistory.row_key == pid),
        _was_or_became("patient_id", pid),
        and_(
            RowHistory.table_name.in_(_LINE_CHILDREN),
            or_(
                _json_text(RowHistory.old_values, "line_id").in_(lines),
                _json_text(RowHistory.new_values, "line_id").in_(lines),
            ),
        ),
    )


def patient_ids_for_mrn(session: Session, mrn: str) -> list[int]:
    """The patient now holding `mrn`, and any deleted one that held it (from the history)."""
    found = set(session.scalars(select(Patient.id).where(Patient.mrn == mrn)))
    for key in session.scalars(
        select(RowHistory.row_key).where(
            RowHistory.table_name == "patients", _was_or_became("mrn", mrn)
        )
    ):
        if key is not None and key.isdigit():
            found.add(int(key))
    return sorted(found)


def history_entries(
    session: Session,
    *,
    patient_ids: list[int] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[HistoryEntry]:
    """The matching history, oldest first. `patient_ids` narrows it to rows of those patients
    (their own row, rows naming them, the steps and holds of their lines)."""
    query = select(RowHistory)
    if patient_ids is not None:
        if not patient_ids:
            return []
        query = query.where(or_(*(_of_patient(session, pid) for pid in patient_ids)))
    if since is not None:
        query = query.where(RowHistory.at >= since)
    if until is not None:
        query = query.where(RowHistory.at < until)
    rows = session.scalars(query.order_by(RowHistory.at, RowHistory.id))
    return [
        HistoryEntry(
            at=r.at,
            user=r.db_user,
            table=r.table_name,
            operation=r.operation,
            row_key=r.row_key,
            changes=_changes(r.old_values, r.new_values),
            old_values=r.old_values,
            new_values=r.new_values,
            transaction_id=r.transaction_id,
        )
        for r in rows
    ]


def history_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(RowHistory)) or 0)
