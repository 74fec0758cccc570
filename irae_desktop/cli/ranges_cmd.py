"""`irae-desktop ranges [show | import FILE.csv]`: the site's default reference ranges."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import Any

from irae_desktop.cli.common import EXIT_INPUT_ERRORS, EXIT_OK, open_db


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "ranges",
        help="show or import the site's default reference ranges",
        description="The reference ranges used for results reported without one. 'show' "
        "prints them as CSV (analyte, sex, lln, uln, unit); 'import FILE.csv' checks every "
        "row, writes them all or none, and regrades the stored results they affect.",
    )
    actions = parser.add_subparsers(dest="ranges_action", metavar="ACTION")
    actions.add_parser("show", help="print the ranges as CSV")
    importing = actions.add_parser("import", help="import ranges from a CSV file")
    importing.add_argument("file", metavar="FILE.csv")
    parser.set_defaults(run=run)


def _cell(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _show(args: argparse.Namespace) -> int:
    from irae_desktop.store.range_import import COLUMNS, site_range_records

    db = open_db(args.db)
    try:
        with db.read() as session:
            records = site_range_records(session)
    finally:
        db.dispose()
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in records:
        writer.writerow([r.analyte, r.sex, _cell(r.lln), _cell(r.uln), r.unit])
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from irae_desktop.store.audit import current_user
    from irae_desktop.store.concurrency import write_with_retry
    from irae_desktop.store.range_import import (
        RangeFileError,
        import_site_ranges,
        read_ranges_csv,
    )

    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        print(f"irae-desktop ranges: no such file: {path}", file=sys.stderr)
        return EXIT_INPUT_ERRORS
    except UnicodeDecodeError:
        print(f"irae-desktop ranges: {path} is not a UTF-8 text file", file=sys.stderr)
        return EXIT_INPUT_ERRORS
    try:
        ranges = read_ranges_csv(text)
    except RangeFileError as exc:
        for problem in exc.problems:
            print(f"irae-desktop ranges: {path}: {problem}", file=sys.stderr)
        print("irae-desktop ranges: nothing was written", file=sys.stderr)
        return EXIT_INPUT_ERRORS
    db = open_db(args.db)
    try:
        user = current_user()
        # run again from the start if another workstation holds the database
        done = write_with_retry(
            db, lambda session: import_site_ranges(session, user, ranges, path.name)
        )
    finally:
        db.dispose()
    print(
        f"{path}: {done.ranges} reference range(s) saved; "
        f"{done.results_regraded} stored result(s) regraded"
    )
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    if args.ranges_action == "import":
        return _import(args)
    return _show(args)
