"""The whole trail in one list: the app's own audit events and the database's row history.

The app's events say why (an import, a print, an acknowledgement, the reason for a correction);
the row history (PostgreSQL) says what every client did to every clinical row. Both carry the
login the server stamped and the transaction, so an event and the rows it wrote are matched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from irae_desktop.store.audit_query import AuditFilter, query_events
from irae_desktop.store.models import Patient, RowHistory, TreatmentLine
from irae_desktop.store.row_history import HistoryEntry, history_entries, patient_ids_for_mrn

Source = Literal["app", "database"]


@dataclass(frozen=True, slots=True)
class TrailRow:
    """One line of the trail, from either source."""

    at: datetime
    user: str  # the login on PostgreSQL, the operating-system user on SQLite
    claimed_by: str | None  # the name the client gave, when it differs
    source: Source  # "app": the app's event; "database": a row written by any client
    action: str  # the app's verb (create, correct, import, ...) or insert/update/delete
    entity: str  # the app's entity, or the table
    entity_id: str | None
    patient_mrn: str | None
    reason: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    transaction_id: int | None


def _load(text: str | None) -> dict[str, Any] | None:
    if not text:
        return None
    value = json.loads(text)
    return value if isinstance(value, dict) else {"value": value}


class RowOwners:
    """Which patient (MRN) a history row belongs to, from the tables and their history."""

    def __init__(self, session: Session) -> None:
        self.mrns: dict[int, str] = {
            pid: mrn for pid, mrn in session.execute(select(Patient.id, Patient.mrn))
        }
        self.line_patients: dict[int, int] = {
            lid: pid
            for lid, pid in session.execute(select(TreatmentLine.id, TreatmentLine.patient_id))
        }
        for r in session.scalars(
            select(RowHistory).where(RowHistory.table_name.in_(("patients", "treatment_lines")))
        ):
            values = r.new_values or r.old_values or {}
            if r.row_key is None or not r.row_key.isdigit():
                continue
            if r.table_name == "patients" and values.get("mrn"):
                self.mrns.setdefault(int(r.row_key), str(values["mrn"]))
            elif r.table_name == "treatment_lines" and values.get("patient_id") is not None:
                self.line_patients.setdefault(int(r.row_key), int(values["patient_id"]))

    def mrn(self, entry: HistoryEntry) -> str | None:
        values = entry.new_values or entry.old_values or {}
        if entry.table == "patients":
            return str(values.get("mrn")) if values.get("mrn") else None
        pid = values.get("patient_id")
        if pid is None and values.get("line_id") is not None:
            pid = self.line_patients.get(int(values["line_id"]))
        return self.mrns.get(int(pid)) if pid is not None else None


def _from_history(entry: HistoryEntry, owners: RowOwners) -> TrailRow:
    before: dict[str, Any] | None = entry.old_values
    after: dict[str, Any] | None = entry.new_values
    if entry.operation == "update":  # only what changed
        before = {c.field: c.old for c in entry.changes}
        after = {c.field: c.new for c in entry.changes}
    return TrailRow(
        at=entry.at,
        user=entry.user,
        claimed_by=None,
        source="database",
        action=entry.operation,
        entity=entry.table,
        entity_id=entry.row_key,
        patient_mrn=owners.mrn(entry),
        reason=None,
        before=before,
        after=after,
        transaction_id=entry.transaction_id,
    )


def trail_rows(
    session: Session, *, patient_mrn: str | None = None, since: datetime | None = None
) -> list[TrailRow]:
    """Both sources, oldest first; an app event before the rows of its own transaction."""
    events = query_events(session, AuditFilter(patient_mrn=patient_mrn, since=since))
    rows = [
        TrailRow(
            at=e.at,
            user=e.user,
            claimed_by=e.claimed_by,
            source="app",
            action=e.action,
            entity=e.entity,
            entity_id=None if e.entity_id is None else str(e.entity_id),
            patient_mrn=e.patient_mrn,
            reason=e.reason,
            before=_load(e.before_json),
            after=_load(e.after_json),
            transaction_id=e.transaction_id,
        )
        for e in events
    ]
    ids = patient_ids_for_mrn(session, patient_mrn.strip()) if patient_mrn else None
    history = history_entries(session, patient_ids=ids, since=since)
    if history:
        owners = RowOwners(session)
        rows += [_from_history(h, owners) for h in history]
    rows.sort(key=lambda r: (r.at, r.transaction_id or 0, r.source != "app"))
    return rows
