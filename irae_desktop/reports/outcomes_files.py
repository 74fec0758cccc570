"""Exports of the case series to a file (CSV, JSON, PDF) or text, with their audit row: one
function for the command line and the window."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from irae_desktop.reports.outcomes_export import csv_cell, data_dictionary, export_table
from irae_desktop.store.concurrency import write_with_retry
from irae_desktop.store.database import Database
from irae_desktop.store.outcomes_read import (
    OutcomeCohort,
    read_outcomes,
    record_outcomes_export,
    study_key,
)
from irae_desktop.store.settings import get_settings

FORMATS = ("csv", "json", "pdf")


@dataclass(frozen=True, slots=True)
class OutcomesRequest:
    irae: str = "hepatitis"
    agents: tuple[str, ...] = ()
    positions: tuple[int, ...] = ()
    deidentify: bool = False
    free_text: bool = False


@dataclass(frozen=True, slots=True)
class OutcomesExport:
    cohort: OutcomeCohort
    lines: int
    text: str = ""  # the CSV or JSON itself (empty for a PDF)
    dictionary: str = ""  # the REDCap data dictionary, CSV
    pages: int = 0
    files: tuple[Path, ...] = field(default=())


def write_atomically(path: str | os.PathLike[str], text: str | bytes) -> None:
    """The whole file or nothing: written beside the target, then moved over it."""
    target = Path(path)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(text.encode("utf-8") if isinstance(text, str) else text)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _csv(rows: list[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def export_outcomes(
    db: Database,
    request: OutcomesRequest,
    fmt: str,
    user: str,
    *,
    path: str | os.PathLike[str] | None = None,
    dictionary_path: str | os.PathLike[str] | None = None,
) -> OutcomesExport:
    """Reads the case series, makes the study key on a first de-identified export, and audits
    the export, in one transaction; then writes the file(s). Without `path` the CSV or JSON is
    returned as text (a PDF needs a path)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if fmt == "pdf" and path is None:
        raise ValueError("a PDF needs a file to write")
    target = str(path) if path is not None else "standard output"

    def read(session: Any) -> tuple[OutcomeCohort, bytes | None, str]:
        cohort = read_outcomes(session, request.irae, request.agents, request.positions)
        key = study_key(session) if request.deidentify else None
        record_outcomes_export(
            session,
            user,
            irae=cohort.irae,
            rows=len(cohort.rows),
            deidentified=request.deidentify,
            free_text=request.free_text,
            target=f"{fmt}: {target}",
        )
        return cohort, key, get_settings(session).paper_size

    cohort, key, paper = write_with_retry(db, read)
    columns, records = export_table(cohort.rows, study_key=key, free_text=request.free_text)
    dictionary = _csv(data_dictionary(columns, deidentified=request.deidentify))
    files: list[Path] = []
    text, pages = "", 0
    if fmt == "pdf":
        from irae_desktop.reports.outcomes_pdf import write_outcomes_pdf

        assert path is not None
        pages = write_outcomes_pdf(
            path, cohort, study_key=key, free_text=request.free_text, paper=paper
        )
        files.append(Path(path))
    else:
        if fmt == "json":
            text = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
        else:
            header = [c.name for c in columns]
            text = _csv([header, *([csv_cell(r[n]) for n in header] for r in records)])
        if path is not None:
            write_atomically(path, text)
            files.append(Path(path))
    if dictionary_path is not None:
        write_atomically(dictionary_path, dictionary)
        files.append(Path(dictionary_path))
    return OutcomesExport(cohort, len(records), text, dictionary, pages, tuple(files))
