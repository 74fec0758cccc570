"""`irae-desktop screenings`: export the stored infection screening results (latent tuberculosis
and hepatitis B tests), as the patient view lists them."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any

from irae_desktop.cli.common import EXIT_INPUT_ERRORS, EXIT_OK, open_db

COLUMNS = ("mrn", "test", "taken_on", "result", "note", "source")


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "screenings",
        help="export stored infection screening results (TB and hepatitis B tests)",
        description="Print the stored infection screening results (all patients, or one), by "
        "MRN, date and test: the test (tb_igra, tb_skin, hbsag, anti_hbc, anti_hbs, hbv_dna), "
        "the day it was taken, its result (negative, positive, indeterminate), the note and "
        "where it came from (the file and line, or who entered it). Deleted results are left "
        "out.",
    )
    parser.add_argument("--patient", metavar="MRN", help="only this patient's results")
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from irae_desktop.store.patient_read import find_patient_id
    from irae_desktop.store.patients import PatientNotFoundError
    from irae_desktop.store.screenings import screening_rows

    mrn = args.patient.strip() if args.patient is not None else None
    db = open_db(args.db)
    try:
        with db.read() as session:
            if mrn is not None:
                try:
                    find_patient_id(session, mrn)
                except PatientNotFoundError:
                    print(f"irae-desktop: no patient with MRN {mrn!r}", file=sys.stderr)
                    return EXIT_INPUT_ERRORS
            rows = [
                {
                    "mrn": patient_mrn,
                    "test": record.test,
                    "taken_on": record.taken_on.isoformat(),
                    "result": record.result,
                    "note": record.note,
                    "source": record.source,
                }
                for patient_mrn, record in screening_rows(session, mrn)
            ]
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
