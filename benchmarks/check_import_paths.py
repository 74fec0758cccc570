"""Checks that the import's bulk path stores what the full per-row path stores, column by column.

Generates the import bench's long CSV, imports it into two fresh SQLite databases, once as the
import runs (rows assembled from parts already seen take the bulk path, importers/long_lane.py)
and once with every row on the full per-row path, then compares lab_results row by row (same
id) in every column, by value and by stored type:

    python benchmarks/check_import_paths.py --rows 200000
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

import bench_import


def import_file(csv_path: Path, db_path: Path, *, bulk: bool) -> dict[str, Any]:
    """Imports `csv_path` as `irae-desktop import` would; with `bulk` false no row's parts are
    remembered, so every row takes the full per-row path."""
    from irae_desktop.importers.long_lane import LongRowLane
    from irae_desktop.importers.service import ImportOptions, import_files
    from irae_desktop.store.database import open_database

    real_learn = LongRowLane._learn
    lanes: list[LongRowLane] = []
    real_init = LongRowLane.__init__

    def counted(self: LongRowLane, *args: Any) -> None:
        real_init(self, *args)
        lanes.append(self)

    LongRowLane.__init__ = counted  # type: ignore[method-assign]
    if not bulk:
        LongRowLane._learn = lambda self, row, outcome: None  # type: ignore[method-assign]
    db = open_database(f"sqlite:///{db_path}")
    try:
        (summary,) = import_files(db, [csv_path], ImportOptions(timezone="UTC", user="bench"))
    finally:
        db.dispose()
        LongRowLane._learn = real_learn  # type: ignore[method-assign]
        LongRowLane.__init__ = real_init  # type: ignore[method-assign]
    if summary.error:
        raise RuntimeError(summary.error)
    return {"imported": summary.imported, "bulk_rows": sum(lane.fast_rows for lane in lanes)}


def differences(bulk_db: Path, full_db: Path) -> dict[str, int]:
    """Per column of lab_results: rows (matched by id) whose value or stored type differ; and
    the rows only one side has, under "missing rows"."""
    conn = sqlite3.connect(bulk_db)
    try:
        conn.execute("ATTACH DATABASE ? AS full", (str(full_db),))
        columns = [row[1] for row in conn.execute("PRAGMA table_info(lab_results)")]
        counts = {
            column: conn.execute(
                f"SELECT count(*) FROM main.lab_results AS b JOIN full.lab_results AS f "
                f"USING (id) WHERE b.{column} IS NOT f.{column} "
                f"OR typeof(b.{column}) != typeof(f.{column})"
            ).fetchone()[0]
            for column in columns
        }
        counts["missing rows"] = conn.execute(
            "SELECT (SELECT count(*) FROM main.lab_results WHERE id NOT IN "
            "(SELECT id FROM full.lab_results)) + (SELECT count(*) FROM full.lab_results "
            "WHERE id NOT IN (SELECT id FROM main.lab_results))"
        ).fetchone()[0]
    finally:
        conn.close()
    return counts


def check(rows: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="irae-paths-") as tmp:
        folder = Path(tmp)
        csv_path = folder / "labs.csv"
        bench_import.generate(csv_path, rows)
        bulk = import_file(csv_path, folder / "bulk.sqlite3", bulk=True)
        full = import_file(csv_path, folder / "full.sqlite3", bulk=False)
        counts = differences(folder / "bulk.sqlite3", folder / "full.sqlite3")
    return {"rows": rows, "bulk": bulk, "full": full, "differences": counts}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args(argv)
    result = check(args.rows)
    bulk, full = result["bulk"], result["full"]
    print(
        f"{args.rows:,} rows: stored {bulk['imported']:,} with the bulk path "
        f"({bulk['bulk_rows']:,} rows assembled there), {full['imported']:,} with every row "
        f"on the full path ({full['bulk_rows']:,} assembled)"
    )
    differing = {k: n for k, n in result["differences"].items() if n}
    if bulk["imported"] == full["imported"] and not differing:
        print("lab_results identical in every column, value and stored type")
        return 0
    print("DIFFERENT: " + ", ".join(f"{k}: {n:,} rows" for k, n in differing.items()))
    return 1


if __name__ == "__main__":
    sys.exit(main())
