"""An import killed (SIGKILL) at any step of its work leaves a sound database, whole batches only.

The import is stopped at chosen steps of its database work (each statement, each commit, each
connection handed back after a commit), not after guessed delays: the child reports reaching its
step and waits there, and only then is it killed, so the same moments are hit on any machine.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import threading
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from irae_desktop.importers.service import ImportOptions, import_files
from irae_desktop.store.database import open_database
from irae_desktop.store.integrity import check_file
from tests.robustness.helpers import counts_by_prefix, plain_engine, write_lab_csv

KILLS = 24
PATIENTS, ROWS_EACH = 40, 25  # 1,000 results per batch
NEVER = 0


def _import(url: str, path: str, stop_at: int, report: Connection) -> None:
    """Imports `path`; at database step `stop_at` it says so and waits to be killed."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from sqlalchemy.pool import Pool

    steps: list[str] = []

    def step(kind: str) -> None:
        steps.append(kind)
        if len(steps) == stop_at:
            report.send(("stopped", steps))
            threading.Event().wait()  # held here until the parent kills this process

    event.listen(Engine, "before_cursor_execute", lambda *_a: step("statement"))
    event.listen(Engine, "commit", lambda *_a: step("commit"))  # before the database commits
    # after a transaction ended and its connection went back to the pool
    event.listen(Pool, "checkin", lambda *_a: step("checkin"))
    db = open_database(url)
    (summary,) = import_files(db, [path], ImportOptions(user="crash-test"))
    db.dispose()
    report.send(("finished", steps))
    os._exit(0 if summary.imported == PATIENTS * ROWS_EACH else 3)


def _run(
    ctx: multiprocessing.context.BaseContext, url: str, path: Path, stop_at: int
) -> tuple[str, list[str], int | None]:
    """(how the child ended its report, the kinds of the steps it took, its exit code)."""
    receive, send = ctx.Pipe(duplex=False)  # type: ignore[attr-defined]
    proc = ctx.Process(target=_import, args=(url, str(path), stop_at, send))  # type: ignore[attr-defined]
    proc.start()
    send.close()
    assert receive.poll(120), "the import neither reached its step nor finished"
    outcome, steps = receive.recv()
    if outcome == "stopped":
        os.kill(proc.pid, signal.SIGKILL)
    proc.join(60)
    return outcome, steps, proc.exitcode


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

    # one uninterrupted import lists the steps of a batch's database work
    first = tmp_path / "batch-0.csv"
    write_lab_csv(first, "K0", PATIENTS, ROWS_EACH)
    outcome, steps, code = _run(ctx, url, first, NEVER)
    assert (outcome, code) == ("finished", 0)
    total = len(steps)
    committed = max(i for i, kind in enumerate(steps, start=1) if kind == "commit")

    # the first step, the batch's commit and the step after it, the last step, then steps
    # spread over the whole run, each nudged at random
    stops = [1, committed, committed + 1, total] + [
        min(total, max(1, round(total * i / (kills - 4)) + rng.randint(-3, 3)))
        for i in range(1, kills - 3)
    ]
    prefixes = ["K0"]
    for i, stop_at in enumerate(stops, start=1):
        prefix = f"K{i}"
        path = tmp_path / f"batch-{i}.csv"
        write_lab_csv(path, prefix, PATIENTS, ROWS_EACH)
        outcome, _steps, code = _run(ctx, url, path, stop_at)
        assert (outcome, code) == ("stopped", -signal.SIGKILL), (stop_at, total)
        prefixes.append(prefix)
        counts = _check(url, db_file, prefixes)
        # killed up to the moment before its commit a batch is absent; after it, whole
        expected = (0, 0) if stop_at <= committed else (PATIENTS, PATIENTS * ROWS_EACH)
        assert counts[prefix] == expected, (stop_at, steps[stop_at - 1], committed)
    print(f"\n{backend}: {len(stops)} kills over {total} steps, commit at step {committed}")
    assert _check(url, db_file, ["K0"])["K0"] == (PATIENTS, PATIENTS * ROWS_EACH)
    # the database still takes a full import after all that
    last = f"K{len(stops) + 1}"
    write_lab_csv(tmp_path / "batch-last.csv", last, PATIENTS, ROWS_EACH)
    assert _run(ctx, url, tmp_path / "batch-last.csv", NEVER)[::2] == ("finished", 0)
    assert _check(url, db_file, [last])[last] == (PATIENTS, PATIENTS * ROWS_EACH)
