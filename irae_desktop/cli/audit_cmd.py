"""`irae-desktop audit`: the whole trail, the app's events and the database's row history."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import UTC, date, datetime
from typing import Any

from irae_desktop.cli.common import EXIT_OK, UsageError, open_db
from irae_desktop.cli.labs_cmd import utc_text

COLUMNS = (
    "at",
    "user",
    "action",
    "entity",
    "patient_mrn",
    "reason",
    "claimed_by",
    "source",
    "entity_id",
    "before",
    "after",
    "transaction",
)
# a cell starting with one of these is read as a formula by spreadsheet programs
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "audit",
        help="print the audit trail",
        description="Print the audit trail, oldest first: the app's own events (source app: "
        "imports, exports, prints, acknowledgements, corrections with their reasons) and, on "
        "PostgreSQL, every row any client inserted, changed or deleted (source database), "
        "each with the login the server stamped and, apart, the name the client claimed.",
    )
    parser.add_argument("--patient", metavar="MRN", help="only this patient's trail")
    parser.add_argument(
        "--since",
        metavar="DATE",
        help="from this day (YYYY-MM-DD, from 00:00 UTC) or time (ISO 8601 with a zone)",
    )
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.set_defaults(run=run)


def _since(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--since {text!r} is not a date (YYYY-MM-DD) or time") from None
    if moment.tzinfo is None:
        raise UsageError(f"--since {text!r} needs a time zone (for example +00:00)")
    return moment


def _json(value: dict[str, Any] | None) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def run(args: argparse.Namespace) -> int:
    from irae_desktop.store.trail import trail_rows

    since = _since(args.since)
    db = open_db(args.db)
    try:
        with db.read() as session:
            rows = trail_rows(session, patient_mrn=args.patient, since=since)
    finally:
        db.dispose()
    records = [
        {
            "at": utc_text(r.at),
            "user": r.user,
            "action": r.action,
            "entity": r.entity,
            "patient_mrn": r.patient_mrn,
            "reason": r.reason,
            "claimed_by": r.claimed_by,
            "source": r.source,
            "entity_id": r.entity_id,
            "before": r.before,
            "after": r.after,
            "transaction": r.transaction_id,
        }
        for r in rows
    ]
    if args.format == "json":
        json.dump(records, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
        return EXIT_OK
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(COLUMNS)
    for record in records:
        record["before"] = _json(record["before"])
        record["after"] = _json(record["after"])
        writer.writerow([_cell(record[c]) for c in COLUMNS])
    return EXIT_OK
