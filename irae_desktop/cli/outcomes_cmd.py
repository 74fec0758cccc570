"""`irae-desktop outcomes`: the case series, one row per patient and immunosuppression line."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from irae_desktop.cli.common import EXIT_OK, UsageError, open_db

LINE_POSITIONS = (1, 2, 3)


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "outcomes",
        help="export the case series of an irAE: one row per patient and line",
        description="One row per patient and immunosuppression line for the irAE: days to "
        "grade <= 1 and to a 50%% fall, steroid exposure, follow-up and the outcome at 30 and "
        "90 days. Every export is recorded in the audit trail.",
    )
    parser.add_argument("--irae", choices=("hepatitis", "diabetes"), default="hepatitis")
    parser.add_argument(
        "--agent", action="append", default=[], metavar="NAME", help="only lines of this agent"
    )
    parser.add_argument(
        "--line",
        action="append",
        type=int,
        choices=LINE_POSITIONS,
        default=[],
        help="only lines at this position for the irAE (1 = first line)",
    )
    parser.add_argument(
        "--deidentify",
        action="store_true",
        help="study IDs instead of MRNs, days since the first ICI start instead of dates, "
        "ages over 89 as 90+, no free text",
    )
    parser.add_argument(
        "--include-free-text",
        action="store_true",
        help="include the lines' indications (free text may name people or places)",
    )
    parser.add_argument("--format", choices=("csv", "json", "pdf"), default="csv")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    parser.add_argument(
        "--dictionary",
        metavar="FILE.csv",
        help="also write the columns' data dictionary (REDCap layout)",
    )
    parser.set_defaults(run=run)


def _write_atomically(path: str, text: str | bytes) -> None:
    """The whole file or nothing: written beside the target, then moved over it."""
    target = Path(path)
    fd, temp = tempfile.mkstemp(dir=target.parent or Path("."), prefix=".outcomes-")
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


def run(args: argparse.Namespace) -> int:
    from irae_desktop.reports.outcomes_export import csv_cell, data_dictionary, export_table
    from irae_desktop.store.audit import current_user
    from irae_desktop.store.concurrency import write_with_retry
    from irae_desktop.store.outcomes_read import (
        read_outcomes,
        record_outcomes_export,
        study_key,
    )
    from irae_desktop.store.settings import get_settings

    if args.format == "pdf" and not args.output:
        raise UsageError("a PDF needs -o FILE.pdf")
    user = current_user()
    target = args.output or "standard output"
    db = open_db(args.db)
    try:

        def export(session: Any) -> tuple[Any, Any, Any, Any]:
            cohort = read_outcomes(session, args.irae, args.agent, args.line)
            key = study_key(session) if args.deidentify else None
            columns, records = export_table(
                cohort.rows, study_key=key, free_text=args.include_free_text
            )
            record_outcomes_export(
                session,
                user,
                irae=cohort.irae,
                rows=len(records),
                deidentified=args.deidentify,
                free_text=args.include_free_text,
                target=f"{args.format}: {target}",
            )
            paper = get_settings(session).paper_size
            return cohort, columns, records, (key, paper)

        cohort, columns, records, (key, paper) = write_with_retry(db, export)
    finally:
        db.dispose()
    if args.format == "pdf":
        from irae_desktop.reports.outcomes_pdf import write_outcomes_pdf

        write_outcomes_pdf(
            args.output, cohort, study_key=key, free_text=args.include_free_text, paper=paper
        )
    else:
        if args.format == "json":
            text = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
        else:
            header = [c.name for c in columns]
            text = _csv([header, *([csv_cell(r[n]) for n in header] for r in records)])
        if args.output:
            _write_atomically(args.output, text)
        else:
            sys.stdout.write(text)
    if args.dictionary:
        _write_atomically(
            args.dictionary, _csv(data_dictionary(columns, deidentified=args.deidentify))
        )
    if args.output:
        print(f"Wrote {len(records)} line(s) of the {cohort.irae} case series to {args.output}")
    return EXIT_OK
