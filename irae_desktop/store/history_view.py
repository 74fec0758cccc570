"""The database's row history in the words of the audit viewer, beside the app's own events."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from irae_desktop.store.audit_query import AuditFilter
from irae_desktop.store.audit_view import AuditChange, AuditLine, readable_events, shown_value
from irae_desktop.store.models import Patient
from irae_desktop.store.row_history import HistoryEntry, history_entries, patient_ids_for_mrn
from irae_desktop.store.trail import RowOwners

HISTORY_ACTIONS = {"insert": "row added", "update": "row changed", "delete": "row deleted"}
# internal ids, shown only in the raw record
_HIDDEN = {"id", "patient_id", "line_id", "lab_id", "batch_id"}


def _raw(entry: HistoryEntry) -> str:
    parts = [
        f"table: {entry.table} {entry.row_key or ''}".rstrip(),
        f"operation: {entry.operation} (recorded by the database)",
        f"transaction: {entry.transaction_id}",
    ]
    for name, values in (("old", entry.old_values), ("new", entry.new_values)):
        if values is not None:
            parts.append(f"{name}:\n{json.dumps(values, indent=2, ensure_ascii=False)}")
    return "\n".join(parts)


def _patient_ids(session: Session, flt: AuditFilter) -> list[int] | None:
    if flt.patient_id is not None:
        return [flt.patient_id]
    if flt.patient_mrn:
        return patient_ids_for_mrn(session, flt.patient_mrn.strip())
    return None


def history_lines(session: Session, flt: AuditFilter | None = None) -> list[AuditLine]:
    """The row history matching the viewer's filter, oldest first, as audit lines."""
    flt = flt or AuditFilter()
    if flt.action and flt.action not in HISTORY_ACTIONS:
        return []
    if flt.entity:
        return []  # entities name the app's records; the history names tables
    entries = history_entries(
        session, patient_ids=_patient_ids(session, flt), since=flt.since, until=flt.until
    )
    entries = [
        e
        for e in entries
        if (not flt.user or e.user == flt.user) and (not flt.action or e.operation == flt.action)
    ]
    if not entries:
        return []
    owners = RowOwners(session)
    names = {mrn: name for mrn, name in session.execute(select(Patient.mrn, Patient.name))}
    out = []
    for e in entries:
        mrn = owners.mrn(e)
        patient = f"{names[mrn]} ({mrn})" if mrn and names.get(mrn) else (mrn or "")
        out.append(
            AuditLine(
                event_id=0,
                at=e.at,
                user=e.user,
                action=HISTORY_ACTIONS.get(e.operation, e.operation),
                patient=patient,
                what=f"{e.table.replace('_', ' ')} row {e.row_key or ''}".rstrip(),
                changes=tuple(
                    AuditChange(c.field.replace("_", " "), shown_value(c.old), shown_value(c.new))
                    for c in e.changes
                    if c.field not in _HIDDEN
                ),
                reason="",
                raw=_raw(e),
                source="database",
            )
        )
    return out


def readable_trail(
    session: Session,
    flt: AuditFilter | None = None,
    *,
    newest: int | None = None,
    label: Callable[[str], str] = lambda code: code,
) -> tuple[list[AuditLine], int]:
    """The app's events and the row history together, newest first (at most `newest`), and
    how many matched in all."""
    events, total = readable_events(session, flt, newest=newest, label=label)
    history = history_lines(session, flt)
    lines = sorted([*events, *history], key=lambda line: line.at, reverse=True)
    return (lines[:newest] if newest else lines), total + len(history)
