"""`irae-desktop handoff -o FILE.pdf`: writes the service list of all active patients."""

from __future__ import annotations

import argparse
from typing import Any

from irae_desktop.cli.common import EXIT_OK, open_db


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "handoff",
        help="write the service handoff list of all active patients (PDF)",
        description="Writes one landscape table of all active patients, sickest first.",
    )
    parser.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="PDF to write")
    parser.add_argument(
        "--paper",
        choices=("letter", "a4"),
        help="paper size (default: the team setting, else letter)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from irae_desktop.reports.formatting import page_count
    from irae_desktop.reports.service_list import write_service_list

    db = open_db(args.db)
    try:
        pages = write_service_list(db, args.output, paper=args.paper)
    finally:
        db.dispose()
    print(f"Wrote the service handoff list ({page_count(pages)}) to {args.output}")
    return EXIT_OK
