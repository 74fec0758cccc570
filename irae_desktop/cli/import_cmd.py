"""`irae-desktop import PATH...`: import lab and roster files and print what happened."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from irae_desktop.cli.common import EXIT_INPUT_ERRORS, EXIT_OK, UsageError, open_db


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "import",
        help="import lab results (CSV, HL7 v2, FHIR) and patient rosters",
        description="Import lab result files and patient rosters. Each file is one batch, "
        "written completely or not at all; results already stored are skipped.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files to import (rosters first)")
    parser.add_argument("--dry-run", action="store_true", help="check and count; write nothing")
    parser.add_argument("--format", choices=("auto", "csv", "hl7", "fhir"), default="auto")
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    parser.add_argument("--mapping", metavar="FILE", help="JSON column mapping for a CSV layout")
    parser.add_argument(
        "--timezone",
        metavar="ZONE",
        help="IANA zone for times without an offset (default: this computer's zone)",
    )
    parser.set_defaults(run=run)


def _load_mapping(path: str | None) -> dict[str, Any] | None:
    if not path:
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise UsageError(f"cannot read the mapping file {path}: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"the mapping file {path} is not valid JSON: {exc.msg} (line {exc.lineno})"
        ) from exc
    if not isinstance(data, dict):
        raise UsageError(f"the mapping file {path} must hold a JSON object")
    return data


def run(args: argparse.Namespace) -> int:
    from irae_desktop.importers.service import ImportOptions, import_files
    from irae_desktop.importers.timeparse import resolve_zone
    from irae_desktop.process_settings import tune_for_bulk_import

    # this process does nothing but the import: the interpreter is tuned for it
    tune_for_bulk_import()

    mapping = _load_mapping(args.mapping)
    try:
        resolve_zone(args.timezone)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    options = ImportOptions(
        format=args.format, dry_run=args.dry_run, timezone=args.timezone, mapping=mapping
    )
    db = open_db(args.db)
    try:
        summaries = import_files(db, args.paths, options)
    finally:
        db.dispose()
    if args.json:
        payload = {
            "dry_run": args.dry_run,
            "files": [s.as_dict() for s in summaries],
            "totals": {
                key: sum(s.counts()[key] for s in summaries)
                for key in (summaries[0].counts() if summaries else {})
            },
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for summary in summaries:
            stream = sys.stderr if summary.error else sys.stdout
            print(summary.to_text(), file=stream)
    # anything not taken (rejected, skipped, held, unaccounted for, or a file not read) is 1
    return EXIT_OK if all(s.all_taken for s in summaries) else EXIT_INPUT_ERRORS
