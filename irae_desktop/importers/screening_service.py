"""Imports a file of infection screening results as one batch in one transaction, the way lab and
treatment files are imported: dry run, cancel, a summary with every rejected row's line and
reason, one audited import event, and nothing written twice.

A row whose MRN matches no patient is rejected with its line, never guessed onto someone:
screening results are not held for assignment as lab results are, so the summary says to add
the patient and import the file again (the rows already taken are then counted as duplicates).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from irae_desktop.importers.batch_record import finish_batch, open_batch
from irae_desktop.importers.errors import (
    FILE_FAILURES,
    ImportCancelled,
    ImportFileError,
    file_failure,
    run_again,
)
from irae_desktop.importers.raw import Problem
from irae_desktop.importers.screening_reader import ReadScreening, ScreeningCsv, is_screening_file
from irae_desktop.importers.sniff import FileFacts, inspect_file
from irae_desktop.importers.summary import ImportSummary
from irae_desktop.store.clinical_zone import team_zone
from irae_desktop.store.database import Database
from irae_desktop.store.screening_import import DUPLICATE, IMPORTED, ScreeningWriter

if TYPE_CHECKING:
    from irae_desktop.importers.service import ImportOptions

PROGRESS_EVERY = 500
log = logging.getLogger(__name__)
Steps = Iterator[tuple[float, int]]


def unknown_patient(mrn: str) -> str:
    """The reason a screening result for an MRN no patient has is rejected."""
    return (
        f"no patient with MRN {mrn!r}: screening results are not held for assignment; add the "
        "patient (or import their roster) and import this file again"
    )


def screening_file(path: Path, options: ImportOptions, facts: FileFacts | None) -> FileFacts | None:
    """The file's facts when it is a CSV of screening results, else None: the lab import then
    reads it and reports any problem with the file itself."""
    try:
        facts = facts or inspect_file(path, options.format)
        if facts.format != "csv":
            return None
        return facts if is_screening_file(facts) else None
    except (ImportFileError, OSError, UnicodeDecodeError):
        return None


def import_screening_file(
    db: Database,
    facts: FileFacts,
    options: ImportOptions,
    zone: tzinfo,
    user: str,
    summary: ImportSummary,
    cancel: Callable[[], bool] | None,
) -> Steps:
    summary.format = facts.format
    attempt = 1
    while True:
        try:
            yield from _write_batch(db, facts, options, zone, user, summary, cancel)
        except ImportCancelled:
            summary.cancelled = True
        except FILE_FAILURES as exc:
            if run_again(exc, facts.path, attempt, log):
                attempt += 1
                summary.start_again()
                summary.format = facts.format
                continue
            summary.error = file_failure(exc, facts.path, log)
        break
    if summary.error or summary.cancelled:
        summary.batch_id = None


def _write_batch(
    db: Database,
    facts: FileFacts,
    options: ImportOptions,
    zone: tzinfo,
    user: str,
    summary: ImportSummary,
    cancel: Callable[[], bool] | None,
) -> Steps:
    """One attempt at a file: its whole batch in one transaction, committed at the end."""
    source: ScreeningCsv | None = None
    try:
        with db.session_factory(writer=True)() as session, session.begin():
            source = ScreeningCsv(facts, zone, team_zone(session))
            summary.layout = source.layout
            batch = open_batch(session, facts, source.layout, summary, user)
            writer = ScreeningWriter(session, user, batch.id, facts.path.name)
            for n, item in enumerate(source.rows(), start=1):
                summary.rows_read += 1
                _take(writer, item, summary, source.column_header("mrn"))
                if n % PROGRESS_EVERY == 0:
                    if cancel is not None and cancel():
                        raise ImportCancelled()
                    yield source.fraction(), summary.rows_read
            if cancel is not None and cancel():
                raise ImportCancelled()
            if summary.rows_read == 0:
                summary.warn("file", "the file has no data rows")
            finish_batch(session, batch, summary, user, "screening")
            if options.dry_run:
                session.rollback()
    finally:
        if source is not None:
            source.close()


def _take(
    writer: ScreeningWriter, item: ReadScreening | Problem, summary: ImportSummary, mrn_column: str
) -> None:
    if isinstance(item, Problem):
        summary.reject(item.ref, item.column, item.reason)
        return
    patient = writer.patient(item.mrn)
    if patient is None:
        summary.reject(item.ref, mrn_column, unknown_patient(item.mrn))
        return
    taken = writer.take(
        patient,
        test=item.test,
        taken_on=item.taken_on,
        result=item.result,
        note=item.note,
        ref=item.ref,
    )
    if taken.outcome == IMPORTED:
        summary.imported += 1
    elif taken.outcome == DUPLICATE:
        summary.duplicates += 1
        if taken.warning:
            summary.warn(item.ref, taken.warning)
    else:
        summary.reject(item.ref, "", taken.reason)
