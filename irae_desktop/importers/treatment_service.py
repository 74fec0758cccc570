"""Imports a file of treatment lines as one batch in one transaction, the way lab files are
imported: dry run, cancel, a summary with every rejected row's line and reason, rows for an
unknown MRN held for assignment, one audited import event, and nothing written twice."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from irae_desktop.importers.administration_reader import (
    AdministrationCsv,
    ReadGiven,
    administration_columns,
)
from irae_desktop.importers.batch_record import finish_batch, open_batch
from irae_desktop.importers.errors import (
    FILE_FAILURES,
    ImportCancelled,
    ImportFileError,
    file_failure,
    run_again,
)
from irae_desktop.importers.fhir_treatments import FhirTreatments, medication_resources
from irae_desktop.importers.given_lines import DosesByAgent
from irae_desktop.importers.raw import Problem
from irae_desktop.importers.sniff import FileFacts, inspect_file
from irae_desktop.importers.summary import ImportSummary
from irae_desktop.importers.treatment_reader import (
    ReadLine,
    TreatmentCsv,
    Untracked,
    first_row,
    treatment_columns,
)
from irae_desktop.store.clinical_zone import team_zone
from irae_desktop.store.database import Database
from irae_desktop.store.errors import StoreError
from irae_desktop.store.held_treatments import hold_line
from irae_desktop.store.treatment_import import IMPORTED, GivenLineWriter, TreatmentLineWriter

if TYPE_CHECKING:
    from irae_desktop.importers.service import ImportOptions

PROGRESS_EVERY = 500
LINES, GIVEN, FHIR = "lines", "given", "fhir"
log = logging.getLogger(__name__)
Steps = Iterator[tuple[float, int]]


def treatment_file(
    path: Path, options: ImportOptions, facts: FileFacts | None = None
) -> tuple[FileFacts, str] | None:
    """The file's facts (read here unless given) and kind: LINES or GIVEN for a CSV of treatment
    lines or of doses given (known by its header, whatever column mapping was given for lab
    files), FHIR for FHIR medication resources; else None: the lab import then reads the file,
    and reports any problem with the file itself."""
    try:
        facts = facts or inspect_file(path, options.format)
        if facts.format == "fhir":
            return (facts, FHIR) if medication_resources(facts) is not None else None
        if facts.format != "csv":
            return None
        header = first_row(facts)
    except (ImportFileError, OSError, UnicodeDecodeError):
        return None
    if treatment_columns(header) is not None:
        return facts, LINES
    if administration_columns(header) is not None:
        return facts, GIVEN
    return None


def import_treatment_file(
    db: Database,
    facts: FileFacts,
    kind: str,
    options: ImportOptions,
    zone: tzinfo,
    user: str,
    summary: ImportSummary,
    cancel: Callable[[], bool] | None,
) -> Steps:
    summary.format = facts.format
    summary.treatments = True
    attempt = 1
    while True:
        try:
            yield from _write_batch(db, facts, kind, options, zone, user, summary, cancel)
        except ImportCancelled:
            summary.cancelled = True
        except FILE_FAILURES as exc:
            if run_again(exc, facts.path, attempt, log):
                attempt += 1
                summary.start_again()
                summary.format = facts.format
                summary.treatments = True
                continue
            summary.error = file_failure(exc, facts.path, log)
        break
    if summary.error or summary.cancelled:
        summary.batch_id = None


def _write_batch(
    db: Database,
    facts: FileFacts,
    kind: str,
    options: ImportOptions,
    zone: tzinfo,
    user: str,
    summary: ImportSummary,
    cancel: Callable[[], bool] | None,
) -> Steps:
    """One attempt at a file: its whole batch in one transaction, committed at the end."""
    source: TreatmentCsv | AdministrationCsv | FhirTreatments | None = None
    try:
        with db.session_factory(writer=True)() as session, session.begin():
            clinical_zone = team_zone(session)
            if kind == LINES:
                source = TreatmentCsv(facts, zone, clinical_zone)
            elif kind == GIVEN:
                source = AdministrationCsv(facts, zone, clinical_zone)
            else:
                source = FhirTreatments(
                    facts, medication_resources(facts) or [], clinical_zone, zone
                )
            summary.layout = source.layout
            batch = open_batch(session, facts, source.layout, summary, user)
            writer = GivenLineWriter(session, user)
            doses = DosesByAgent(facts.path.name, batch.id)
            for n, item in enumerate(source.rows(), start=1):
                summary.rows_read += 1
                if isinstance(item, ReadGiven):
                    doses.add(item)
                else:
                    _take(writer, item, summary, facts.path.name)
                if n % PROGRESS_EVERY == 0:
                    if cancel is not None and cancel():
                        raise ImportCancelled()
                    yield source.fraction(), summary.rows_read
            if cancel is not None and cancel():
                raise ImportCancelled()
            if summary.rows_read == 0:
                summary.warn("file", "the file has no data rows")
            doses.write(writer, summary)
            regraded = writer.finish()
            if regraded:
                summary.warn(
                    "file",
                    f"the first ICI start moves for {len(regraded)} patient(s): their "
                    "results are graded again against the baselines it decides",
                )
            finish_batch(session, batch, summary, user, "treatment-line")
            if options.dry_run:
                session.rollback()
    finally:
        if source is not None:
            source.close()


def _take(
    writer: TreatmentLineWriter,
    item: ReadLine | Problem | Untracked,
    summary: ImportSummary,
    source_file: str,
) -> None:
    if isinstance(item, Untracked):
        summary.skip_untracked(item.name)
        return
    if isinstance(item, Problem):
        summary.reject(item.ref, item.column, item.reason)
        return
    record = item.record
    patient_id = writer.patient_id(record.mrn)
    if patient_id is None:
        # a row for an MRN no patient has waits for a person to assign it, as a result does
        held = hold_line(
            writer.session,
            record,
            batch_id=summary.batch_id,
            source_file=source_file,
            source_ref=item.ref,
        )
        if held:
            summary.unmatched += 1
        else:
            summary.duplicates += 1
        return
    try:
        written = writer.add(patient_id, record)
    except StoreError as exc:
        summary.reject(item.ref, "", str(exc))
        return
    if written.outcome == IMPORTED:
        summary.imported += 1
        return
    summary.duplicates += 1
    if written.differences:
        summary.warn(
            item.ref,
            f"{record.agent} from {record.start} is already stored and was left as it is "
            f"({'; '.join(written.differences)})",
        )
