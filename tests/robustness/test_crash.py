"""An import killed (SIGKILL) at random moments leaves a sound database with whole batches only."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

import pytest

from irae_desktop.importers.service import ImportOptions, import_files
from irae_desktop.store.database import open_database
from irae_desktop.store.integrity import check_file
from tests.robustness.helpers import counts_by_prefix, plain_engine, write_lab_csv

KILLS = 24
PATIENTS, ROWS_EACH = 40, 25  # 1,000 results per batch


def _import(url: str, path: str) -> None:
    db = open_database(url)
    (summary,) = import_files(db, [path], ImportOptions(user="crash-test"))
    db.dispose()
    os._exit(0 if summary.imported == PATIENTS * ROWS_EACH else 3)


def _run(
    ctx: multiprocessing.context.BaseContext, url: str, path: Path, kill_after: float | None
) -> int | None:
    proc = ctx.Process(target=_import, args=(url, str(path)))  # type: ignore[attr-defined]
    proc.start()
    if kill_after is not None:
        proc.join(kill_after)
        if proc.is_alive():
            os.kill(proc.pid, signal.SIGKILL)
    proc.join(60)
    return proc.exitcode


def _check(url: str, db_file: Path | None, prefixes: list[str]) -> dict[str, tuple[int, int]]:
    if db_file is not None:
        report = check_file(db_file)
        assert report.ok, report.problems
    engine = plain_engine(url)
    try:
        counts = counts_by_prefix(engine, prefixes)
    finally:
        engine.dispose()
    for prefix, found in counts.items():
        assert found in ((0, 0), (PATIENTS, PATIENTS * ROWS_EACH)), (prefix, found)
    return counts


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="the worker processes are forked (POSIX)")
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_killed_imports_leave_whole_batches(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'crash.sqlite3'}"
        db_file: Path | None = tmp_path / "crash.sqlite3"
        kills = KILLS
    else:
        url = str(request.getfixturevalue("pg_url"))
        db_file, kills = None, KILLS // 3
    open_database(url).dispose()
    ctx = multiprocessing.get_context("fork")
    rng = random.Random(7)

    # one uninterrupted import tells how long a batch takes on this machine
    first = tmp_path / "batch-0.csv"
    write_lab_csv(first, "K0", PATIENTS, ROWS_EACH)
    started = time.monotonic()
    assert _run(ctx, url, first, None) == 0
    duration = time.monotonic() - started

    prefixes = ["K0"]
    outcomes = {"killed": 0, "finished": 0}
    for i in range(1, kills + 1):
        prefix = f"K{i}"
        path = tmp_path / f"batch-{i}.csv"
        write_lab_csv(path, prefix, PATIENTS, ROWS_EACH)
        # from the first instants (start-up, opening) to the commit and beyond
        code = _run(ctx, url, path, rng.uniform(0.0, duration * 1.6))
        prefixes.append(prefix)
        outcomes["killed" if code == -signal.SIGKILL else "finished"] += 1
        _check(url, db_file, prefixes)
    counts = _check(url, db_file, prefixes)
    whole = sum(1 for c in counts.values() if c != (0, 0))
    print(f"\n{backend}: {kills} runs, {outcomes}, batch {duration:.2f}s, {whole} whole batches")
    assert counts["K0"] == (PATIENTS, PATIENTS * ROWS_EACH)
    assert outcomes["killed"] >= kills // 3
    # the database still takes a full import after all that: a killed batch comes in whole
    last = f"K{kills}"
    assert _run(ctx, url, tmp_path / f"batch-{kills}.csv", None) in (0, 3)
    assert _check(url, db_file, [last])[last] == (PATIENTS, PATIENTS * ROWS_EACH)
