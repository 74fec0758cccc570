"""The import wizard takes a file of treatment lines as the command line does."""

from __future__ import annotations

from pathlib import Path

from irae_desktop.store.database import Database
from irae_desktop.store.patients import get_by_mrn
from irae_desktop.store.treatments import list_lines
from irae_desktop.ui.import_wizard import PAGE_PREVIEW, PAGE_SUMMARY, ImportWizard


def test_a_treatment_file_is_detected_previewed_and_imported(
    qtbot,
    ui_db: Database,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / "lines.csv"
    path.write_text(
        "MRN,Drug,Dose,Unit,Start\nMRN-300,Tecentriq,1200,mg,2025-02-01\nMRN-300,Foo,1,mg,2025-02-01\n",
        encoding="utf-8",
    )
    wizard = ImportWizard(ui_db, [])
    qtbot.addWidget(wizard)
    wizard.timezone.setCurrentText("UTC")
    wizard.add_files([path])
    assert "CSV, treatment lines" in wizard.file_list.item(0).text()
    wizard.file_list.setCurrentRow(0)
    assert not wizard.use_mapping.isChecked()

    with qtbot.waitSignal(wizard.preview_done, timeout=20_000):
        wizard.start_preview()
    assert wizard.pages.currentIndex() == PAGE_PREVIEW
    with qtbot.waitSignal(wizard.import_done, timeout=20_000) as done:
        wizard.start_import()

    assert wizard.pages.currentIndex() == PAGE_SUMMARY
    [summary] = done.args[0]
    assert (summary.imported, summary.rejected_count) == (1, 1)
    assert summary.rejected[0].reason == "unknown agent 'Foo': not a drug this program tracks"
    with ui_db.read() as s:
        patient = get_by_mrn(s, "MRN-300")
        assert patient is not None
        lines = [(x.agent, x.category, x.dose) for x in list_lines(s, patient.id)]
    assert ("atezolizumab", "ici", 1200.0) in lines
