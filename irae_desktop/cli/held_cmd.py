"""`irae-desktop held`: the rows waiting for a person to assign them, lab results and treatment
rows alike, as their files gave them."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import TYPE_CHECKING, Any

from irae_desktop.cli.common import EXIT_OK, open_db

if TYPE_CHECKING:
    from irae_desktop.store.held_treatments import HeldTreatment
    from irae_desktop.store.unmatched import HeldResult

COLUMNS = (
    "kind",
    "mrn",
    "item",
    "value",
    "unit",
    "date",
    "stop",
    "frequency",
    "route",
    "source_file",
    "source_ref",
    "batch_id",
    "imported_at",
)
# the kind column: a lab result, a whole treatment line, or one dose given
LAB, LINE, DOSE = "lab_result", "treatment_line", "dose_given"


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "held",
        help="list held rows: results and treatment rows for unknown MRNs",
        description="Print the rows held for MRNs that match no patient, waiting to be "
        "assigned or dropped in the window: lab results and treatment rows (whole lines, or "
        "doses given), by kind, then MRN.",
    )
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.set_defaults(run=run)


def _lab(held: HeldResult) -> dict[str, Any]:
    return {
        "kind": LAB,
        "mrn": held.mrn,
        "item": held.analyte,
        "value": held.original_text,
        "unit": held.original_unit,
        "date": held.collected_at.isoformat(),
        "stop": None,
        "frequency": None,
        "route": None,
        "source_file": held.source_file,
        "source_ref": held.source_ref,
        "batch_id": held.batch_id,
        "imported_at": held.imported_at.isoformat() if held.imported_at else None,
    }


def _treatment(held: HeldTreatment) -> dict[str, Any]:
    from irae_desktop.store.held_treatments import GIVEN

    return {
        "kind": DOSE if held.kind == GIVEN else LINE,
        "mrn": held.mrn,
        "item": held.agent,
        "value": f"{held.dose:g}" if held.dose is not None else None,
        "unit": held.dose_unit,
        "date": held.start.isoformat(),
        "stop": held.stop.isoformat() if held.stop else None,
        "frequency": held.frequency,
        "route": held.route,
        "source_file": held.source_file,
        "source_ref": held.source_ref,
        "batch_id": held.batch_id,
        "imported_at": held.imported_at.isoformat() if held.imported_at else None,
    }


def run(args: argparse.Namespace) -> int:
    from irae_desktop.store.held_treatments import held_treatments
    from irae_desktop.store.unmatched import held_results

    db = open_db(args.db)
    try:
        with db.read() as session:
            rows = [_lab(h) for h in held_results(session)]
            rows += [_treatment(h) for h in held_treatments(session)]
    finally:
        db.dispose()
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow(["" if row[c] is None else row[c] for c in COLUMNS])
    return EXIT_OK
