"""Reads the audit trail back: filter by patient, user, date range and action; export to CSV."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from irae_desktop.store.audit import current_user, record_event
from irae_desktop.store.database import Database
from irae_desktop.store.errors import StoreError
from irae_desktop.store.models import AuditEvent, RowHistory

CSV_COLUMNS = (
    "at",
    "user",
    "action",
    "entity",
    "entity_id",
    "patient_mrn",
    "before",
    "after",
    "reason",
)
# a cell starting with one of these is read as a formula by spreadsheet programs
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class AuditFilter:
    """Empty fields match everything; `since` is inclusive and `until` exclusive."""

    patient_id: int | None = None
    patient_mrn: str | None = None
    user: str | None = None
    action: str | None = None
    entity: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def apply(self, query: Select[tuple[AuditEvent]]) -> Select[tuple[AuditEvent]]:
        for moment in (self.since, self.until):
            if moment is not None and moment.tzinfo is None:
                raise StoreError("A date range for the audit trail needs a time zone.")
        if self.patient_id is not None:
            query = query.where(AuditEvent.patient_id == self.patient_id)
        if self.patient_mrn:
            query = query.where(AuditEvent.patient_mrn == self.patient_mrn.strip())
        if self.user:
            query = query.where(AuditEvent.user == self.user)
        if self.action:
            query = query.where(AuditEvent.action == self.action)
        if self.entity:
            query = query.where(AuditEvent.entity == self.entity)
        if self.since is not None:
            query = query.where(AuditEvent.at >= self.since)
        if self.until is not None:
            query = query.where(AuditEvent.at < self.until)
        return query


def query_events(
    session: Session, flt: AuditFilter | None = None, *, limit: int | None = None
) -> list[AuditEvent]:
    """Matching events, oldest first."""
    query = (flt or AuditFilter()).apply(select(AuditEvent))
    query = query.order_by(AuditEvent.at, AuditEvent.id)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def distinct_users(session: Session) -> list[str]:
    """Everyone in the trail: the app's events and the database's row history."""
    users = set(session.scalars(select(AuditEvent.user).distinct()))
    users |= set(session.scalars(select(RowHistory.db_user).distinct()))
    return sorted(users)


def distinct_actions(session: Session) -> list[str]:
    actions = set(session.scalars(select(AuditEvent.action).distinct()))
    actions |= set(session.scalars(select(RowHistory.operation).distinct()))
    return sorted(actions)


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def write_csv(events: Iterable[AuditEvent], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for e in events:
        row = (
            e.at,
            e.user,
            e.action,
            e.entity,
            e.entity_id,
            e.patient_mrn,
            e.before_json,
            e.after_json,
            e.reason,
        )
        writer.writerow([_cell(v) for v in row])
        count += 1
    return count


def export_audit_csv(
    db: Database, path: Path, flt: AuditFilter | None = None, *, user: str | None = None
) -> int:
    """Writes the matching events to `path` (owner-only, all or nothing); the export is audited."""
    path = Path(path).expanduser()
    with db.read() as session:
        events = query_events(session, flt)
    partial = path.with_name(path.name + ".partial")
    try:
        fd = os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            count = write_csv(events, out)
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise StoreError(
            f"The audit trail could not be written to {path}: {exc.strerror}."
        ) from exc
    if not db.read_only:
        f = flt or AuditFilter()
        with db.write() as session:
            record_event(
                session,
                user=user or current_user(),
                action="export",
                entity="audit_trail",
                patient_id=f.patient_id,
                patient_mrn=f.patient_mrn,
                after={"file": path.name, "events": count},
            )
    return count
