"""The import batch row of a treatment or screening file: opened before its rows are written,
filled in with the summary and audited when the file is done, in the file's one transaction."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from irae_desktop.importers.sniff import FileFacts
from irae_desktop.importers.summary import ImportSummary
from irae_desktop.store.audit import record_event
from irae_desktop.store.models import ImportBatch


def open_batch(
    session: Session, facts: FileFacts, layout: str, summary: ImportSummary, user: str
) -> ImportBatch:
    """Adds the file's batch row and gives the summary its id."""
    batch = ImportBatch(
        file_name=str(facts.path)[:500],
        file_sha256=facts.sha256,
        format=facts.format,
        layout=layout,
        timezone=summary.timezone[:64],
        imported_by=user[:120],
    )
    session.add(batch)
    session.flush()
    summary.batch_id = batch.id
    return batch


def finish_batch(
    session: Session, batch: ImportBatch, summary: ImportSummary, user: str, what: str
) -> None:
    """Writes the summary's counts on the batch and the import to the audit trail; `what` names
    the kind of file in the audit reason ("treatment-line", "screening")."""
    batch.finished_at = datetime.now(UTC)
    batch.rows_read = summary.rows_read
    batch.imported = summary.imported
    batch.duplicates = summary.duplicates
    batch.rejected = summary.rejected_count
    batch.unmatched = summary.unmatched
    batch.summary_json = json.dumps(summary.as_dict(), ensure_ascii=False)
    record_event(
        session,
        user=user,
        action="import",
        entity="import_batch",
        entity_id=batch.id,
        after={"file": batch.file_name, **summary.counts()},
        reason=f"{what} import of {Path(batch.file_name).name}",
    )
    session.flush()
