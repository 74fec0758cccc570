"""`irae-desktop labs`: export stored results with their grades as CSV or JSON."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from irae_desktop.cli.common import EXIT_INPUT_ERRORS, EXIT_OK, open_db
from irae_desktop.domain.grade_display import result_grade_text
from irae_desktop.domain.utc import aware_utc
from irae_desktop.domain.value_format import export_number

COLUMNS = (
    "mrn",
    "analyte",
    "collected_at",
    "value",
    "comparator",
    "unit",
    "uln",
    "lln",
    "grade",
    "criteria",
    "baseline",
    "source",
    "grade_shown",
    # the value exactly as the source wrote it, for anyone who needs more than the rounding
    "original_text",
    "original_unit",
)


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "labs",
        help="export stored lab results with their grades",
        description="Print stored lab results (all patients, or one) with "
        "their grades, oldest first per patient.",
    )
    parser.add_argument("--patient", metavar="MRN", help="only this patient's results")
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.set_defaults(run=run)


def utc_text(when: datetime) -> str:
    return aware_utc(when).strftime("%Y-%m-%dT%H:%M:%SZ")


def _bound(analyte: str, value: float | None, unit: str) -> float | None:
    # a reference limit keeps no source text of its own: rounded a decimal finer than the
    # analyte's clinical precision, which drops only conversion noise
    return None if value is None else export_number(analyte, value, unit, "", "")


def _rows(session: Any, mrn: str | None) -> Iterator[dict[str, Any]]:
    from sqlalchemy import select

    from irae_desktop.store.models import LabResult, Patient

    query = (
        select(Patient.mrn, LabResult)
        .join(LabResult, LabResult.patient_id == Patient.id)
        .where(LabResult.status != "entered-in-error")
        .order_by(Patient.mrn, LabResult.collected_at, LabResult.analyte, LabResult.id)
        .execution_options(yield_per=2000)
    )
    if mrn is not None:
        query = query.where(Patient.mrn == mrn.strip())
    for patient_mrn, lab in session.execute(query):
        if lab.source_file:
            source = f"{lab.source_file} {lab.source_ref or ''}".strip()
        else:
            source = f"entered by {lab.entered_by}" if lab.entered_by else "entered"
        yield {
            "mrn": patient_mrn,
            "analyte": lab.analyte,
            "collected_at": utc_text(lab.collected_at),
            # as precise as the source gave it: 540.48, never 540.4799999999999
            "value": export_number(
                lab.analyte, lab.value, lab.unit, lab.original_text, lab.original_unit
            ),
            "comparator": lab.comparator,
            "unit": lab.unit,
            "uln": _bound(lab.analyte, lab.uln, lab.unit),
            "lln": _bound(lab.analyte, lab.lln, lab.unit),
            "grade": lab.grade,
            "criteria": lab.grade_criteria or "",
            "baseline": bool(lab.is_baseline),
            "source": source,
            # the grade as every view shows it: a censored range, a non-fasting no-grade
            "grade_shown": result_grade_text(lab.grade, lab.grade_reason),
            "original_text": lab.original_text or "",
            "original_unit": lab.original_unit or "",
        }


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if value != int(value) or abs(value) >= 1e15 else f"{value:.1f}"
    return str(value)


def run(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from irae_desktop.store.models import Patient

    db = open_db(args.db)
    try:
        with db.read() as session:
            if args.patient is not None:
                found = session.scalar(
                    select(Patient.id).where(Patient.mrn == args.patient.strip())
                )
                if found is None:
                    print(
                        f"irae-desktop: no patient with MRN {args.patient.strip()!r}",
                        file=sys.stderr,
                    )
                    return EXIT_INPUT_ERRORS
            rows = _rows(session, args.patient)
            if args.format == "json":
                out = sys.stdout
                out.write("[")
                for n, row in enumerate(rows):
                    out.write(("," if n else "") + "\n  " + json.dumps(row, ensure_ascii=False))
                out.write("\n]\n")
            else:
                writer = csv.writer(sys.stdout, lineterminator="\n")
                writer.writerow(COLUMNS)
                for row in rows:
                    writer.writerow([_csv_cell(row[c]) for c in COLUMNS])
    finally:
        db.dispose()
    return EXIT_OK
