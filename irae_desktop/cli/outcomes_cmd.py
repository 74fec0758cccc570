"""`irae-desktop outcomes`: the case series, one row per patient and immunosuppression line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from irae_desktop.cli.common import EXIT_OK, UsageError, open_db

LINE_POSITIONS = (1, 2, 3)


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "outcomes",
        help="export the case series of an irAE: one row per patient and line",
        description="One row per patient and immunosuppression line for the irAE: days to "
        "grade <= 1 and to a 50% fall, steroid exposure, follow-up and the outcome at 30 and "
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


def run(args: argparse.Namespace) -> int:
    from irae_desktop.reports.outcomes_files import OutcomesRequest, export_outcomes
    from irae_desktop.store.audit import current_user

    if args.format == "pdf" and not args.output:
        raise UsageError("a PDF needs -o FILE.pdf")
    request = OutcomesRequest(
        irae=args.irae,
        agents=tuple(args.agent),
        positions=tuple(args.line),
        deidentify=args.deidentify,
        free_text=args.include_free_text,
    )
    db = open_db(args.db)
    try:
        done = export_outcomes(
            db,
            request,
            args.format,
            current_user(),
            path=args.output,
            dictionary_path=args.dictionary,
        )
    finally:
        db.dispose()
    if args.output:
        print(f"Wrote {done.lines} line(s) of the {done.cohort.irae} case series to {args.output}")
    else:
        sys.stdout.write(done.text)
    return EXIT_OK
