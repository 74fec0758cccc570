"""Lab import throughput: irae-desktop's importer against stdlib csv+sqlite3 and pandas, same run.

Generates a long-layout CSV (default 1,000,000 rows) in a temporary folder, imports it into a
fresh SQLite database, and prints rows per second next to two references measured now:
the stdlib csv module feeding sqlite3 executemany into a table with the same columns, unique
constraint and indexes, and pandas read_csv + to_sql. Peak memory is the process's resident
high-water mark (each contender runs in its own child process so the figures are separate).

    python benchmarks/bench_import.py --rows 100000
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing as mp
import random
import resource
import sqlite3
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

PATIENTS = 1000
TESTS = (
    ("ALT", "U/L", "7-56", 8.0, 400.0),
    ("AST", "U/L", "10-40", 8.0, 300.0),
    ("Total bilirubin", "mg/dL", "0.1-1.2", 0.1, 6.0),
    ("ALP", "U/L", "44-147", 30.0, 600.0),
    ("Glucose", "mmol/L", "3.9-7.8", 3.0, 25.0),
)
HEADER = ["mrn", "patient_name", "dob", "collected_at", "test", "value", "unit", "ref_range"]

# the columns, unique identity and indexes of lab_results as the migrations create them (the
# bench checks this after each run: see _same_shape), without the foreign keys to tables the
# references do not have
REFERENCE_TABLE = """
CREATE TABLE lab_results (
    id INTEGER NOT NULL PRIMARY KEY, patient_id INTEGER NOT NULL, analyte VARCHAR(32) NOT NULL,
    collected_at DATETIME NOT NULL, value FLOAT NOT NULL, comparator VARCHAR(2) NOT NULL,
    unit VARCHAR(32) NOT NULL, original_text VARCHAR(100) NOT NULL,
    original_unit VARCHAR(32) NOT NULL, lln FLOAT, uln FLOAT, abnormal_flag VARCHAR(8),
    status VARCHAR(20) NOT NULL, grade INTEGER, grade_criteria VARCHAR(32),
    grade_reason VARCHAR(300), is_baseline BOOLEAN NOT NULL, batch_id INTEGER,
    source_file VARCHAR(500), source_ref VARCHAR(200), entered_by VARCHAR(120),
    version INTEGER NOT NULL,
    CONSTRAINT uq_identity UNIQUE (patient_id, analyte, collected_at, value, comparator)
);
CREATE INDEX ix_batch ON lab_results (batch_id);
CREATE INDEX ix_corrected ON lab_results (patient_id, analyte, collected_at)
    WHERE status = 'corrected';
"""
REFERENCE_INSERT = (
    "INSERT OR IGNORE INTO lab_results (patient_id, analyte, collected_at, value, comparator,"
    " unit, original_text, original_unit, lln, uln, status, is_baseline, batch_id, source_file,"
    " source_ref, version) VALUES (?,?,?,?,?,?,?,?,?,?,'final',0,1,?,?,1)"
)


def table_shape(
    db_path: str,
) -> tuple[list[tuple[str, str, int]], list[tuple[bool, bool, tuple[str, ...]]]]:
    """lab_results' columns (name, type, not null) and indexes (unique, partial, columns)."""
    conn = sqlite3.connect(db_path)
    try:
        columns = [
            (row[1], row[2].upper(), int(row[3]))
            for row in conn.execute("PRAGMA table_info(lab_results)")
        ]
        indexes = sorted(
            (
                bool(row[2]),
                bool(row[4]),
                tuple(c[2] for c in conn.execute(f"PRAGMA index_info('{row[1]}')")),
            )
            for row in conn.execute("PRAGMA index_list(lab_results)")
        )
    finally:
        conn.close()
    return columns, indexes


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """A long CSV: one result per row, a few panels per patient per day, times naive."""
    rng = random.Random(seed)
    start = datetime(2023, 1, 1, 8, 0)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        written = 0
        draw = 0
        while written < rows:
            patient = draw % PATIENTS
            when = start + timedelta(hours=6 * (draw // PATIENTS), minutes=patient % 60)
            for name, unit, ref, low, high in TESTS:
                if written >= rows:
                    break
                value = round(rng.uniform(low, high), 1)
                writer.writerow(
                    [
                        f"B{patient:06d}",
                        f"Bench Patient{patient}",
                        "1960-01-01",
                        when.strftime("%Y-%m-%d %H:%M"),
                        name,
                        value,
                        unit,
                        ref,
                    ]
                )
                written += 1
            draw += 1


def _cpu_seconds() -> float:
    """CPU time of this process: less disturbed than wall time on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_irae(csv_path: str, db_path: str) -> dict[str, Any]:
    import irae_desktop.importers.service as service
    from irae_desktop.importers.service import ImportOptions, import_files
    from irae_desktop.process_settings import tune_for_bulk_import
    from irae_desktop.store.database import open_database

    # as `irae-desktop import` sets up its process
    tune_for_bulk_import()

    # rows are graded as they are written; this is the regrade of patients whose baseline the
    # file moved (none in this file: its patients are new and have no ICI line)
    regrading = {"seconds": 0.0}
    real_regrade = service.regrade

    def timed_regrade(session: Any, patient_ids: Any) -> bool:
        began = time.perf_counter()
        try:
            return real_regrade(session, patient_ids)
        finally:
            regrading["seconds"] += time.perf_counter() - began

    service.regrade = timed_regrade  # type: ignore[assignment]
    db = open_database(f"sqlite:///{db_path}")
    cpu = _cpu_seconds()
    started = time.perf_counter()
    summary = import_files(db, [csv_path], ImportOptions(timezone="UTC", user="bench"))[0]
    seconds = time.perf_counter() - started
    db.dispose()
    if summary.error:
        raise RuntimeError(summary.error)
    return {
        "seconds": seconds,
        "stored": summary.imported,
        "peak_mb": _peak_mb(),
        "rejected": summary.rejected_count,
        "regrade_seconds": regrading["seconds"],
        "cpu_seconds": _cpu_seconds() - cpu,
    }


def run_stdlib(csv_path: str, db_path: str) -> dict[str, Any]:
    conn = sqlite3.connect(db_path)
    conn.executescript(REFERENCE_TABLE)
    cpu = _cpu_seconds()
    started = time.perf_counter()
    patients: dict[str, int] = {}
    sql = REFERENCE_INSERT
    with open(csv_path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        batch: list[tuple[Any, ...]] = []
        for line, row in enumerate(reader, start=2):
            pid = patients.setdefault(row[0], len(patients) + 1)
            low, high = row[7].split("-")
            batch.append(
                (
                    pid,
                    row[4],
                    row[3],
                    float(row[5]),
                    "",
                    row[6],
                    row[5],
                    row[6],
                    float(low),
                    float(high),
                    csv_path,
                    str(line),
                )
            )
            if len(batch) == 5000:
                conn.executemany(sql, batch)
                batch = []
        conn.executemany(sql, batch)
    conn.commit()
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu
    stored = conn.execute("SELECT count(*) FROM lab_results").fetchone()[0]
    conn.close()
    return {"seconds": seconds, "stored": stored, "peak_mb": _peak_mb(), "cpu_seconds": cpu}


def run_pandas(csv_path: str, db_path: str) -> dict[str, Any]:
    import pandas as pd

    conn = sqlite3.connect(db_path)
    conn.executescript(REFERENCE_TABLE)
    cpu = _cpu_seconds()
    started = time.perf_counter()
    frame = pd.read_csv(csv_path)
    codes = {mrn: i + 1 for i, mrn in enumerate(frame["mrn"].unique())}
    ranges = frame["ref_range"].str.split("-", expand=True).astype(float)
    out = pd.DataFrame(
        {
            "patient_id": frame["mrn"].map(codes),
            "analyte": frame["test"],
            "collected_at": frame["collected_at"],
            "value": frame["value"],
            "comparator": "",
            "unit": frame["unit"],
            "original_text": frame["value"].astype(str),
            "original_unit": frame["unit"],
            "lln": ranges[0],
            "uln": ranges[1],
            "status": "final",
            "is_baseline": 0,
            "batch_id": 1,
            "source_file": csv_path,
            "source_ref": (frame.index + 2).astype(str),
            "version": 1,
        }
    )
    out.to_sql("lab_results", conn, if_exists="append", index=False, chunksize=5000)
    conn.commit()
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu
    stored = conn.execute("SELECT count(*) FROM lab_results").fetchone()[0]
    conn.close()
    return {"seconds": seconds, "stored": stored, "peak_mb": _peak_mb(), "cpu_seconds": cpu}


def _child(target: str, csv_path: str, db_path: str, queue: Any) -> None:
    try:
        queue.put(globals()[target](csv_path, db_path))
    except Exception as exc:  # reported in the parent, which prints the table anyway
        queue.put({"error": repr(exc)})


def _isolated(target: str, csv_path: str, db_path: str) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(target, csv_path, db_path, queue))
    proc.start()
    result: dict[str, Any] = queue.get()
    proc.join()
    return result


CONTENDERS = (("stdlib", "run_stdlib"), ("irae", "run_irae"), ("pandas", "run_pandas"))


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median time (an error if any run failed), with every time beside it."""
    failed = [r for r in runs if "seconds" not in r]
    if failed:
        return failed[0]
    ordered = sorted(runs, key=lambda r: r["seconds"])
    chosen = dict(ordered[len(ordered) // 2])
    chosen["all_seconds"] = [r["seconds"] for r in runs]
    chosen["peak_mb"] = max(r["peak_mb"] for r in runs)
    return chosen


def run(rows: int = 1_000_000, rounds: int = 1) -> dict[str, Any]:
    """Runs the three contenders on the same generated file, `rounds` times in turn (so a
    slow spell of a shared machine falls on all of them); gives each one's median run and the
    ratios of the medians."""
    with tempfile.TemporaryDirectory(prefix="irae-bench-") as tmp:
        folder = Path(tmp)
        csv_path = folder / "labs.csv"
        generate(csv_path, rows)
        results: dict[str, Any] = {"rows": rows, "rounds": rounds}
        results["file_mb"] = csv_path.stat().st_size / 1e6
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in CONTENDERS}
        shapes: dict[str, Any] = {}
        for round_index in range(rounds):
            for name, target in CONTENDERS:
                db_path = folder / f"{name}-{round_index}.sqlite3"
                runs[name].append(_isolated(target, str(csv_path), str(db_path)))
                if "seconds" in runs[name][-1]:
                    shapes[name] = table_shape(str(db_path))
                for leftover in folder.glob(f"{name}-{round_index}.sqlite3*"):
                    leftover.unlink()
        if "irae" in shapes and "stdlib" in shapes:
            # the baseline is only fair if its table is the one the application writes
            results["same_table_shape"] = shapes["stdlib"] == shapes["irae"]
        for name, _ in CONTENDERS:
            figures = _median_run(runs[name])
            if "seconds" in figures:
                figures["rows_per_s"] = rows / figures["seconds"]
            results[name] = figures
    irae = results["irae"].get("rows_per_s")
    for other in ("stdlib", "pandas"):
        theirs = results[other].get("rows_per_s")
        if irae and theirs:
            results[f"irae_vs_{other}"] = irae / theirs
        if results[other].get("cpu_seconds") and results["irae"].get("cpu_seconds"):
            results[f"irae_vs_{other}_cpu"] = (
                results[other]["cpu_seconds"] / results["irae"]["cpu_seconds"]
            )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--rounds", type=int, default=1, help="runs of each contender, in turn; medians shown"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = run(args.rows, max(1, args.rounds))
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(
        f"{results['rows']:,} rows, {results['file_mb']:.1f} MB CSV, "
        f"{results['rounds']} round(s) in turn, median shown"
    )
    for name in ("stdlib", "irae", "pandas"):
        fig = results[name]
        if "error" in fig:
            print(f"  {name:7s} failed: {fig['error']}")
            continue
        print(
            f"  {name:7s} {fig['rows_per_s']:>10,.0f} rows/s  {fig['seconds']:7.1f} s "
            f"(CPU {fig['cpu_seconds']:6.1f} s)  peak {fig['peak_mb']:6.0f} MB  "
            f"stored {fig['stored']:,}"
        )
        if len(fig.get("all_seconds", ())) > 1:
            print("          every run: " + ", ".join(f"{t:.1f} s" for t in fig["all_seconds"]))
    if "regrade_seconds" in results["irae"]:
        print(f"  irae regrade after the write: {results['irae']['regrade_seconds']:.1f} s")
    for other in ("stdlib", "pandas"):
        if f"irae_vs_{other}" in results:
            print(
                f"  irae / {other}: {results[f'irae_vs_{other}']:.2f} by wall time, "
                f"{results.get(f'irae_vs_{other}_cpu', float('nan')):.2f} by CPU time"
            )
    if "same_table_shape" in results:
        verdict = "same" if results["same_table_shape"] else "DIFFERENT (baseline not comparable)"
        print(f"  reference table vs lab_results columns and indexes: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
