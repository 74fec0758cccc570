"""Runs every benchmark and prints one table of ratios against baselines measured in the same run.

    python benchmarks/run_all.py [--quick] [--db BIG.sqlite3] [--markdown]

--quick uses small sizes (a smoke run of a minute or two); the full run builds a 5,000-patient /
1,000,000-result database first (about a minute) unless --db names one made by make_big_db.py.
Each part runs in its own process, so its peak memory is its own (plus the ~20 MB of this
launcher, which Linux counts in a child's high-water mark).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_grade
import bench_outcomes
import bench_patient_open
import bench_startup
from timing import BENCH_DIR, Case, run_child


@dataclass(frozen=True)
class Sizes:
    import_rows: int
    patients: int
    results: int
    heavy: int
    grade_rows: tuple[int, ...]
    repeats: int


FULL = Sizes(1_000_000, 5000, 1_000_000, 5000, (5000, 1_000_000), 5)
QUICK = Sizes(20_000, 200, 20_000, 2000, (2000, 20_000), 3)


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        total_kb = int(Path("/proc/meminfo").read_text(encoding="utf-8").split()[1])
        ram = f"{total_kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    versions = []
    for dist in ("PySide6-Essentials", "pyqtgraph", "SQLAlchemy", "numpy", "reportlab", "pandas"):
        try:
            versions.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{dist} (absent)")
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": ram,
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "libraries": ", ".join(versions),
    }


def _number(data: dict[str, Any], *keys: str) -> float | None:
    for key in keys:
        value = data.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


def cases_from_dict(label: str, data: Any, peak_mb: float | None) -> list[Case]:
    """Turns the dict a part's run() returns into table lines.

    Understands {"cases": [{"name", "seconds", "baseline", "baseline_seconds", "peak_mb",
    "target", "note"}, ...]}; any other dict becomes one line with its numbers in the note."""
    if isinstance(data, dict) and isinstance(data.get("cases"), list):
        out = []
        for item in data["cases"]:
            out.append(
                Case(
                    name=str(item.get("name", label)),
                    seconds=_number(item, "seconds"),
                    baseline=str(item.get("baseline", "")),
                    baseline_seconds=_number(item, "baseline_seconds"),
                    peak_mb=_number(item, "peak_mb") or peak_mb,
                    target=str(item.get("target", "")),
                    note=str(item.get("note", "")),
                )
            )
        return out
    if not isinstance(data, dict):
        return [Case(label, None, note=f"unexpected result: {data!r}"[:120], peak_mb=peak_mb)]
    if isinstance(data.get("irae"), dict):
        return import_cases(label, data)
    seconds = _number(data, "seconds", "app_seconds", "irae_seconds", "time_s")
    baseline_seconds = _number(data, "baseline_seconds", "baseline", "stdlib_seconds")
    note = ", ".join(
        f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}"
        for k, v in data.items()
        if k not in ("seconds", "baseline_seconds")
    )
    return [Case(label, seconds, "baseline", baseline_seconds, peak_mb, note=note[:200])]


def import_cases(label: str, data: dict[str, Any]) -> list[Case]:
    """bench_import.run() gives {"irae": {...}, "stdlib": {...}, "pandas": {...}} with seconds,
    peak_mb and stored rows for each contender, each measured in its own process."""
    irae = data["irae"]
    seconds = _number(irae, "seconds")
    error = irae.get("error")
    out = []
    for other, target in (
        ("stdlib", "<= 2.0x (speed >= 0.5x), peak < 300 MB"),
        ("pandas", "< 1.0x (faster than pandas)"),
    ):
        found = data.get(other)
        theirs: dict[str, Any] = found if isinstance(found, dict) else {}
        note = f"failed: {error}"[:120] if error else f"stored {irae.get('stored')}"
        if theirs.get("error"):
            note += f"; {other} failed: {theirs['error']}"[:100]
        elif theirs:
            note += f"; {other} peak {theirs.get('peak_mb', 0):.0f} MB"
        out.append(
            Case(
                name=f"{label} vs {other}",
                seconds=None if error else seconds,
                baseline="csv + sqlite3 executemany" if other == "stdlib" else "pandas + to_sql",
                baseline_seconds=_number(theirs, "seconds"),
                peak_mb=_number(irae, "peak_mb"),
                target=target,
                note=note,
            )
        )
    return out


def run_external(module: str, call: str, label: str) -> list[Case]:
    """Runs another owner's bench module in a fresh process; a missing module is reported."""
    if not (BENCH_DIR / f"{module}.py").exists():
        return [Case(label, None, note=f"not measured: benchmarks/{module}.py is not there yet")]
    code = f"import json, {module}\nprint('RESULT ' + json.dumps({module}.{call}, default=str))"
    child = run_child([sys.executable, "-c", code], timeout=1800)
    if child.returncode != 0:
        tail = (child.stderr.strip().splitlines() or ["no output"])[-1]
        return [Case(label, None, note=f"failed: {tail[:120]}", peak_mb=child.peak_mb)]
    lines = [ln for ln in child.stdout.splitlines() if ln.startswith("RESULT ")]
    if not lines:
        return [Case(label, None, note="no RESULT line printed", peak_mb=child.peak_mb)]
    return cases_from_dict(label, json.loads(lines[-1].removeprefix("RESULT ")), child.peak_mb)


def _guard(label: str, part: Callable[[], list[Case]]) -> list[Case]:
    try:
        return part()
    except Exception as exc:  # one broken part must not hide the others
        traceback.print_exc(file=sys.stderr)
        return [Case(label, None, note=f"failed: {exc}"[:140])]


def _fmt(value: float | None, spec: str = ".3f") -> str:
    return "-" if value is None else format(value, spec)


def render_table(cases: list[Case], *, markdown: bool = False) -> str:
    header = ("task", "time s", "baseline", "baseline s", "ratio", "peak MB", "target", "note")
    rows = [
        (
            c.name,
            _fmt(c.seconds),
            c.baseline,
            _fmt(c.baseline_seconds),
            "-" if c.ratio is None else f"{c.ratio:.2f}x",
            _fmt(c.peak_mb, ".0f"),
            c.target,
            c.note,
        )
        for c in cases
    ]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    widths[-1] = 0  # the note runs on

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=False)).rstrip()

    return "\n".join([line(header), line(tuple("-" * w for w in widths))] + [line(r) for r in rows])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="run all benchmarks")
    parser.add_argument("--quick", action="store_true", help="small sizes, a smoke run")
    parser.add_argument("--db", type=Path, help="reuse a database made by make_big_db.py")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=("import", "startup", "patient", "reports", "grade", "outcomes"),
        help="run only these parts",
    )
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    parts = set(args.only or ("import", "startup", "patient", "reports", "grade", "outcomes"))
    info = machine()
    print("machine: " + "; ".join(f"{k} {v}" for k, v in info.items()), flush=True)
    cases: list[Case] = []
    with tempfile.TemporaryDirectory(prefix="irae-bench-") as tmp:
        db_path = args.db
        if db_path is None and parts & {"startup", "patient", "outcomes"}:
            db_path = Path(tmp) / "big.sqlite3"
            # built by a child process: this one stays small, so the children it starts do not
            # inherit a large memory high-water mark (Linux carries it across fork and exec)
            built = run_child(
                [
                    sys.executable,
                    str(BENCH_DIR / "make_big_db.py"),
                    str(db_path),
                    f"--patients={sizes.patients}",
                    f"--results={sizes.results}",
                    f"--heavy={sizes.heavy}",
                ],
                timeout=1800,
            ).check("building the benchmark database")
            print("built " + built.stdout.strip(), flush=True)
        if "import" in parts:
            label = f"import {sizes.import_rows:,} long-CSV rows"
            cases += _guard(
                label, lambda: run_external("bench_import", f"run({sizes.import_rows})", label)
            )
        if "startup" in parts and db_path is not None:
            cases += _guard("cold start", lambda: bench_startup.run(db_path, sizes.repeats))
        if "patient" in parts and db_path is not None:
            cases += _guard("patient open", lambda: bench_patient_open.run(db_path, sizes.repeats))
        if "outcomes" in parts and db_path is not None:
            cases += _guard("outcomes", lambda: bench_outcomes.run(db_path))
        if "reports" in parts:
            cases += _guard("reports", lambda: run_external("bench_reports", "run()", "reports"))
        if "grade" in parts:
            cases += _guard("grade", lambda: bench_grade.run(sizes.grade_rows))
    print()
    print(render_table(cases, markdown=args.markdown))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
