"""`irae-desktop treatments`: export stored treatment lines, with the dose each is on today."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any

from irae_desktop.cli.common import EXIT_INPUT_ERRORS, EXIT_OK, open_db

COLUMNS = (
    "mrn",
    "category",
    "agent",
    "dose",
    "dose_unit",
    "frequency",
    "route",
    "start",
    "stop",
    "indication",
    "current_dose",
    "status",
)


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "treatments",
        help="export stored treatment lines with their current doses",
        description="Print stored treatment lines (all patients, or one), by MRN and start "
        "date, with the dose each is on today after its taper steps and its status "
        "(on, held, stopped, planned) on the team's clinical day.",
    )
    parser.add_argument("--patient", metavar="MRN", help="only this patient's lines")
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.set_defaults(run=run)


def _cell(value: Any) -> Any:
    """A dose as written on an order (80, 2.5), a date as ISO 8601, none as empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def run(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from irae_desktop.store.models import Patient
    from irae_desktop.store.treatment_export import treatment_rows

    mrn = args.patient.strip() if args.patient is not None else None
    db = open_db(args.db)
    try:
        with db.read() as session:
            if (
                mrn is not None
                and session.scalar(select(Patient.id).where(Patient.mrn == mrn)) is None
            ):
                print(f"irae-desktop: no patient with MRN {mrn!r}", file=sys.stderr)
                return EXIT_INPUT_ERRORS
            rows = treatment_rows(session, mrn)
            if args.format == "json":
                payload = []
                for row in rows:
                    item = {c: row.column(c) for c in COLUMNS}
                    item["start"] = row.line.start.isoformat()
                    item["stop"] = row.line.stop.isoformat() if row.line.stop else None
                    payload.append(item)
                print(json.dumps(payload, ensure_ascii=False, indent=2))
            else:
                writer = csv.writer(sys.stdout, lineterminator="\n")
                writer.writerow(COLUMNS)
                for row in rows:
                    writer.writerow([_cell(row.column(c)) for c in COLUMNS])
    finally:
        db.dispose()
    return EXIT_OK
