"""PDF reports against bare reportlab documents with the same number of table rows, same run.

    python benchmarks/bench_reports.py [--repeats 3] [--patients 200] [--profile]

Cases: the patient summary of a patient with two years of daily labs and 20 treatment lines
(default 14-day lab table, and the whole history listed), and the service list of 200 patients.
Targets: summary well under 2 s, 200-patient service list under 10 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table
from sqlalchemy import insert

from irae_desktop.reports.layout import styles
from irae_desktop.reports.patient_summary import write_patient_summary
from irae_desktop.reports.service_list import write_service_list
from irae_desktop.store.database import Database, open_database
from irae_desktop.store.grading import regrade_patients
from irae_desktop.store.models import (
    ConsultNote,
    DoseStep,
    IrAEEpisode,
    LabResult,
    Patient,
    TreatmentLine,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
HISTORY_DAYS = 730
ANALYTES = (
    ("ALT", "U/L", 40.0),
    ("AST", "U/L", 40.0),
    ("TBILI", "mg/dL", 1.2),
    ("ALP", "U/L", 120.0),
    ("GLUCOSE", "mg/dL", 140.0),
)


def _lab_rows(patient_id: int, days: int, step: int = 1) -> list[dict[str, Any]]:
    rows = []
    for d in range(0, days, step):
        when = datetime.combine(NOW.date() - timedelta(days=d), clock(7, 0), tzinfo=UTC)
        wave = (d % 90) / 90
        for analyte, unit, uln in ANALYTES:
            value = round(uln * (0.6 + 4.0 * wave * wave), 2)
            rows.append(
                dict(
                    patient_id=patient_id,
                    analyte=analyte,
                    collected_at=when,
                    value=value,
                    comparator="",
                    unit=unit,
                    original_text=str(value),
                    original_unit=unit,
                    lln=None,
                    uln=uln,
                    status="final",
                    is_baseline=False,
                    version=1,
                )
            )
    return rows


def _lines(patient_id: int, count: int) -> list[TreatmentLine]:
    out = []
    start = NOW.date() - timedelta(days=HISTORY_DAYS)
    for i in range(count):
        category = "ici" if i % 4 == 0 else "immunosuppression"
        agent = ("pembrolizumab", "prednisone", "mycophenolate mofetil", "tofacitinib")[i % 4]
        first = start + timedelta(days=i * 36)
        line = TreatmentLine(
            patient_id=patient_id,
            category=category,
            agent=agent,
            dose=60.0,
            dose_unit="mg",
            frequency="once daily",
            route="PO",
            start_date=first,
            stop_date=first + timedelta(days=30),
            indication="hepatitis",
            reason_stopped="course complete",
        )
        for k in range(4):
            line.dose_steps.append(
                DoseStep(
                    start_date=first + timedelta(days=7 * k), dose=60.0 - 10 * k, dose_unit="mg"
                )
            )
        out.append(line)
    return out


def build_long_patient(db: Database) -> str:
    with db.write() as s:
        p = Patient(
            mrn="BENCH-LONG",
            name="Long History",
            birth_date=date(1960, 1, 1),
            weight_kg=70.0,
            status="active",
        )
        s.add(p)
        s.flush()
        s.execute(insert(LabResult), _lab_rows(p.id, HISTORY_DAYS))
        s.add_all(_lines(p.id, 20))
        s.add(IrAEEpisode(patient_id=p.id, organ="hepatitis", onset=NOW.date(), grade=3))
        s.add(ConsultNote(patient_id=p.id, author="bench", text="note", plan="Daily LFTs."))
        regrade_patients(s, [p.id])
    return "BENCH-LONG"


def build_ward(db: Database, patients: int) -> None:
    with db.write() as s:
        ids = []
        for i in range(patients):
            p = Patient(
                mrn=f"BENCH-{i:04d}",
                name=f"Patient {i:04d}",
                status="active",
                birth_date=date(1950 + i % 40, 1 + i % 12, 1 + i % 28),
                weight_kg=70.0,
            )
            s.add(p)
            s.flush()
            ids.append(p.id)
            s.execute(insert(LabResult), _lab_rows(p.id, 120, step=10))
            s.add_all(_lines(p.id, 3))
            s.add(IrAEEpisode(patient_id=p.id, organ="hepatitis", onset=NOW.date(), grade=2))
            s.add(
                ConsultNote(
                    patient_id=p.id,
                    author="bench",
                    text="note",
                    plan="Prednisone taper; LFTs twice weekly; review ICI at clinic.",
                )
            )
        regrade_patients(s, ids)


def bare_table_pdf(path: Path, rows: int, cols: int, *, landscape_mode: bool = False) -> None:
    """The baseline: a plain reportlab document holding a table of the same size."""
    st = styles()
    size = landscape(LETTER) if landscape_mode else LETTER
    doc = SimpleDocTemplate(str(path), pagesize=size)
    data = [
        [Paragraph(f"row {r} column {c} value", st["cell"]) for c in range(cols)]
        for r in range(rows)
    ]
    doc.build([Table(data, repeatRows=1)])


def _median(work: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(repeats: int = 3, patients: int = 200) -> dict[str, Any]:
    """Measures each report and its bare baseline in this process; returns table lines."""
    cases: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="irae-bench-reports-") as tmp:
        folder = Path(tmp)
        db = open_database(f"sqlite:///{folder / 'bench.sqlite3'}")
        try:
            mrn = build_long_patient(db)
            out = folder / "summary.pdf"
            write_patient_summary(db, mrn, out, now=NOW, user="bench")  # warm-up: fonts, imports
            for lab_days, label in ((14, "14-day lab table"), (0, "all 730 days listed")):
                pages = write_patient_summary(
                    db, mrn, out, now=NOW, user="bench", lab_days=lab_days
                )
                seconds = _median(
                    lambda d=lab_days: write_patient_summary(
                        db, mrn, out, now=NOW, user="bench", lab_days=d
                    ),
                    repeats,
                )
                rows = (15 if lab_days else HISTORY_DAYS) + 20 + len(ANALYTES)
                base = _median(lambda r=rows: bare_table_pdf(folder / "bare.pdf", r, 6), repeats)
                cases.append(
                    dict(
                        name=f"patient summary, 2 y daily labs, 20 lines ({label})",
                        seconds=seconds,
                        baseline=f"bare reportlab table, {rows} rows",
                        baseline_seconds=base,
                        target="< 2 s",
                        note=f"{pages} pages",
                    )
                )
            build_ward(db, patients)
            listing = folder / "list.pdf"
            pages = write_service_list(db, listing, now=NOW, user="bench")
            seconds = _median(
                lambda: write_service_list(db, listing, now=NOW, user="bench"), repeats
            )
            total = patients + 1
            base = _median(
                lambda: bare_table_pdf(folder / "bare.pdf", total, 8, landscape_mode=True), repeats
            )
            cases.append(
                dict(
                    name=f"service list, {total} active patients",
                    seconds=seconds,
                    baseline=f"bare reportlab table, {total} rows x 8",
                    baseline_seconds=base,
                    target="< 10 s",
                    note=f"{pages} pages",
                )
            )
        finally:
            db.dispose()
    return {"cases": cases}


def _profile(patients: int) -> None:
    import cProfile
    import pstats

    with tempfile.TemporaryDirectory(prefix="irae-bench-reports-") as tmp:
        db = open_database(f"sqlite:///{Path(tmp) / 'p.sqlite3'}")
        mrn = build_long_patient(db)
        build_ward(db, patients)
        out = Path(tmp) / "x.pdf"
        for name, work in (
            ("summary", lambda: write_patient_summary(db, mrn, out, now=NOW, lab_days=0)),
            ("service list", lambda: write_service_list(db, out, now=NOW)),
        ):
            profiler = cProfile.Profile()
            profiler.runcall(work)
            print(f"--- {name}")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)
        db.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--profile", action="store_true", help="print cProfile tables instead")
    args = parser.parse_args(argv)
    if args.profile:
        _profile(args.patients)
        return 0
    for case in run(args.repeats, args.patients)["cases"]:
        ratio = case["seconds"] / case["baseline_seconds"]
        print(
            f"{case['name']}: {case['seconds']:.3f} s vs {case['baseline']} "
            f"{case['baseline_seconds']:.3f} s -> {ratio:.2f}x (target {case['target']}; "
            f"{case['note']})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
