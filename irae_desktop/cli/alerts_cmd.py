"""`irae-desktop alerts`: the open alerts as CSV or JSON (clinical reference, decision 13)."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import UTC, datetime
from typing import Any

from irae_desktop.cli.common import EXIT_INPUT_ERRORS, EXIT_OK, open_db
from irae_desktop.cli.labs_cmd import utc_text

COLUMNS = ("mrn", "kind", "severity", "title", "rule", "source", "raised_at")


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "alerts",
        help="list the open alerts",
        description="Print the open alerts (all patients, or one): conditions that hold now "
        "and events nobody has acknowledged yet, by MRN, current ones first.",
    )
    parser.add_argument("--patient", metavar="MRN", help="only this patient's alerts")
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from irae_desktop.store.alerts import open_alerts
    from irae_desktop.store.patients import PatientNotFoundError

    now = datetime.now(UTC)
    db = open_db(args.db)
    try:
        with db.read() as session:
            try:
                alerts = list(open_alerts(session, now, mrn=args.patient))
            except PatientNotFoundError as exc:
                print(f"irae-desktop: {exc}", file=sys.stderr)
                return EXIT_INPUT_ERRORS
    finally:
        db.dispose()
    rows = [
        {
            "mrn": a.mrn,
            "kind": a.kind,
            "severity": a.severity,
            "title": a.title,
            "rule": a.rule,
            "source": a.source,
            "raised_at": utc_text(a.raised_at),
        }
        for a in alerts
    ]
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([row[c] for c in COLUMNS])
    return EXIT_OK
