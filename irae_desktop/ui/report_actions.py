"""File > Print / Save summary as PDF / Service list PDF / Backup: file choice, worker, outcome."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMainWindow, QWidget

from irae_desktop.store.database import Database
from irae_desktop.store.patient_read import patient_mrn
from irae_desktop.ui.errors import show_error
from irae_desktop.ui.workers import DelayedProgress, Job, run_function

log = logging.getLogger(__name__)


def ask_save_path(parent: QWidget, title: str, suggested: str, filters: str) -> Path | None:
    """The save dialog; a separate function so tests can answer it."""
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / suggested), filters)
    return Path(path) if path else None


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
        mrn = patient_mrn(session, patient_id) or str(patient_id)
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in mrn)
    return f"summary-{safe}-{datetime.now():%Y%m%d}.pdf"


def write_summary(db: Database, patient_id: int, path: Path) -> int:
    from irae_desktop.reports.patient_summary import write_patient_summary

    return int(write_patient_summary(db, patient_id, path) or 0)


def write_service_list(db: Database, path: Path) -> int:
    from irae_desktop.reports.service_list import write_service_list as write

    return int(write(db, path) or 0)


def _pages(pages: Any) -> str:
    from irae_desktop.reports.formatting import page_count

    return page_count(int(pages or 0))


def save_patient_summary(
    parent: QWidget, db: Database, patient_id: int, then: Callable[[Path], None] | None = None
) -> Job | None:
    path = ask_save_path(
        parent, "Save summary as PDF", _patient_file_stem(db, patient_id), "PDF (*.pdf)"
    )
    if path is None:
        return None

    def done(pages: Any) -> None:
        _status(parent, f"Summary saved to {path} ({_pages(pages)}).")
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
        lambda pages: _status(parent, f"Service list saved to {path} ({_pages(pages)})."),
    )


def print_patient_summary(parent: QWidget, db: Database, patient_id: int) -> Job:
    """Writes the summary in the background, then opens the system print dialog."""
    target = Path(tempfile.mkdtemp(prefix="irae-print-")) / "summary.pdf"
    return _run(
        parent,
        "Prepare summary",
        lambda: write_summary(db, patient_id, target),
        lambda _pages: print_pdf_with_dialog(parent, target),
    )


def printer_for(path: Path) -> Any:
    """A printer set to the paper the PDF was written on, which is the team's paper setting:
    the print dialog then offers Letter or A4 as Settings says, not the system default."""
    import pypdfium2 as pdfium
    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QPageSize
    from PySide6.QtPrintSupport import QPrinter

    document = pdfium.PdfDocument(str(path))
    try:
        width, height = document[0].get_size()
    finally:
        document.close()
    size = QSizeF(width, height)
    known = QPageSize.id(size, QPageSize.Unit.Point, QPageSize.SizeMatchPolicy.FuzzyMatch)
    if known == QPageSize.PageSizeId.Custom:
        page = QPageSize(size, QPageSize.Unit.Point)
    else:
        page = QPageSize(known)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(path.stem)
    printer.setPageSize(page)
    return printer


def print_pdf_with_dialog(parent: QWidget, path: Path) -> None:
    from PySide6.QtPrintSupport import QPrintDialog

    printer = printer_for(path)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return
    pages = send_pdf_to_printer(path, printer)
    _status(parent, f"Sent {pages} pages to the printer.")


def send_pdf_to_printer(path: Path, printer: Any, *, max_dpi: int = 300) -> int:
    """Renders every page of the PDF (PDFium, through pypdfium2) onto the printer's pages.

    The app's Qt package has no PDF module, so pages are drawn as images at the printer's
    resolution (capped at `max_dpi` to bound memory); returns the number of pages printed.
    """
    import pypdfium2 as pdfium
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter

    dpi = min(max(printer.resolution(), 72), max_dpi)
    document = pdfium.PdfDocument(str(path))
    painter = QPainter()
    if not painter.begin(printer):
        document.close()
        raise OSError("The printer could not be opened.")
    count = 0
    try:
        for index in range(len(document)):
            if index:
                printer.newPage()
            bitmap = document[index].render(scale=dpi / 72, rev_byteorder=True)
            image = QImage(
                bitmap.buffer,
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_RGB888,
            ).copy()  # own the pixels before PDFium frees its buffer
            target = painter.viewport()
            fitted = image.scaled(
                target.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            painter.drawImage(target.x(), target.y(), fitted)
            count += 1
    finally:
        painter.end()
        document.close()
    return count


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
