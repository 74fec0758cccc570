"""The import wizard takes a file of infection screening results as the command line does."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from irae_desktop.store.database import Database
from irae_desktop.store.patients import get_by_mrn
from irae_desktop.store.screenings import list_screenings
from irae_desktop.ui.import_wizard import PAGE_PREVIEW, PAGE_SUMMARY, ImportWizard


def test_a_screening_file_is_detected_previewed_and_imported(
    qtbot,
    ui_db: Database,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / "serology.csv"
    path.write_text(
        "MRN,Test,Date,Result\nMRN-300,HBsAg,2025-02-01,non-reactive\n"
        "MRN-300,anti-HBc,2025-02-01,weak\n",
        encoding="utf-8",
    )
    wizard = ImportWizard(ui_db, [])
    qtbot.addWidget(wizard)
    wizard.timezone.setCurrentText("UTC")
    wizard.add_files([path])
    assert "CSV, infection screening" in wizard.file_list.item(0).text()

    with qtbot.waitSignal(wizard.preview_done, timeout=20_000):
        wizard.start_preview()
    assert wizard.pages.currentIndex() == PAGE_PREVIEW
    with qtbot.waitSignal(wizard.import_done, timeout=20_000) as done:
        wizard.start_import()

    assert wizard.pages.currentIndex() == PAGE_SUMMARY
    [summary] = done.args[0]
    assert (summary.layout, summary.imported, summary.rejected_count) == (
        "infection screening",
        1,
        1,
    )
    with ui_db.read() as s:
        patient = get_by_mrn(s, "MRN-300")
        assert patient is not None
        stored = [(r.test, r.taken_on, r.result) for r in list_screenings(s, patient.id)]
    assert stored == [("hbsag", date(2025, 2, 1), "negative")]
