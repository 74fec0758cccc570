"""The import raises the cycle collector's threshold only while it runs, whatever way it ends."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

import irae_desktop.importers.service as service
from irae_desktop.importers.service import ImportOptions, run_import
from tests.importers.helpers import run

LINES = "mrn,patient_name,collected_at,test,value,unit\nG1,Gus Gc,2024-03-01 08:00,ALT,41,U/L\n"


def test_threshold_is_raised_during_an_import_and_restored(db, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "labs.csv"
    path.write_text(LINES, encoding="utf-8")
    before = gc.get_threshold()
    seen: list[int] = []
    real_record = service.record_event

    def spy(session, **event):  # type: ignore[no-untyped-def]
        seen.append(gc.get_threshold()[0])
        return real_record(session, **event)

    # the batch's audit event is written at the end of the file, inside the import
    monkeypatch.setattr(service, "record_event", spy)

    (summary,) = run(db, path)

    assert summary.imported == 1
    assert seen == [max(service.IMPORT_GC_THRESHOLD, before[0])]
    assert gc.get_threshold() == before


def test_threshold_is_restored_after_a_failure_and_after_closing(
    db, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "labs.csv"
    path.write_text(LINES, encoding="utf-8")
    before = gc.get_threshold()

    def broken(session, **event):  # type: ignore[no-untyped-def]
        raise RuntimeError("audit failed")

    monkeypatch.setattr(service, "record_event", broken)
    with pytest.raises(RuntimeError, match="audit failed"):
        run(db, path)
    assert gc.get_threshold() == before
    monkeypatch.undo()
    monkeypatch.setattr(service, "PROGRESS_EVERY", 1)
    path.write_text(LINES + "G1,Gus Gc,2024-03-02 08:00,ALT,42,U/L\n", encoding="utf-8")

    steps = run_import(db, [path], ImportOptions(timezone="UTC"))
    next(steps)
    midway = next(steps)
    assert midway.rows == 1 and midway.summary is None  # suspended inside the file
    assert gc.get_threshold()[0] == max(service.IMPORT_GC_THRESHOLD, before[0])
    steps.close()
    assert gc.get_threshold() == before
