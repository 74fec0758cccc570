"""What both reports share: the source (a Database or an open store session), the paper
setting, the audit."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from irae_desktop.reports.layout import PAPER_SIZES, PaperSizeError
from irae_desktop.store.audit import current_user, record_event
from irae_desktop.store.concurrency import write_with_retry
from irae_desktop.store.database import Database, StoreSession, reading
from irae_desktop.store.settings import get_settings

__all__ = ["aware_now", "reading", "record_export", "resolve_paper"]


def aware_now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("The report time must be timezone-aware.")
    return now


def resolve_paper(session: StoreSession, paper: str | None) -> str:
    """The explicit choice, else the team setting, else US Letter."""
    chosen = paper if paper is not None else get_settings(session).paper_size
    if not isinstance(chosen, str) or not chosen.strip():
        return "letter"
    key = chosen.strip().lower()
    if key not in PAPER_SIZES:
        raise PaperSizeError(
            f"Unknown paper size {chosen!r}: choose one of {', '.join(PAPER_SIZES)}."
        )
    return key


def record_export(
    source: Database | StoreSession,
    *,
    user: str | None,
    entity: str,
    path: str | os.PathLike[str],
    details: dict[str, Any],
    patient_id: int | None = None,
    patient_mrn: str | None = None,
) -> None:
    """Writes the export to the audit trail: in its own transaction for a Database, else in the
    caller's session (the caller commits)."""

    def add(session: StoreSession) -> None:
        record_event(
            session,
            user=user or current_user(),
            action="export",
            entity=entity,
            entity_id=patient_id,
            patient_id=patient_id,
            patient_mrn=patient_mrn,
            after={"file": str(Path(path).resolve()), **details},
        )

    if isinstance(source, Database):
        write_with_retry(source, add)  # its own transaction, run again if the db was busy
    else:
        add(source)
        source.flush()
