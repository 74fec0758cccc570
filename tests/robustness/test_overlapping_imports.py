"""Two processes import overlapping lab files into one PostgreSQL database at the same moment,
round after round: both complete, nobody sees an error, and every row is stored once.

The two files of a round hold the same patients and the same results, listed in opposite
orders, plus results only one of them has. In odd rounds the patients are already stored: the
two transactions then insert the same results in opposite orders, the classic way to a
deadlock (SQLSTATE 40P01), which the server settles by aborting one of them. In even rounds the
patients are new: both imports add them, and the one that waited is refused by the unique MRN
(23505). Either way the import must run that file's whole batch again (the retry in the log).

Each process is forked once and imports through importers.service.import_files, what the
command line and the import window run; a barrier starts both on each round together.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from irae_desktop.domain.records import PatientRecord
from irae_desktop.importers.service import ImportOptions, import_files
from irae_desktop.store.database import open_database
from irae_desktop.store.patients import create_patient
from tests.robustness.helpers import HEADER, counts_by_prefix, plain_engine

ROUNDS = 20
PATIENTS = 12
SHARED_ROWS = 6  # per patient, in both files
OWN_ROWS = 2  # per patient, in one file only


def _round_files(directory: Path, prefix: str) -> tuple[Path, Path]:
    """Two files over the same patients: shared rows in opposite orders, and rows of their own."""

    def row(p: int, day: int, value: int) -> str:
        return (
            f"{prefix}-{p:02d},Person {prefix} {p},2026-02-{day:02d}T08:00:00Z,ALT,{value},U/L,40\n"
        )

    shared = [row(p, d + 1, 30 + p + d) for p in range(PATIENTS) for d in range(SHARED_ROWS)]
    first_own = [row(p, 20 + d, 100 + p) for p in range(PATIENTS) for d in range(OWN_ROWS)]
    second_own = [row(p, 25 + d, 200 + p) for p in range(PATIENTS) for d in range(OWN_ROWS)]
    first = directory / f"{prefix}-a.csv"
    second = directory / f"{prefix}-b.csv"
    first.write_text(HEADER + "".join(shared + first_own), encoding="utf-8")
    second.write_text(HEADER + "".join(list(reversed(shared)) + second_own), encoding="utf-8")
    return first, second


class _Retries(logging.Handler):
    """Counts the import's "running the whole file again" lines, by the code that caused them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.codes: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "running the whole file again" in record.getMessage():
            self.codes.append(str(record.args[1]) if record.args else "?")  # type: ignore[index]


def _importer(url: str, which: int, rounds: list[tuple[str, str]], start: Any, out: Any) -> None:
    retries = _Retries()
    logging.getLogger("irae_desktop.importers").addHandler(retries)
    db = open_database(url, migrate=False)
    try:
        for files in rounds:
            start.wait(60)
            (summary,) = import_files(db, [files[which]], ImportOptions(user=f"importer{which}"))
            out.put(
                {
                    "file": summary.file,
                    "error": summary.error,
                    "rejected": summary.rejected_count,
                    "read": summary.rows_read,
                    "imported": summary.imported,
                    "duplicates": summary.duplicates,
                    "retries": list(retries.codes),
                }
            )
            retries.codes.clear()
    except Exception as exc:
        out.put({"file": "?", "error": repr(exc)})
    finally:
        db.dispose()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the importers are forked (POSIX)")
def test_two_processes_import_overlapping_files_at_once(pg_url: str, tmp_path: Path) -> None:
    db = open_database(pg_url)  # migrated once, before the race
    try:
        with db.write() as session:
            for r in range(1, ROUNDS, 2):
                for p in range(PATIENTS):
                    record = PatientRecord(mrn=f"OV{r:02d}-{p:02d}", name=f"Person OV{r:02d} {p}")
                    create_patient(session, record, user="setup")
    finally:
        db.dispose()
    rounds = [tuple(str(p) for p in _round_files(tmp_path, f"OV{r:02d}")) for r in range(ROUNDS)]
    ctx = multiprocessing.get_context("fork")
    start, out = ctx.Barrier(2), ctx.Queue()
    workers = [
        ctx.Process(target=_importer, args=(pg_url, which, rounds, start, out)) for which in (0, 1)
    ]
    began = time.monotonic()
    for worker in workers:
        worker.start()
    results = [out.get(timeout=300) for _ in range(2 * ROUNDS)]
    for worker in workers:
        worker.join(timeout=60)
    took = time.monotonic() - began
    codes = Counter(code for r in results for code in r.get("retries", []))
    print(f"\n{ROUNDS} rounds of two overlapping imports in {took:.1f} s; batches run again: ")
    print(dict(codes) or "none")

    problems = [r for r in results if r["error"] or r.get("rejected")]
    assert problems == []
    per_file = SHARED_ROWS * PATIENTS + OWN_ROWS * PATIENTS
    for r in results:
        assert r["read"] == per_file
        assert r["imported"] + r["duplicates"] == per_file  # each row stored or found stored
    # every shared row once, and each file's own rows: per patient 6 + 2 + 2
    expected = {
        f"OV{r:02d}": (PATIENTS, PATIENTS * (SHARED_ROWS + 2 * OWN_ROWS)) for r in range(ROUNDS)
    }
    engine = plain_engine(pg_url)
    try:
        assert counts_by_prefix(engine, list(expected)) == expected
    finally:
        engine.dispose()
