"""Builds a large benchmark database fast: the real schema, then sqlite3 executemany of fake data.

    python benchmarks/make_big_db.py OUT.sqlite3 [--patients 5000] [--results 1000000]

The schema comes from store.database.open_database (all migrations), so the app reads the file
exactly as it would read a real one. Values follow a plausible course: most results normal, some
patients with an immune hepatitis flare that peaks and settles, the larger flares treated with
prednisone, which raises their glucose while they take it. The rows are written without grades and
then graded by the store's own regrade, so every grade, reason and baseline flag is the one the
app would have stored (a non-fasting glucose above the upper limit but not above 250 mg/dL stays
ungraded, as in the app). Every patient is marked synthetic.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from irae_desktop.store.database import open_database
from irae_desktop.store.lab_writer import regrade

HEAVY_MRN = "BENCH-HEAVY"
SOURCE = "benchmark data (synthetic)"
# analyte: (unit, lln, uln, typical value)
PANEL: dict[str, tuple[str, float, float, float]] = {
    "ALT": ("U/L", 7.0, 40.0, 24.0),
    "AST": ("U/L", 10.0, 40.0, 26.0),
    "TBILI": ("mg/dL", 0.1, 1.2, 0.6),
    "ALP": ("U/L", 40.0, 120.0, 80.0),
    "GLUCOSE": ("mg/dL", 70.0, 140.0, 105.0),
}
# a flare peaking at this multiple of the usual ALT or more is treated with prednisone from its
# peak for six weeks; glucose runs about this much higher while the patient takes it
STEROID_PEAK = 8.0
STEROID_DAYS = 42
STEROID_GLUCOSE = 1.6
AGENTS = ("pembrolizumab", "nivolumab", "atezolizumab", "durvalumab", "ipilimumab + nivolumab")
DIAGNOSES = ("melanoma", "NSCLC", "renal cell carcinoma", "urothelial carcinoma", "HCC", "HNSCC")
GIVEN = ("Alex", "Sam", "Robin", "Kim", "Jo", "Chris", "Maria", "Ana", "Lee", "Noor", "Ola")
FAMILY = ("Berg", "Novak", "Silva", "Okafor", "Tanaka", "Muller", "Rossi", "Khan", "Dubois")


def _stamp(moment: datetime) -> str:
    # the text form SQLAlchemy's DateTime writes on SQLite for a naive UTC value
    return moment.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def _flare_factor(day: float, onset: float, peak: float) -> float:
    """A hepatitis course: rises over ~10 days to its peak, halves about every 12 days after."""
    if day < onset:
        return 1.0
    if day < onset + 10:
        return 1.0 + (peak - 1.0) * (day - onset) / 10
    return 1.0 + (peak - 1.0) * float(0.5 ** ((day - onset - 10) / 12))


@dataclass(frozen=True, slots=True)
class Course:
    """One patient's liver course in days from the first result; peak 1.0 means no flare."""

    onset: float
    peak: float

    @property
    def steroid_start(self) -> float | None:
        return self.onset + 10 if self.peak >= STEROID_PEAK else None

    def on_steroid(self, day: float) -> bool:
        begin = self.steroid_start
        return begin is not None and begin <= day < begin + STEROID_DAYS


def random_course(rng: random.Random) -> Course:
    flare = rng.random() < 0.25
    onset = rng.uniform(20, 200)
    peak = rng.choice((2.5, 4.0, 8.0, 15.0, 25.0))
    return Course(onset, peak if flare else 1.0)


def lab_rows(
    rng: random.Random,
    patient_id: int,
    count: int,
    start: datetime,
    step_hours: float,
    course: Course,
) -> Iterator[tuple[object, ...]]:
    """`count` results on one patient: panels of the five analytes, one panel per draw, not yet
    graded (the store's regrade grades them once all are written)."""
    draws = -(-count // len(PANEL))
    emitted = 0
    for draw in range(draws):
        at = _stamp(start + timedelta(hours=draw * step_hours, minutes=rng.randint(0, 59)))
        day = draw * step_hours / 24
        factor = _flare_factor(day, course.onset, course.peak)
        for analyte, (unit, lln, uln, typical) in PANEL.items():
            if emitted == count:
                return
            value = typical * rng.lognormvariate(0.0, 0.18)
            if analyte in ("ALT", "AST"):
                value *= factor
            elif analyte == "TBILI" and factor > 5:
                value *= factor / 4
            elif analyte == "GLUCOSE" and course.on_steroid(day):
                value *= STEROID_GLUCOSE
            value = round(value, 1 if analyte != "TBILI" else 2)
            flag = "H" if value > uln else ("L" if value < lln else None)
            emitted += 1
            yield (
                patient_id,
                analyte,
                at,
                value,
                "",
                unit,
                f"{value:g}",
                unit,
                lln,
                uln,
                flag,
                "final",
                None,
                None,
                None,
                0,
                1,
                SOURCE,
                f"{patient_id}:{draw}:{analyte}",
                1,
            )


LAB_COLUMNS = (
    "patient_id, analyte, collected_at, value, comparator, unit, original_text, original_unit, "
    "lln, uln, abnormal_flag, status, grade, grade_criteria, grade_reason, is_baseline, "
    "batch_id, source_file, source_ref, version"
)


def _patient_row(rng: random.Random, pid: int, mrn: str, now: datetime) -> tuple[object, ...]:
    birth = date(1940, 1, 1) + timedelta(days=rng.randint(0, 365 * 50))
    name = f"{rng.choice(FAMILY)}, {rng.choice(GIVEN)} {pid}"
    return (
        pid,
        mrn,
        name,
        birth.isoformat(),
        rng.choice("FM"),
        round(rng.uniform(48, 110), 1),
        rng.choice(DIAGNOSES),
        "active" if rng.random() < 0.9 else "signed_off",
        1,
        _stamp(now),
        _stamp(now),
        1,
    )


def build_big_db(
    path: Path, *, patients: int = 5000, results: int = 1_000_000, heavy: int = 5000, seed: int = 7
) -> dict[str, object]:
    """Creates `path` with `patients` patients sharing `results` results, plus one patient
    (MRN BENCH-HEAVY) with `heavy` results of their own. Returns counts and the heavy patient id."""
    if path.exists():
        raise FileExistsError(f"{path} exists; choose a new file")
    started = time.perf_counter()
    db = open_database(f"sqlite:///{path}")
    db.dispose()
    rng = random.Random(seed)
    now = datetime.now(UTC)
    # the first result about 40 weeks ago, so the latest ones are recent as on a live service
    first = now - timedelta(days=280)
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=OFF")
        # building the secondary indexes once at the end is several times faster than keeping
        # them up to date row by row; the unique identity index cannot be dropped and stays
        index_sql = [
            sql
            for (sql,) in conn.execute(
                "SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name='lab_results' "
                "AND sql IS NOT NULL"
            )
        ]
        index_names = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='lab_results' "
                "AND sql IS NOT NULL"
            )
        ]
        with conn:
            for name in index_names:
                conn.execute(f'DROP INDEX "{name}"')
            conn.execute(
                "INSERT INTO import_batches (id, file_name, format, timezone, imported_by, "
                "started_at, rows_read, imported, duplicates, corrected, rejected, unmatched) "
                "VALUES (1, ?, 'csv', 'UTC', 'benchmark', ?, ?, ?, 0, 0, 0, 0)",
                (SOURCE, _stamp(now), results + heavy, results + heavy),
            )
            mrns = [f"BENCH-{i:06d}" for i in range(1, patients + 1)]
            if heavy:
                mrns.append(HEAVY_MRN)
            conn.executemany(
                "INSERT INTO patients (id, mrn, name, birth_date, sex, weight_kg, diagnosis, "
                "status, is_synthetic, created_at, updated_at, version) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [_patient_row(rng, i, mrn, now) for i, mrn in enumerate(mrns, start=1)],
            )
            conn.executemany(
                "INSERT INTO treatment_lines (patient_id, category, agent, dose, dose_unit, "
                "frequency, route, start_date, stop_date, indication, version) "
                "VALUES (?, 'ici', ?, 200, 'mg', 'q3w', 'IV', ?, ?, 'cancer', 1)",
                [
                    (
                        pid,
                        rng.choice(AGENTS),
                        (first.date() - timedelta(days=rng.randint(0, 60))).isoformat(),
                        None
                        if rng.random() < 0.8
                        else (first.date() + timedelta(days=200)).isoformat(),
                    )
                    for pid in range(1, len(mrns) + 1)
                ],
            )
            per_patient, extra = divmod(results, patients) if patients else (0, 0)
            insert = f"INSERT INTO lab_results ({LAB_COLUMNS}) VALUES ({', '.join('?' * 20)})"
            courses: dict[int, Course] = {}
            for pid in range(1, patients + 1):
                count = per_patient + (1 if pid <= extra else 0)
                courses[pid] = random_course(rng)
                rows = lab_rows(rng, pid, count, first, 24 * 7, courses[pid])
                conn.executemany(insert, rows)
            if heavy:
                courses[len(mrns)] = random_course(rng)
                rows = lab_rows(rng, len(mrns), heavy, first, 6, courses[len(mrns)])
                conn.executemany(insert, rows)
            conn.executemany(
                "INSERT INTO treatment_lines (patient_id, category, agent, dose, dose_unit, "
                "frequency, route, start_date, stop_date, indication, version) "
                "VALUES (?, 'immunosuppression', 'prednisone', 60, 'mg', 'once daily', 'PO', "
                "?, ?, 'immune-related hepatitis', 1)",
                [
                    (
                        pid,
                        (first + timedelta(days=begin)).date().isoformat(),
                        (first + timedelta(days=begin + STEROID_DAYS - 1)).date().isoformat(),
                    )
                    for pid, course in courses.items()
                    if (begin := course.steroid_start) is not None
                ],
            )
            # the treated flares are recorded as hepatitis episodes from the flare's onset,
            # so the outcomes view has a cohort: one prednisone line per patient
            conn.executemany(
                "INSERT INTO irae_episodes (patient_id, organ, onset, status, version) "
                "VALUES (?, 'hepatitis', ?, 'improving', 1)",
                [
                    (pid, (first + timedelta(days=course.onset)).date().isoformat())
                    for pid, course in courses.items()
                    if course.steroid_start is not None
                ],
            )
            for sql in index_sql:
                conn.execute(sql)
        conn.execute("ANALYZE")
    finally:
        conn.close()
    # the rows above bypass the store: its own regrade grades them (and builds the lab
    # summaries), so the grades are exactly those the app would have stored on import
    db = open_database(f"sqlite:///{path}")
    try:
        with db.write() as session:
            regrade(session, list(range(1, len(mrns) + 1)))
    finally:
        db.dispose()
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return {
        "path": str(path),
        "patients": len(mrns),
        "results": results + heavy,
        "heavy_patient_id": len(mrns) if heavy else None,
        "heavy_mrn": HEAVY_MRN if heavy else None,
        "seconds": time.perf_counter() - started,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the new SQLite file")
    parser.add_argument("--patients", type=int, default=5000)
    parser.add_argument("--results", type=int, default=1_000_000)
    parser.add_argument("--heavy", type=int, default=5000, help="results of the one big patient")
    args = parser.parse_args(argv)
    info = build_big_db(args.out, patients=args.patients, results=args.results, heavy=args.heavy)
    print(
        f"{info['path']}: {info['patients']} patients, {info['results']} results "
        f"in {info['seconds']:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
