"""Two processes at once: an import runs while two editors save the same patient repeatedly.

Each editor does what the window does: load the patient as the patient form does, think, and
save through the window's own write path, store.concurrency.run_operation with the same store
operations the window hands it (patients.save_patient from the patient form, notes.add_note
from the notes tab); irae_desktop.ui.operations runs exactly that on its worker thread. A
ConcurrentEditError makes the editor reload and try again, as a clinician would. At the end
every increment must be there (no lost update), the trail must hold each one in order, the
import must have written every row, and nobody may have seen any other error.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from irae_desktop.domain.records import PatientRecord
from irae_desktop.store.concurrency import run_operation
from irae_desktop.store.database import open_database
from irae_desktop.store.errors import ConcurrentEditError
from irae_desktop.store.models import AuditEvent, Patient
from irae_desktop.store.notes import add_note, list_notes
from irae_desktop.store.patients import create_patient, save_patient
from irae_desktop.store.treatments import add_line
from tests.robustness.helpers import counts_by_prefix, plain_engine, write_lab_csv

START_WEIGHT = 50.0
STEP = 0.5
MIN_EDITS = 12
MAX_EDITS = 200
# the fields the patient form shows and sends back on save
FORM_FIELDS = ("mrn", "name", "birth_date", "sex", "weight_kg", "diagnosis", "status")


def _editor(url: str, patient_id: int, name: str, done: Any, out: Any) -> None:
    random.seed(name)
    db = open_database(url)
    edits = conflicts = 0
    errors: list[str] = []
    try:
        while edits < MAX_EDITS and (edits < MIN_EDITS or not done.is_set()):
            with db.read() as s:  # what the patient form loads
                p = s.get(Patient, patient_id)
                assert p is not None
                loaded_version = p.version
                form = {field: getattr(p, field) for field in FORM_FIELDS}
            time.sleep(random.uniform(0, 0.01))  # the clinician types
            form["weight_kg"] = (form["weight_kg"] or 0.0) + STEP
            try:
                run_operation(
                    db,
                    lambda s, user, v=loaded_version, f=form: save_patient(
                        s, user, f, patient_id=patient_id, expected_version=v
                    ),
                    name,
                )
                edits += 1
                run_operation(
                    db,
                    lambda s, user, k=edits: add_note(s, user, patient_id, text=f"{name} note {k}"),
                    name,
                )
            except ConcurrentEditError:
                conflicts += 1
                with db.read() as s:  # refused only because someone really saved meanwhile
                    current = s.get(Patient, patient_id)
                    if current is None or current.version == loaded_version:
                        errors.append("conflict reported but nobody else saved")
            except Exception as exc:
                errors.append(repr(exc))
                break
    finally:
        db.dispose()
        out.put({"name": name, "edits": edits, "conflicts": conflicts, "errors": errors})


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the worker processes are forked (POSIX)")
def test_import_and_two_editors_at_once(any_db_url: str, tmp_path: Path) -> None:
    db = open_database(any_db_url)
    with db.write() as s:
        record = PatientRecord(mrn="SHARED-1", name="Shared Patient", birth_date=date(1960, 1, 1))
        patient = create_patient(s, record, user="setup")
        patient.weight_kg = START_WEIGHT
        pid = patient.id
        add_line(s, "setup", pid, category="ici", agent="nivolumab", start_date=date(2026, 1, 2))
    db.dispose()
    files = []
    expected_rows = 0
    for i, prefix in enumerate(("IMPA", "IMPB", "IMPC")):
        path = tmp_path / f"labs-{i}.csv"
        expected_rows += write_lab_csv(path, prefix, patients=25, rows_each=12)
        files.append(str(path))
    shared = tmp_path / "shared.csv"
    # results for the patient being edited, in the same run
    shared.write_text(
        "mrn,collected_at,test,value,unit,uln\n"
        + "".join(
            f"SHARED-1,2026-02-{d:02d}T08:00:00Z,ALT,{40 + d},U/L,40\n" for d in range(1, 21)
        ),
        encoding="utf-8",
    )
    files.append(str(shared))

    ctx = multiprocessing.get_context("fork")
    done, out = ctx.Event(), ctx.Queue()
    env = {**os.environ, "IRAE_DB_URL": any_db_url, "IRAE_USER": "importer"}
    importer = subprocess.Popen(
        [sys.executable, "-m", "irae_desktop", "import", *files, "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        encoding="utf-8",
        errors="replace",
    )
    editors = [
        ctx.Process(target=_editor, args=(any_db_url, pid, n, done, out)) for n in ("alice", "bob")
    ]
    for proc in editors:
        proc.start()
    stdout, stderr = importer.communicate(timeout=240)
    done.set()
    results = [out.get(timeout=120) for _ in editors]
    for proc in editors:
        proc.join(timeout=60)

    assert importer.returncode == 0, stderr
    assert stderr.strip() == ""
    summary = json.loads(stdout)
    assert summary["totals"]["imported"] == expected_rows + 20
    assert summary["totals"]["rejected"] == 0
    for result in results:
        assert result["errors"] == [], result
    total_edits = sum(r["edits"] for r in results)
    conflicts = sum(r["conflicts"] for r in results)
    print(f"\n{total_edits} saved edits, {conflicts} refused as concurrent and redone")
    assert total_edits >= 2 * MIN_EDITS

    db = open_database(any_db_url)
    try:
        with db.read() as s:
            p = s.get(Patient, pid)
            assert p is not None
            # every saved increment is there: nothing was lost
            assert p.weight_kg == START_WEIGHT + STEP * total_edits
            updates = s.scalars(
                select(AuditEvent)
                .where(AuditEvent.patient_id == pid, AuditEvent.action == "update")
                .order_by(AuditEvent.id)
            ).all()
            weights = [json.loads(e.after_json or "{}").get("weight_kg") for e in updates]
            assert weights == [START_WEIGHT + STEP * (k + 1) for k in range(total_edits)]
            assert len(list_notes(s, pid)) == total_edits
    finally:
        db.dispose()
    engine = plain_engine(any_db_url)
    try:
        assert counts_by_prefix(engine, ["IMPA", "IMPB", "IMPC", "SHARED"]) == {
            "IMPA": (25, 300),
            "IMPB": (25, 300),
            "IMPC": (25, 300),
            "SHARED": (1, 20),
        }
    finally:
        engine.dispose()
