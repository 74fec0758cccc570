"""The import service: a Qt-free generator that reads, checks and writes one batch per file in one
transaction, yielding progress; dry run, cancel and a summary per file."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.orm import Session

from irae_desktop.domain.analytes import lookup_analyte
from irae_desktop.importers.csv_reader import CsvSource
from irae_desktop.importers.errors import (
    FILE_FAILURES,
    ImportCancelled,
    ImportFileError,
    file_failure,
    run_again,
)
from irae_desktop.importers.fhir_reader import FhirSource
from irae_desktop.importers.hl7_reader import Hl7Source
from irae_desktop.importers.long_lane import LongRowLane, Outcome, Written
from irae_desktop.importers.patient_match import KnownPatient, PatientResolver
from irae_desktop.importers.raw import Notice, Problem, RawPatient, RawResult, ReadItem
from irae_desktop.importers.screening_rows import CodedScreenings, screening_code
from irae_desktop.importers.screening_service import import_screening_file, screening_file
from irae_desktop.importers.sniff import FileFacts, inspect_file
from irae_desktop.importers.summary import ImportSummary
from irae_desktop.importers.timeparse import resolve_zone
from irae_desktop.importers.treatment_service import import_treatment_file, treatment_file
from irae_desktop.importers.validate import NotTracked, Rejected, Validator
from irae_desktop.store.access import READ_ONLY_MESSAGE, DatabaseReadOnlyError
from irae_desktop.store.audit import current_user, record_event
from irae_desktop.store.clinical_zone import team_zone
from irae_desktop.store.database import Database
from irae_desktop.store.errors import StoreError
from irae_desktop.store.lab_insert_row import LabInsertRow
from irae_desktop.store.lab_latest import refresh_latest
from irae_desktop.store.lab_writer import LabBatchWriter, bulk_write_cache, regrade
from irae_desktop.store.models import ImportBatch
from irae_desktop.store.screening_import import ScreeningWriter
from irae_desktop.store.ungraded import ungraded_in_batch
from irae_desktop.store.unmatched import hold_unmatched

PROGRESS_EVERY = 2000
log = logging.getLogger(__name__)


class _Source(Protocol):
    @property
    def layout(self) -> str: ...

    def items(self) -> Iterator[ReadItem]: ...

    def fraction(self) -> float: ...

    def close(self) -> None: ...


@dataclass
class ImportOptions:
    format: str = "auto"
    dry_run: bool = False
    # IANA zone for naive times in files; None = the machine's local zone
    timezone: str | None = None
    # a column mapping for CSV files (see csv_layouts.layout_from_mapping)
    mapping: Mapping[str, Any] | None = None
    user: str | None = None
    now: datetime | None = None


@dataclass(frozen=True)
class ImportProgress:
    """One step: `fraction` of all files done, `rows` read in the current file.

    The last event for each file carries its `summary`; the very last event has `done`.
    """

    file: str
    file_index: int
    file_count: int
    fraction: float
    rows: int
    summary: ImportSummary | None = None
    done: bool = False
    summaries: tuple[ImportSummary, ...] = field(default_factory=tuple)


def _is_analyte_header(text: str) -> bool:
    return lookup_analyte(text) is not None


def _open_source(
    facts: FileFacts, options: ImportOptions, zone: Any, fhir_patients: dict[str, RawPatient]
) -> _Source:
    if facts.format == "hl7":
        return Hl7Source(facts, zone)
    if facts.format == "fhir":
        return FhirSource(facts, zone, fhir_patients)
    return CsvSource(facts, _is_analyte_header, options.mapping)


def _order(paths: Sequence[Path], options: ImportOptions) -> list[tuple[Path, FileFacts | None]]:
    """Rosters first, so a lab file given with its roster finds the patients; FHIR Patient
    files too, so observations that point at a Patient id resolve to its MRN. Each path comes
    with its facts when they were read here (so a file is scanned once)."""
    if len(paths) < 2:
        return [(path, None) for path in paths]

    def rank(path: Path) -> tuple[int, FileFacts | None]:
        try:
            facts = inspect_file(path, options.format)
            if facts.format == "fhir":
                return (0 if "patient" in path.name.lower() else 1), facts
            if facts.format != "csv":
                return 1, facts
            source = CsvSource(facts, _is_analyte_header, options.mapping)
            source.close()
            return (0 if source.columns.layout == "roster" else 1), facts
        except (ImportFileError, OSError, UnicodeDecodeError):
            return 1, None

    ranked = [(path, *rank(path)) for path in paths]
    return [(path, facts) for path, _, facts in sorted(ranked, key=lambda item: item[1])]


class _FileImport:
    """The work for one file inside one transaction."""

    def __init__(
        self,
        session: Session,
        source: _Source,
        facts: FileFacts,
        summary: ImportSummary,
        options: ImportOptions,
        zone: Any,
        user: str,
    ):
        self.session = session
        self.source = source
        self.summary = summary
        self.user = user
        self.is_roster = isinstance(source, CsvSource) and source.columns.layout == "roster"
        csv_source = source if isinstance(source, CsvSource) else None
        self.validator = Validator(
            zone,
            convention=csv_source.convention if csv_source else None,
            date_order=csv_source.date_order if csv_source else "auto",
            now=options.now,
        )
        self.resolver = PatientResolver(
            session, user, date_order=csv_source.date_order if csv_source else "auto"
        )
        self.resolver.preload()
        self.batch = ImportBatch(
            file_name=str(facts.path)[:500],
            file_sha256=facts.sha256,
            format=facts.format,
            layout=source.layout[:64],
            timezone=summary.timezone[:64],
            imported_by=user[:120],
        )
        session.add(self.batch)
        session.flush()
        summary.batch_id = self.batch.id
        self.writer = LabBatchWriter(
            session,
            batch_id=self.batch.id,
            source_file=facts.path.name,
            user=user,
            before_flush=self.resolver.flush_pending,
        )
        self._checked: dict[tuple[str, str, str, Any], str] = {}
        # screening results coded in the lab file (HBsAg, IGRA): stored as such, not skipped
        self.screenings = ScreeningWriter(session, user, self.batch.id, facts.path.name)
        self.coded = CodedScreenings(
            self.screenings,
            summary,
            zone,
            team_zone(session),
            csv_source.date_order if csv_source else "auto",
        )

    def add_rows(self, rows: list[LabInsertRow]) -> None:
        self.writer.add_rows(rows)

    def plain_sex(self, patient: KnownPatient) -> tuple[bool, str | None]:
        """As ImportGrader.plain_sex; a patient not stored yet is not known yet."""
        if not patient.id:
            return False, None
        return self.writer.grader.plain_sex(patient.id)

    def grade_alone(self, row: LabInsertRow, sex: str) -> tuple[int | None, str, str]:
        return self.writer.grader.grade_alone(row, sex)

    def handle(self, item: ReadItem) -> Outcome:
        """Reads one item into the batch; says what became of a result (see long_lane)."""
        s = self.summary
        if isinstance(item, RawResult):
            s.rows_read += 1
            return self._result(item)
        if isinstance(item, RawPatient):
            if self.is_roster:
                s.rows_read += 1
            problem = self.resolver.apply_roster(item)
            if problem:
                s.reject(item.ref, "patient", problem)
            elif self.is_roster:
                s.roster_taken += 1
        elif isinstance(item, Problem):
            s.rows_read += 1
            s.reject(item.ref, item.column, item.reason)
        elif isinstance(item, Notice):
            s.warn(item.ref, item.message)
        return None

    def _patient_for(self, raw: RawResult) -> KnownPatient | str | None:
        """The stored patient, a reason to reject, or None to hold the row as unmatched."""
        known = self.resolver.lookup(raw.mrn)
        demographics = raw.patient
        if demographics is None:
            return known
        key = (raw.mrn, demographics.name, demographics.birth_text, demographics.birth_date)
        if key in self._checked:
            problem = self._checked[key]
            return problem or self.resolver.lookup(raw.mrn)
        try:
            birth = self.resolver.birth_of(demographics)
            if known is None:
                known = self.resolver.create(demographics)
                problem = ""
            else:
                problem = self.resolver.contradiction(known, demographics, birth)
        except (ValueError, StoreError) as exc:
            problem = f"patient {raw.mrn}: {exc}"
        self._checked[key] = problem
        return problem or known

    def _result(self, raw: RawResult) -> Outcome:
        s = self.summary
        if not raw.is_lab:
            s.skip_untracked(raw.name or raw.code)
            return raw.name or raw.code
        screening = screening_code(raw)
        if screening is not None:
            self.coded.take(raw, screening, self._patient_for, self.resolver.flush_pending)
            return None
        checked = self.validator.check_row(raw)
        if isinstance(checked, NotTracked):
            s.skip_untracked(checked.test)
            return checked.test
        if isinstance(checked, Rejected):
            s.reject(checked.ref, checked.column, checked.reason)
            return None
        patient = self._patient_for(raw)
        if isinstance(patient, str):
            s.reject(raw.ref, "patient", patient)
            return None
        for warning in checked.warnings:
            s.warn(raw.ref, warning, raw.column.get("value", ""))
        if patient is None:
            if hold_unmatched(
                self.session,
                checked.record(),
                batch_id=self.batch.id,
                source_file=self.writer.source_file,
            ):
                s.unmatched += 1
            else:
                s.duplicates += 1
            return None
        self.resolver.touch(patient)
        self.writer.add(patient, checked)
        return Written(checked, patient)

    def finish(self) -> None:
        s = self.summary
        self.resolver.flush_pending()
        imported = self.writer.inserted()
        counts = self.writer.counts
        s.imported = imported + self.screenings.imported
        s.corrected = counts.corrected
        s.duplicates += counts.attempted - imported + counts.duplicates_seen
        if counts.superseded:
            s.warn(
                "file",
                f"{counts.superseded} result(s) not imported: a stored correction replaced "
                "that value for the same specimen",
            )
        s.patients_created = self.resolver.created
        s.patients_updated = self.resolver.updated
        # rows were graded as they were written; only patients whose baseline the file may
        # have moved, or whose stored rows it corrected, need their series graded again
        pending = self.writer.needs_regrade()
        regrade(self.session, sorted(pending))  # refreshes their lab summaries too
        refresh_latest(self.session, self.resolver.touched - pending)
        batch = self.batch
        # clinical reference, decision 12: results stored without a grade are warnings
        for group in ungraded_in_batch(self.session, batch.id):
            s.warn_results("file", group.warning(), group.results)
        batch.finished_at = datetime.now(UTC)
        batch.rows_read = s.rows_read
        batch.imported = s.imported
        batch.duplicates = s.duplicates
        batch.corrected = s.corrected
        batch.rejected = s.rejected_count
        batch.unmatched = s.unmatched
        batch.summary_json = json.dumps(s.as_dict(), ensure_ascii=False)
        record_event(
            self.session,
            user=self.user,
            action="import",
            entity="import_batch",
            entity_id=batch.id,
            after={"file": batch.file_name, **s.counts()},
            reason=f"{s.format} import of {Path(batch.file_name).name}",
        )
        self.session.flush()


def run_import(
    db: Database,
    paths: Sequence[str | Path],
    options: ImportOptions | None = None,
    *,
    cancel: Callable[[], bool] | None = None,
) -> Iterator[ImportProgress]:
    """Imports each file in its own transaction, yielding progress; closing the generator or a
    true `cancel()` rolls the current file back. Raises ValueError for an unknown time zone."""
    options = options or ImportOptions()
    if db.read_only and not options.dry_run:  # refused before any file is read
        raise DatabaseReadOnlyError(READ_ONLY_MESSAGE)
    zone, zone_name = resolve_zone(options.timezone)
    user = options.user or current_user()
    ordered = _order([Path(p) for p in paths], options)
    count = len(ordered)
    summaries: list[ImportSummary] = []
    fhir_patients: dict[str, RawPatient] = {}
    for index, (path, facts) in enumerate(ordered):
        summary = ImportSummary(file=str(path), timezone=zone_name, dry_run=options.dry_run)
        yield ImportProgress(str(path), index, count, index / count, 0)
        facts = facts or _facts(path, options)  # the file is scanned once, whatever it holds
        treatment = treatment_file(path, options, facts)
        screening = screening_file(path, options, facts) if treatment is None else None
        if treatment is not None:
            steps = import_treatment_file(db, *treatment, options, zone, user, summary, cancel)
        elif screening is not None:
            steps = import_screening_file(db, screening, options, zone, user, summary, cancel)
        else:
            steps = _import_one(
                db, path, facts, options, zone, user, summary, fhir_patients, cancel
            )
        for step in steps:
            yield ImportProgress(str(path), index, count, (index + step[0]) / count, step[1])
        summaries.append(summary)
        yield ImportProgress(
            str(path), index, count, (index + 1) / count, summary.rows_read, summary=summary
        )
        if summary.cancelled:
            break
    yield ImportProgress("", count, count, 1.0, 0, done=True, summaries=tuple(summaries))


def _facts(path: Path, options: ImportOptions) -> FileFacts | None:
    """The file's facts, or None when it cannot be read (the lab import then says why)."""
    try:
        return inspect_file(path, options.format)
    except (ImportFileError, OSError, UnicodeDecodeError):
        return None


def _steps(work: _FileImport, source: _Source) -> Iterator[None]:
    """Reads the whole source into `work`, pausing every PROGRESS_EVERY items."""
    if isinstance(source, CsvSource) and source.columns.layout == "long":
        yield from LongRowLane(source, work).run(PROGRESS_EVERY)
        return
    for n, item in enumerate(source.items(), start=1):
        work.handle(item)
        if n % PROGRESS_EVERY == 0:
            yield


def _import_one(
    db: Database,
    path: Path,
    known_facts: FileFacts | None,
    options: ImportOptions,
    zone: Any,
    user: str,
    summary: ImportSummary,
    fhir_patients: dict[str, RawPatient],
    cancel: Callable[[], bool] | None,
) -> Iterator[tuple[float, int]]:
    attempt = 1
    while True:
        source: _Source | None = None
        try:
            facts = known_facts or inspect_file(path, options.format)
            summary.format = facts.format
            source = _open_source(facts, options, zone, fhir_patients)
            summary.layout = source.layout
            yield from _write_batch(db, source, facts, summary, options, zone, user, cancel)
        except ImportCancelled:
            summary.cancelled = True
        except FILE_FAILURES as exc:
            if run_again(exc, path, attempt, log):
                attempt += 1
                summary.start_again()
                continue
            summary.error = file_failure(exc, path, log)
        finally:
            if source is not None:
                source.close()
        break
    if summary.error or summary.cancelled:
        summary.batch_id = None


def _write_batch(
    db: Database,
    source: _Source,
    facts: FileFacts,
    summary: ImportSummary,
    options: ImportOptions,
    zone: Any,
    user: str,
    cancel: Callable[[], bool] | None,
) -> Iterator[tuple[float, int]]:
    """One attempt at a file: its whole batch in one transaction, committed at the end."""
    with (
        db.session_factory(writer=True)() as session,
        session.begin(),
        bulk_write_cache(session),
    ):
        work = _FileImport(session, source, facts, summary, options, zone, user)
        for _ in _steps(work, source):
            if cancel is not None and cancel():
                raise ImportCancelled()
            yield source.fraction(), summary.rows_read
        if cancel is not None and cancel():  # a cancel after the last step still counts
            raise ImportCancelled()
        if summary.rows_read == 0:
            summary.warn("file", "the file has no data rows")
        work.finish()
        if options.dry_run:
            session.rollback()


def import_files(
    db: Database, paths: Sequence[str | Path], options: ImportOptions | None = None
) -> list[ImportSummary]:
    """Runs the import to the end and returns one summary per file."""
    result: tuple[ImportSummary, ...] = ()
    for progress in run_import(db, paths, options):
        if progress.done:
            result = progress.summaries
    return list(result)
