"""What both reports share: a Database or a Session as source, the paper setting, the audit."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from irae_desktop.reports.layout import PAPER_SIZES, PaperSizeError
from irae_desktop.store.audit import current_user, record_event
from irae_desktop.store.concurrency import write_with_retry
from irae_desktop.store.database import Database
from irae_desktop.store.settings import get_settings


def aware_now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("The report time must be timezone-aware.")
    return now


@contextmanager
def reading(source: Database | Session) -> Iterator[Session]:
    if isinstance(source, Session):
        yield source
    else:
        with source.read() as session:
            yield session


def resolve_paper(session: Session, paper: str | None) -> str:
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
    source: Database | Session,
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

    def add(session: Session) -> None:
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

    if isinstance(source, Session):
        add(source)
        source.flush()
    else:
        write_with_retry(source, add)  # its own transaction, run again if the db was busy
