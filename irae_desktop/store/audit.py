"""Writes audit events: who did what to which record, with the before and after values."""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from irae_desktop.store.models import AuditEvent

USER_ENV = "IRAE_USER"


def current_user() -> str:
    """The operating-system user: who the app says acts (on PostgreSQL the login replaces it)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, e.g. in some containers
        return "unknown"


def acting_user(session: Session) -> str:
    """Who acts in this session, as the database records it: on PostgreSQL the login
    (session_user, which the audit trail is stamped with), on SQLite the operating-system user."""
    if session.get_bind().dialect.name == "postgresql":
        return str(session.execute(text("SELECT session_user")).scalar_one())
    return current_user()


def claimed_user() -> str | None:
    """A name given through IRAE_USER (a shared kiosk account): recorded as claimed only."""
    return os.environ.get(USER_ENV, "").strip() or None


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def to_json(values: Mapping[str, Any] | None) -> str | None:
    if values is None:
        return None
    return json.dumps(
        {k: _jsonable(v) for k, v in values.items()}, ensure_ascii=False, sort_keys=True
    )


def record_event(
    session: Session,
    *,
    user: str,
    action: str,
    entity: str,
    entity_id: int | None = None,
    patient_id: int | None = None,
    patient_mrn: str | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str | None = None,
) -> AuditEvent:
    """Adds an audit row to the session's transaction: it commits or rolls back with the change.

    `user` is who the app says acts; on PostgreSQL the database replaces it with the login
    (session_user) and keeps `user` as claimed when it differs. A name from IRAE_USER is
    recorded as claimed beside it on both."""
    claimed = claimed_user()
    event = AuditEvent(
        user=user,
        claimed_by=claimed if claimed != user else None,
        action=action,
        entity=entity,
        entity_id=entity_id,
        patient_id=patient_id,
        patient_mrn=patient_mrn,
        before_json=to_json(before),
        after_json=to_json(after),
        reason=reason,
    )
    session.add(event)
    return event
