"""File menu outputs: summary and service list PDFs, backup, and printing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader

from irae_desktop.ui import report_actions
from irae_desktop.ui.main_window import MainWindow
from tests.reports.pdftext import page_texts, squash


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
    words = "(1 page)." if len(reader.pages) == 1 else f"({len(reader.pages)} pages)."
    assert window.statusBar().currentMessage().endswith(words)


def test_service_list_pdf(qtbot, window: MainWindow, answer_save) -> None:  # type: ignore[no-untyped-def]
    target = answer_save("service.pdf")
    window.act_service_list.trigger()
    qtbot.waitUntil(
        lambda: "Service list saved" in window.statusBar().currentMessage(), timeout=30_000
    )
    text = squash(" ".join(page_texts(target)))
    # the fixture's patients (tests/ui/conftest.py): two active, sickest first, one signed off
    assert "2 active patients" in text
    ada, grace = text.index("Ada Lovelace MRN MRN-100"), text.index("Grace Hopper MRN MRN-200")
    assert ada < grace
    assert "ALT 262 (6.5×) G3" in text[ada:grace]  # 262 U/L over a ULN of 40: >5.0 - 20.0 xULN
    assert "ALT 30 (0.8×) G0" in text[grace:]
    assert "Alan Turing" not in text and "MRN-300" not in text
    # the message counts the pages in words that agree with the count: "1 page", "2 pages"
    count = len(PdfReader(str(target)).pages)
    words = "(1 page)." if count == 1 else f"({count} pages)."
    assert window.statusBar().currentMessage().endswith(words)


def test_backup_writes_a_copy(qtbot, window: MainWindow, answer_save) -> None:  # type: ignore[no-untyped-def]
    target = answer_save("copy.sqlite3")
    window.act_backup.trigger()
    qtbot.waitUntil(lambda: "Backup written" in window.statusBar().currentMessage(), timeout=30_000)
    copy = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        mrns = [row[0] for row in copy.execute("SELECT mrn FROM patients ORDER BY mrn")]
        alt = copy.execute("SELECT value, grade FROM lab_results WHERE analyte = 'ALT'").fetchall()
    finally:
        copy.close()
    assert mrns == ["MRN-100", "MRN-200", "MRN-300"]
    assert sorted(alt) == [(30.0, 0), (262.0, 3)]


def test_cancelled_save_dialog_writes_nothing(window: MainWindow, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(report_actions, "ask_save_path", lambda *_a: None)
    window.worklist.table.selectRow(0)
    assert window.save_summary_pdf() is None
    assert window.service_list_pdf() is None
    assert list(tmp_path.glob("*.pdf")) == []


def test_print_writes_the_summary_then_opens_the_print_dialog(
    qtbot, window: MainWindow, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    printed: list[Path] = []
    monkeypatch.setattr(
        report_actions, "print_pdf_with_dialog", lambda _p, path: printed.append(path)
    )
    window.worklist.table.selectRow(0)
    window.print_summary()
    qtbot.waitUntil(lambda: bool(printed), timeout=30_000)
    mrn = window.worklist.table.currentIndex().siblingAtColumn(1).data()
    assert mrn in PdfReader(str(printed[0])).pages[0].extract_text()


def test_every_page_reaches_the_printer(qapp, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrinter

    window.worklist.table.selectRow(0)
    pid = window.current_patient_id()
    assert pid is not None
    source = tmp_path / "summary.pdf"
    pages = report_actions.write_summary(window.db, pid, source)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    assert report_actions.send_pdf_to_printer(source, printer, max_dpi=100) == pages
    assert len(PdfReader(str(printed)).pages) == pages


def test_print_with_nothing_selected_asks_for_a_patient(window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(window, "current_patient_id", lambda: None)
    assert window.print_summary() is None
    assert window.statusBar().currentMessage() == "Select a patient first."


@pytest.mark.parametrize(
    ("paper", "expected"),
    [("letter", "Letter"), ("a4", "A4")],
)
def test_print_dialog_opens_on_the_paper_of_the_team_setting(
    window: MainWindow, tmp_path: Path, monkeypatch, paper: str, expected: str
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrintDialog

    from irae_desktop.store.settings import set_setting

    with window.db.write() as s:
        set_setting(s, "tester", "paper_size", paper)
    window.worklist.table.selectRow(0)
    pid = window.current_patient_id()
    assert pid is not None
    source = tmp_path / "summary.pdf"
    report_actions.write_summary(window.db, pid, source)
    offered: list[str] = []

    class AnsweredDialog:
        DialogCode = QPrintDialog.DialogCode

        def __init__(self, printer, _parent) -> None:  # type: ignore[no-untyped-def]
            offered.append(printer.pageLayout().pageSize().id().name)

        def exec(self) -> object:
            return QPrintDialog.DialogCode.Rejected

    import PySide6.QtPrintSupport

    monkeypatch.setattr(PySide6.QtPrintSupport, "QPrintDialog", AnsweredDialog)
    report_actions.print_pdf_with_dialog(window, source)
    assert offered == [expected]
