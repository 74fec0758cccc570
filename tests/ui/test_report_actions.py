"""File menu outputs: summary and service list PDFs, backup, and printing without Qt PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QMessageBox

from irae_desktop.ui import report_actions
from irae_desktop.ui.main_window import MainWindow


@pytest.fixture
def answer_save(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    def choose(name: str) -> Path:
        target = tmp_path / name
        monkeypatch.setattr(report_actions, "ask_save_path", lambda *_a: target)
        return target

    return choose


def test_save_summary_as_pdf_for_the_selected_patient(
    qtbot, window: MainWindow, answer_save
) -> None:  # type: ignore[no-untyped-def]
    target = answer_save("summary.pdf")
    window.worklist.table.selectRow(0)
    window.act_save_pdf.trigger()
    qtbot.waitUntil(lambda: "Summary saved" in window.statusBar().currentMessage(), timeout=30_000)
    reader = PdfReader(str(target))
    assert len(reader.pages) >= 1
    mrn = window.worklist.table.currentIndex().siblingAtColumn(1).data()
    assert mrn in reader.pages[0].extract_text()


def test_service_list_pdf(qtbot, window: MainWindow, answer_save) -> None:  # type: ignore[no-untyped-def]
    target = answer_save("service.pdf")
    window.act_service_list.trigger()
    qtbot.waitUntil(
        lambda: "Service list saved" in window.statusBar().currentMessage(), timeout=30_000
    )
    assert target.read_bytes().startswith(b"%PDF")


def test_backup_writes_a_copy(qtbot, window: MainWindow, answer_save) -> None:  # type: ignore[no-untyped-def]
    target = answer_save("copy.sqlite3")
    window.act_backup.trigger()
    qtbot.waitUntil(lambda: "Backup written" in window.statusBar().currentMessage(), timeout=30_000)
    assert target.read_bytes().startswith(b"SQLite format 3")


def test_cancelled_save_dialog_writes_nothing(window: MainWindow, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(report_actions, "ask_save_path", lambda *_a: None)
    window.worklist.table.selectRow(0)
    assert window.save_summary_pdf() is None
    assert window.service_list_pdf() is None
    assert list(tmp_path.glob("*.pdf")) == []


def test_print_without_qt_pdf_says_so_and_offers_save(
    qtbot, window: MainWindow, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(report_actions, "qt_pdf_available", lambda: False)
    window.worklist.table.selectRow(0)
    box = window.print_summary()
    assert isinstance(box, QMessageBox)
    assert "Qt PDF module" in box.text()
    assert any("Save as PDF" in b.text() for b in box.buttons())
    box.close()


def test_print_with_nothing_selected_asks_for_a_patient(window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(window, "current_patient_id", lambda: None)
    assert window.print_summary() is None
    assert window.statusBar().currentMessage() == "Select a patient first."
