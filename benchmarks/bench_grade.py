"""`irae-desktop grade` on many rows vs a plain Python loop doing the same comparisons.

Both sides run as fresh processes that read the same CSV and write a graded CSV, so both pay for
parsing and writing; the command also pays for its start-up, which is what a user waits for.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import Case, run_child

COLUMNS = ("analyte", "value", "unit", "uln", "lln", "baseline", "baseline_uln", "criteria")
# analyte: (unit, lln, uln, typical value)
ROWS_SPEC = {
    "ALT": ("U/L", 7, 40, 30.0),
    "AST": ("U/L", 10, 40, 30.0),
    "TBILI": ("mg/dL", 0.1, 1.2, 0.8),
    "ALP": ("U/L", 40, 120, 100.0),
    "GGT": ("U/L", 8, 61, 50.0),
}

# The baseline: the same multiples-of-ULN thresholds (baseline normal and abnormal), in a loop.
PLAIN_LOOP = r"""
import csv, sys
CUTS = {"ALT": (1.0, 3.0, 5.0, 20.0), "AST": (1.0, 3.0, 5.0, 20.0),
        "TBILI": (1.0, 1.5, 3.0, 10.0), "ALP": (1.0, 2.5, 5.0, 20.0), "GGT": (1.0, 2.5, 5.0, 20.0)}
BL_CUTS = {"ALT": (1.5, 3.0, 5.0, 20.0), "AST": (1.5, 3.0, 5.0, 20.0),
           "TBILI": (1.0, 1.5, 3.0, 10.0), "ALP": (2.0, 2.5, 5.0, 20.0),
           "GGT": (2.0, 2.5, 5.0, 20.0)}
with open(sys.argv[1], newline="") as f, open(sys.argv[2], "w", newline="") as out:
    reader = csv.DictReader(f)
    writer = csv.DictWriter(out, fieldnames=[*reader.fieldnames, "grade", "reason"])
    writer.writeheader()
    for row in reader:
        text = row["value"]
        comparator = text[0] if text[:1] in "<>" else ""
        value = float(text.lstrip("<>="))
        uln = float(row["uln"])
        baseline, base_uln = row["baseline"], row["baseline_uln"]
        if baseline and base_uln and float(baseline) > float(base_uln):
            ref, cuts, basis = float(baseline), BL_CUTS[row["analyte"]], "xBL"
        else:
            ref, cuts, basis = uln, CUTS[row["analyte"]], "xULN"
        multiple = value / ref
        grade = 0
        for g, cut in enumerate(cuts, start=1):
            if multiple > cut:
                grade = g
        row["grade"] = grade
        row["reason"] = f"{multiple:.2f} {basis}"
        writer.writerow(row)
"""


def write_input(path: Path, rows: int, seed: int = 11) -> None:
    """Liver results with realistic spread: mostly normal, a tail up to grade 4, some censored."""
    rng = random.Random(seed)
    names = list(ROWS_SPEC)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for i in range(rows):
            analyte = names[i % len(names)]
            unit, lln, uln, typical = ROWS_SPEC[analyte]
            value = typical * rng.lognormvariate(0.0, 0.9)
            text = f"{value:.2f}" if rng.random() > 0.01 else f">{value:.0f}"
            abnormal = rng.random() < 0.1
            baseline = f"{uln * rng.uniform(1.1, 2.0):.2f}" if abnormal else f"{typical:.2f}"
            writer.writerow((analyte, text, unit, uln, lln, baseline, uln, "ctcae-5.0"))


def _count_rows(path: Path) -> int:
    with path.open(newline="", encoding="utf-8") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def measure(rows: int, workdir: Path) -> Case:
    src = workdir / f"grade-in-{rows}.csv"
    write_input(src, rows)
    plain_out = workdir / f"plain-out-{rows}.csv"
    app_out = workdir / f"app-out-{rows}.csv"
    plain = run_child(
        [sys.executable, "-c", PLAIN_LOOP, str(src), str(plain_out)], timeout=900
    ).check("plain loop")
    app = run_child(
        [sys.executable, "-m", "irae_desktop", "grade", str(src), "-o", str(app_out)], timeout=900
    )
    name = f"irae-desktop grade, {rows:,} rows"
    if app.returncode not in (0, 1) or not app_out.exists():
        reason = (app.stderr.strip().splitlines() or ["no output"])[-1]
        return Case(
            name,
            None,
            "plain Python loop",
            plain.seconds,
            target="well < 1 s for thousands",
            note=f"not measured: {reason[:90]}",
        )
    graded = _count_rows(app_out)
    note = "" if graded == rows else f"OUTPUT HAS {graded} ROWS FOR {rows} INPUT ROWS"
    return Case(
        name=name,
        seconds=app.seconds,
        baseline="plain Python loop",
        baseline_seconds=plain.seconds,
        peak_mb=app.peak_mb,
        target="well < 1 s for thousands",
        note=note or f"loop peak {plain.peak_mb:.0f} MB",
    )


def run(sizes: tuple[int, ...] = (5000, 1_000_000)) -> list[Case]:
    with tempfile.TemporaryDirectory(prefix="irae-bench-grade-") as tmp:
        return [measure(rows, Path(tmp)) for rows in sizes]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="grade command vs a plain loop")
    parser.add_argument("--rows", type=int, nargs="+", default=[5000, 1_000_000])
    args = parser.parse_args(argv)
    for case in run(tuple(args.rows)):
        ratio = f"{case.ratio:.2f}x" if case.ratio is not None else "-"
        print(
            f"{case.name}: {case.seconds} s vs {case.baseline_seconds:.3f} s -> {ratio} {case.note}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
