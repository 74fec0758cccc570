"""Each benchmark runs end to end at a tiny size and reports a table line (figures not judged)."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path
from typing import Any

import bench_grade
import bench_patient_open
import bench_startup
import run_all
from timing import Case, run_child


def test_child_runs_report_time_memory_and_failures() -> None:
    ok = run_child(["python", "-c", "x = bytearray(60 * 1024 * 1024); print('done')"])
    assert ok.returncode == 0 and ok.stdout.strip() == "done"
    assert ok.peak_mb > 50  # this child's own peak, not the test process's
    bad = run_child(["python", "-c", "import sys; sys.exit('broken input')"])
    assert bad.returncode == 1
    try:
        bad.check("demo")
    except RuntimeError as exc:
        assert "broken input" in str(exc)
    else:
        raise AssertionError("a failed child must raise")


def test_startup_bench_measures_the_bare_window(tiny_db: dict[str, Any]) -> None:
    cases = bench_startup.run(Path(tiny_db["path"]), repeats=1)
    names = [c.name for c in cases]
    assert any(n.startswith("worklist query") for n in names)
    start = next(c for c in cases if c.name.startswith("cold start"))
    assert start.baseline_seconds is not None and start.baseline_seconds > 0
    if bench_startup.app_honours_exit_flag():
        assert start.seconds is not None and start.ratio is not None
    else:
        assert start.seconds is None and "not measured" in start.note


def test_patient_open_bench_picks_the_biggest_patient(tiny_db: dict[str, Any]) -> None:
    patient_id, count = bench_patient_open.heavy_patient(Path(tiny_db["path"]))
    assert (patient_id, count) == (tiny_db["heavy_patient_id"], 120)
    (first, *_rest) = bench_patient_open.run(Path(tiny_db["path"]), repeats=1)
    assert "120 results" in first.name
    if first.seconds is None:
        assert "not measured" in first.note or "failed" in first.note


def test_grade_input_has_the_contract_columns(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    bench_grade.write_input(src, 40)
    with src.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 40
    assert set(bench_grade.COLUMNS) <= set(rows[0])
    assert {r["analyte"] for r in rows} == set(bench_grade.ROWS_SPEC)


def test_grade_bench_runs_both_sides(tmp_path: Path) -> None:
    case = bench_grade.measure(30, tmp_path)
    assert case.baseline_seconds is not None and case.baseline_seconds > 0
    with (tmp_path / "plain-out-30.csv").open(newline="", encoding="utf-8") as f:
        graded = list(csv.DictReader(f))
    assert len(graded) == 30 and all(r["grade"] in "01234" for r in graded)
    if case.seconds is not None:
        assert "OUTPUT HAS" not in case.note, case.note


def test_other_owners_results_become_table_lines() -> None:
    shaped = {"cases": [{"name": "x", "seconds": 2.0, "baseline": "b", "baseline_seconds": 4.0}]}
    (line,) = run_all.cases_from_dict("import", shaped, 12.0)
    assert (line.name, line.ratio, line.peak_mb) == ("x", 0.5, 12.0)
    (loose,) = run_all.cases_from_dict("reports", {"seconds": 1.5, "pages": 3}, None)
    assert loose.seconds == 1.5 and "pages=3" in loose.note
    shaped_like_import = {
        "irae": {"seconds": 3.0, "peak_mb": 150.0, "stored": 10},
        "stdlib": {"seconds": 2.0, "peak_mb": 30.0},
        "pandas": {"error": "ImportError('pandas')"},
    }
    vs_stdlib, vs_pandas = run_all.cases_from_dict("import", shaped_like_import, 400.0)
    assert (vs_stdlib.ratio, vs_stdlib.peak_mb) == (1.5, 150.0)
    assert vs_pandas.ratio is None and "pandas failed" in vs_pandas.note
    (odd,) = run_all.cases_from_dict("reports", [1, 2], None)
    assert odd.seconds is None and "unexpected" in odd.note


def test_missing_part_is_reported_not_fatal() -> None:
    (case,) = run_all.run_external("bench_does_not_exist", "run()", "ghost")
    assert case.seconds is None and "not there yet" in case.note


def test_table_shows_ratio_and_blanks() -> None:
    table = run_all.render_table(
        [Case("fast", 1.0, "base", 2.0, 100.0, "< 1.5x"), Case("absent", None, note="n/a")]
    )
    assert "0.50x" in table and "absent" in table and "n/a" in table
    md = run_all.render_table([Case("fast", 1.0, "base", 2.0)], markdown=True)
    assert md.splitlines()[0].startswith("| task |")


def test_run_all_main_prints_machine_and_table(capsys: Any, monkeypatch: Any) -> None:
    tiny = dataclasses.replace(run_all.QUICK, grade_rows=(20,), repeats=1)
    monkeypatch.setattr(run_all, "QUICK", tiny)
    assert run_all.main(["--quick", "--only", "grade"]) == 0
    out = capsys.readouterr().out
    assert "machine: cpu" in out and "irae-desktop grade, 20 rows" in out
