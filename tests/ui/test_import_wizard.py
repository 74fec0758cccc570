"""The import wizard driven like a user: detect, preview problems, import, refresh, cancel."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from irae_desktop.importers import service
from irae_desktop.store.database import Database
from irae_desktop.store.models import ImportBatch, LabResult, MappingProfile
from irae_desktop.ui import import_wizard
from irae_desktop.ui.import_wizard import (
    PAGE_PREVIEW,
    PAGE_RUNNING,
    PAGE_SUMMARY,
    ImportWizard,
)
from irae_desktop.ui.main_window import MainWindow
from tests.conftest import FIXTURES, SAMPLES
from tests.ui.conftest import wait_written

BAD_FILE = FIXTURES / "ui" / "labs_with_bad_row.csv"
SYNTHEA = SAMPLES / "synthea" / "observations_v3_labs.csv"


def lab_count(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(LabResult)) or 0)


def problems(wizard: ImportWizard) -> list[tuple[str, str, str]]:
    t = wizard.problems
    return [
        (t.item(r, 1).text(), t.item(r, 2).text(), t.item(r, 3).text()) for r in range(t.rowCount())
    ]


@pytest.fixture
def wizard(qtbot, ui_db: Database) -> ImportWizard:  # type: ignore[no-untyped-def]
    w = ImportWizard(ui_db, [])
    qtbot.addWidget(w)
    w.timezone.setCurrentText("UTC")
    return w


def test_files_show_their_detected_format_and_columns(wizard: ImportWizard) -> None:
    wizard.add_files([BAD_FILE, SYNTHEA, BAD_FILE])  # the same file twice is listed once
    assert wizard.file_list.count() == 2
    assert "CSV, long" in wizard.file_list.item(0).text()
    assert "synthea-observations" in wizard.file_list.item(1).text()
    wizard.file_list.setCurrentRow(0)
    mapping = wizard.mapping.mapping()["columns"]
    assert mapping["mrn"] == "MRN" and mapping["value"] == "Result" and mapping["unit"] == "Unit"


def test_unreadable_file_says_why(wizard: ImportWizard, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    wizard.add_files([empty, tmp_path / "missing.csv"])
    assert "empty" in wizard.file_list.item(0).text()
    assert "no such file" in wizard.file_list.item(1).text()


def test_preview_lists_every_problem_row_then_import_writes_the_good_ones(
    qtbot,
    window: MainWindow,
    ui_db: Database,  # type: ignore[no-untyped-def]
) -> None:
    before = lab_count(ui_db)
    wizard = window.import_files([BAD_FILE])
    wizard.timezone.setCurrentText("UTC")
    with qtbot.waitSignal(wizard.preview_done, timeout=20_000):
        wizard.start_preview()
    assert wizard.pages.currentIndex() == PAGE_PREVIEW
    found = problems(wizard)
    assert (
        "line 5",
        "Result",
        "ALT: result 'not done' is text, not a number; it was not graded",
    ) in found
    assert any(where == "line 6" and "furlongs" in reason for where, _c, reason in found)
    assert "Import 3 results" in wizard.import_button.text()
    assert lab_count(ui_db) == before  # the dry run wrote nothing

    # the worklist refreshes after the import
    with (
        qtbot.waitSignal(window.worklist.loaded, timeout=20_000),
        qtbot.waitSignal(wizard.import_done, timeout=20_000) as done,
    ):
        wizard.start_import()
    assert wizard.pages.currentIndex() == PAGE_SUMMARY
    [summary] = done.args[0]
    assert (summary.imported, summary.rejected_count) == (3, 2)
    # the non-fasting glucose of 8.9 mmol/L, above its ULN of 7.8, is stored without a grade
    # (clinical reference, decision 9), which the summary counts as a warning (decision 12)
    assert wizard.summary_label.text() == (
        "Imported 3 results from 1 file(s) (2 rejected, 1 warning: see below)."
    )
    assert lab_count(ui_db) == before + 3
    assert "Imported 3 results" in window.statusBar().currentMessage()


def test_cancel_in_the_middle_of_a_file_writes_nothing(
    qtbot,
    wizard: ImportWizard,
    ui_db: Database,
    tmp_path: Path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    big = tmp_path / "big.csv"
    start = datetime(2025, 1, 1)
    rows = [
        f"MRN-100,{(start + timedelta(hours=i)):%Y-%m-%d %H:%M},ALT,{30 + i % 50},U/L,7,40"
        for i in range(service.PROGRESS_EVERY + 500)
    ]
    big.write_text(
        "MRN,Collected At,Test Name,Result,Unit,Ref Low,Ref High\n" + "\n".join(rows),
        encoding="utf-8",
    )
    gate = threading.Event()
    real = service.run_import

    def gated(*args, **kwargs) -> Iterator[service.ImportProgress]:  # type: ignore[no-untyped-def]
        # holds the import inside its transaction (after 2,000 rows) until the user has cancelled
        inner = real(*args, **kwargs)
        try:
            for step in inner:
                yield step
                if step.rows and not step.summary:
                    gate.wait(10)
        finally:
            inner.close()

    monkeypatch.setattr(import_wizard, "run_import", gated)
    before = lab_count(ui_db)
    wizard.add_files([big])

    def on_progress(step: service.ImportProgress) -> None:
        if step.rows and not step.summary and not gate.is_set():
            wizard.cancel()
            gate.set()

    wizard.step.connect(on_progress)
    with qtbot.waitSignal(wizard.import_done, timeout=20_000):
        wizard.start_import()
        assert wizard.pages.currentIndex() == PAGE_RUNNING
    assert wizard.summary_label.text() == "Cancelled. Nothing was written from: big.csv."
    assert lab_count(ui_db) == before
    with ui_db.read() as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_edited_mapping_is_saved_as_a_named_profile(  # type: ignore[no-untyped-def]
    qtbot, wizard: ImportWizard, ui_db: Database
) -> None:
    wizard.add_files([BAD_FILE])
    wizard.mapping.set_column("low", "")
    assert wizard.use_mapping.isChecked()  # editing means "use my mapping"
    wizard.profile_name.setText("")
    assert wait_written(qtbot, wizard.save_profile()).error is not None
    assert "needs a name" in wizard.mapping_message.text()
    wizard.profile_name.setText("Main lab export")
    assert wait_written(qtbot, wizard.save_profile()).error is None
    with ui_db.read() as s:
        assert s.scalars(select(MappingProfile.name)).all() == ["Main lab export"]
    assert wizard.profiles.currentText() == "Main lab export"
    assert wizard.options(dry_run=True).mapping == wizard.mapping.mapping()


def test_unknown_time_zone_is_said_before_anything_runs(wizard: ImportWizard, ui_db) -> None:  # type: ignore[no-untyped-def]
    wizard.add_files([BAD_FILE])
    wizard.timezone.setCurrentText("Mars/Olympus_Mons")
    assert wizard.start_preview() is None
    assert "Unknown time zone 'Mars/Olympus_Mons'" in wizard.mapping_message.text()
    assert wizard.pages.currentIndex() == import_wizard.PAGE_FILES


def test_summary_counts_results_stored_without_a_grade_and_says_how_to_fix(
    qtbot,
    window: MainWindow,
    ui_db: Database,  # type: ignore[no-untyped-def]
) -> None:
    # clinical reference, decisions 11 and 12
    wizard = window.import_files([FIXTURES / "import" / "impossible_and_ungraded.csv"])
    wizard.timezone.setCurrentText("UTC")
    with qtbot.waitSignal(wizard.preview_done, timeout=20_000):
        wizard.start_preview()
    found = problems(wizard)
    assert ("line 4", "VALUE", "AST -5 U/L cannot be true: no result is negative") in found
    assert (
        "file",
        "",
        "warning: 1 ALT result(s) stored without a grade (no range): ALT 90 U/L: no ULN "
        "reported and no site default: not graded. To grade them, set your laboratory's "
        "reference ranges in Settings (or with 'irae-desktop ranges import').",
    ) in found
    with qtbot.waitSignal(wizard.import_done, timeout=20_000):
        wizard.start_import()
    assert wizard.summary_label.text() == (
        "Imported 4 results from 1 file(s) (2 rejected, 3 warnings: see below)."
    )
    assert "warning file: 1 ALT result(s) stored without a grade" in (
        wizard.summary_text.toPlainText()
    )


def test_a_lab_file_is_not_taken_for_a_roster_and_the_mapping_is_offered(
    wizard: ImportWizard,
) -> None:
    wizard.add_files([FIXTURES / "import" / "lab_unfamiliar_result_headers.csv"])
    assert "This file was not read as a patient roster" in wizard.file_list.item(0).text()
    wizard.file_list.setCurrentRow(0)
    assert wizard.mapping.isEnabled()


def test_the_summary_accounts_for_every_row(qtbot, wizard: ImportWizard) -> None:  # type: ignore[no-untyped-def]
    wizard.add_files([FIXTURES / "import" / "roster_extra_columns.csv"])
    with qtbot.waitSignal(wizard.import_done, timeout=20_000):
        wizard.start_import()
    assert wizard.pages.currentIndex() == PAGE_SUMMARY
    assert (
        "accounted for: 3 rows read = 0 imported + 3 roster rows taken + 0 skipped + 0 held + "
        "0 rejected + 0 duplicates (1 warning noted separately)"
    ) in wizard.summary_text.toPlainText()
