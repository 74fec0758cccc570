"""File > Print / Save summary as PDF / Service list PDF / Backup: file choice, worker, outcome."""

from __future__ import annotations

import importlib
import logging
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QWidget

from irae_desktop.store.database import Database
from irae_desktop.store.models import Patient
from irae_desktop.ui.errors import show_error
from irae_desktop.ui.workers import DelayedProgress, Job, run_function

log = logging.getLogger(__name__)


def ask_save_path(parent: QWidget, title: str, suggested: str, filters: str) -> Path | None:
    """The save dialog; a separate function so tests can answer it."""
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / suggested), filters)
    return Path(path) if path else None


def qt_pdf_available() -> bool:
    try:
        importlib.import_module("PySide6.QtPdf")
    except ImportError:
        return False
    return True


def _status(parent: QWidget, text: str) -> None:
    if isinstance(parent, QMainWindow):
        parent.statusBar().showMessage(text, 10000)


def _run(parent: QWidget, title: str, fn: Callable[[], Any], done: Callable[[Any], None]) -> Job:
    def failed(exc: BaseException) -> None:
        show_error(parent, exc, action=title.lower())

    job = run_function(fn, title=title, on_success=done, on_failure=failed, parent=parent)
    DelayedProgress(job, parent, cancellable=False)
    return job


def _patient_file_stem(db: Database, patient_id: int) -> str:
    with db.read() as session:
        p = session.get(Patient, patient_id)
        mrn = p.mrn if p is not None else str(patient_id)
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in mrn)
    return f"summary-{safe}-{datetime.now():%Y%m%d}.pdf"


def write_summary(db: Database, patient_id: int, path: Path) -> int:
    from irae_desktop.reports.patient_summary import write_patient_summary

    return int(write_patient_summary(db, patient_id, path) or 0)


def write_service_list(db: Database, path: Path) -> int:
    from irae_desktop.reports.service_list import write_service_list as write

    return int(write(db, path) or 0)


def save_patient_summary(
    parent: QWidget, db: Database, patient_id: int, then: Callable[[Path], None] | None = None
) -> Job | None:
    path = ask_save_path(
        parent, "Save summary as PDF", _patient_file_stem(db, patient_id), "PDF (*.pdf)"
    )
    if path is None:
        return None

    def done(pages: Any) -> None:
        _status(parent, f"Summary saved to {path} ({pages} pages).")
        if then is not None:
            then(path)

    return _run(parent, "Save summary", lambda: write_summary(db, patient_id, path), done)


def save_service_list(parent: QWidget, db: Database) -> Job | None:
    path = ask_save_path(
        parent, "Service list PDF", f"service-list-{datetime.now():%Y%m%d}.pdf", "PDF (*.pdf)"
    )
    if path is None:
        return None
    return _run(
        parent,
        "Write service list",
        lambda: write_service_list(db, path),
        lambda pages: _status(parent, f"Service list saved to {path} ({pages} pages)."),
    )


def print_patient_summary(parent: QWidget, db: Database, patient_id: int) -> Any:
    """Prints through the system print dialog when Qt's PDF module is present; otherwise says so
    and offers to save the PDF and open it in the PDF viewer, which prints it."""
    if qt_pdf_available():
        target = Path(tempfile.mkdtemp(prefix="irae-print-")) / "summary.pdf"
        return _run(
            parent,
            "Prepare summary",
            lambda: write_summary(db, patient_id, target),
            lambda _pages: _print_pdf(parent, target),
        )
    box = QMessageBox(
        QMessageBox.Icon.Information,
        "Print summary",
        "Direct printing needs the Qt PDF module, which this installation does not "
        "include. Save the summary as PDF; it then opens in your PDF viewer, "
        "where you can print it.",
        QMessageBox.StandardButton.Cancel,
        parent,
    )
    save = box.addButton("Save as PDF…", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(save)

    def open_in_viewer(path: Path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    save.clicked.connect(lambda: save_patient_summary(parent, db, patient_id, then=open_in_viewer))
    box.open()
    return box


def _print_pdf(parent: QWidget, path: Path) -> None:
    from PySide6.QtGui import QPainter
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    document = QPdfDocument(parent)
    document.load(str(path))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return
    painter = QPainter(printer)
    try:
        rect = painter.viewport()
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            image = document.render(page, rect.size())
            painter.drawImage(rect, image)
    finally:
        painter.end()
    _status(parent, f"Sent {document.pageCount()} pages to the printer.")


def backup_database(parent: QWidget, db: Database) -> Job | None:
    path = ask_save_path(
        parent,
        "Backup database",
        f"irae-backup-{datetime.now():%Y%m%d-%H%M}.sqlite3",
        "SQLite database (*.sqlite3);;All files (*)",
    )
    if path is None:
        return None

    def work() -> Any:
        from irae_desktop.store.backup import backup_database as write_backup

        # the save dialog already asked before replacing an existing file
        return write_backup(db, path, overwrite=True)

    return _run(parent, "Backup", work, lambda _r: _status(parent, f"Backup written to {path}."))
