"""`irae-desktop report MRN -o FILE.pdf`: writes one patient's handoff summary."""

from __future__ import annotations

import argparse
from typing import Any

from irae_desktop.cli.common import EXIT_OK, UsageError, open_db


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "report",
        help="write one patient's handoff summary (PDF)",
        description="Writes the patient handoff summary: status at a glance, latest values, "
        "trends with treatments, treatment lines, irAE episodes and recent labs.",
    )
    parser.add_argument("mrn", metavar="MRN", help="the patient's medical record number")
    parser.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="PDF to write")
    parser.add_argument(
        "--paper",
        choices=("letter", "a4"),
        help="paper size (default: the team setting, else letter)",
    )
    parser.add_argument(
        "--lab-days",
        type=int,
        default=14,
        metavar="N",
        help="list the lab results of the last N days (default 14; 0 lists all)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from irae_desktop.reports.formatting import page_count
    from irae_desktop.reports.patient_summary import write_patient_summary

    if args.lab_days < 0:
        raise UsageError("--lab-days must be 0 (all results) or more.")
    if not args.mrn.strip():
        raise UsageError("an MRN is required.")
    db = open_db(args.db)
    try:
        pages = write_patient_summary(
            db, args.mrn, args.output, paper=args.paper, lab_days=args.lab_days
        )
    finally:
        db.dispose()
    print(f"Wrote the summary of MRN {args.mrn.strip()} ({page_count(pages)}) to {args.output}")
    return EXIT_OK
