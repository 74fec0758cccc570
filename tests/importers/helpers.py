"""Shared helpers for the import tests: opening databases, counting rows, making patients."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from irae_desktop.domain.records import PatientRecord
from irae_desktop.importers.service import ImportOptions, import_files
from irae_desktop.importers.summary import ImportSummary
from irae_desktop.store.database import Database
from irae_desktop.store.models import (
    AuditEvent,
    ImportBatch,
    LabResult,
    Patient,
    UnmatchedLabRow,
)
from irae_desktop.store.patients import create_patient

IMPORT_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"
TABLES = (Patient, LabResult, ImportBatch, UnmatchedLabRow, AuditEvent)


def table_counts(db: Database) -> dict[str, int]:
    with db.read() as session:
        return {
            model.__tablename__: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in TABLES
        }


def run(
    db: Database,
    *paths: Path | str,
    timezone: str = "UTC",
    dry_run: bool = False,
    mapping: dict[str, object] | None = None,
) -> list[ImportSummary]:
    options = ImportOptions(user="tester", timezone=timezone, dry_run=dry_run, mapping=mapping)
    summaries = import_files(db, list(paths), options)
    for summary in summaries:
        # every import accounts for every row it read
        if not (summary.error or summary.cancelled):
            assert summary.unaccounted == 0, summary.accounting()
    return summaries


def add_patients(
    db: Database, mrns: Iterable[str], *, name: str = "", birth: date | None = None
) -> None:
    with db.write() as session:
        for mrn in mrns:
            create_patient(
                session, PatientRecord(mrn=mrn, name=name or None, birth_date=birth), user="tester"
            )


def labs(db: Database, mrn: str | None = None) -> list[LabResult]:
    with db.read() as session:
        query = select(LabResult).join(Patient).order_by(LabResult.collected_at, LabResult.analyte)
        if mrn is not None:
            query = query.where(Patient.mrn == mrn)
        return list(session.scalars(query))
