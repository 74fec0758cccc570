"""Starts the desktop application: Qt setup, theme, logging, database, first-run demo data."""

from __future__ import annotations

import gc
import logging
import os
import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QFontDatabase, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from irae_desktop.process_settings import quick_thread_switch, resume_collector_after_start_up
from irae_desktop.store import paths
from irae_desktop.store.database import Database, open_database
from irae_desktop.store.errors import NewerSchemaError, StoreError
from irae_desktop.ui.errors import install_excepthook, log_bug, plain_message, setup_logging
from irae_desktop.ui.theme import follow_system_scheme

if TYPE_CHECKING:
    from irae_desktop.store.integrity import IntegrityReport
    from irae_desktop.ui.workers import Job

log = logging.getLogger(__name__)

APP_NAME = "irae-desktop"
ORG_NAME = "irae-desktop"
HEALTH_CHECK_DELAY_MS = 3000
# the bundled face for Chinese, Japanese and Korean (the one the PDFs use as well)
CJK_FONT_FILE = "WenQuanYiMicroHei.ttf"
CJK_FAMILY_PROPERTY = "bundledCjkFamily"


def app_icon() -> QIcon:
    """The app icon from resources/icons (every PNG size the build ships), if present."""
    icon = QIcon()
    try:
        icons = resources.files("irae_desktop.resources").joinpath("icons")
        if not icons.is_dir():
            return icon
        for entry in sorted(icons.iterdir(), key=lambda e: e.name):
            if entry.name.startswith("irae-desktop") and entry.name.endswith(".png"):
                icon.addFile(str(entry))
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        pass
    return icon


def register_bundled_fonts() -> str | None:
    """Adds the bundled CJK font to Qt so names such as 张伟 or 김민준 draw on a machine with no
    CJK font of its own (Qt falls back to it per character). Returns its family name, or None
    (logged) when the file is missing or unreadable: the app still starts."""
    try:
        resource = resources.files("irae_desktop.resources").joinpath("fonts", CJK_FONT_FILE)
        data = resource.read_bytes()
    except OSError as exc:
        log.warning("The bundled font %s could not be read (%s)", CJK_FONT_FILE, exc)
        return None
    font_id = QFontDatabase.addApplicationFontFromData(data)
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.warning("Qt did not accept the bundled font %s", CJK_FONT_FILE)
        return None
    return str(families[0])


def make_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, named so QSettings and the desktop entry land where expected."""
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName(ORG_NAME)
    QGuiApplication.setDesktopFileName(APP_NAME)
    existing = QApplication.instance()
    if existing is None:
        # fractional scaling (e.g. 150 %) is drawn as such, not rounded to 100 or 200 %
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setApplicationDisplayName("irae-desktop")
    app.setWindowIcon(app_icon())
    if app.property(CJK_FAMILY_PROPERTY) is None:
        # kept on the application so it is added once however often this is called
        app.setProperty(CJK_FAMILY_PROPERTY, register_bundled_fonts() or "")
    follow_system_scheme(app)
    return app


def open_database_for_gui(db_url: str | None) -> tuple[Database | None, str | None]:
    """Opens the database or returns a plain explanation of why it cannot be opened."""
    try:
        return open_database(db_url), None
    except NewerSchemaError as exc:
        return None, f"{exc}\n\nInstall the newer irae-desktop to open this database."
    except StoreError as exc:
        return None, str(exc)
    except Exception as exc:
        message = plain_message(exc)
        if message is None:
            log_bug(log, "database could not be opened", exc)
            message = f"The database could not be opened ({type(exc).__name__}); see the log."
        return None, message


def is_new_default_database(db_url: str | None) -> bool:
    """True when the app will use the default SQLite file and it does not exist yet."""
    return (
        paths.resolve_db_url(db_url) == paths.default_db_url()
        and not Path(paths.default_db_path()).exists()
    )


def configured_db_url() -> str | None:
    """The location chosen in Settings, unless IRAE_DB_URL says otherwise."""
    from PySide6.QtCore import QSettings

    from irae_desktop.ui.workstation_keys import DB_URL_KEY

    if os.environ.get(paths.DB_URL_ENV, "").strip():
        return None
    value = QSettings().value(DB_URL_KEY, "")
    return str(value) if value else None


def offer_restore(report: IntegrityReport, target: Path | None, parent: QWidget | None) -> bool:
    """Tells the user the database is damaged and offers its latest good backup.

    Returns True when the backup was put in place (the damaged file is kept beside it).
    """
    from irae_desktop.store.integrity import restore_backup

    box = QMessageBox(
        QMessageBox.Icon.Critical, "Database damaged", report.message(), parent=parent
    )
    restore = None
    if report.backup is not None and target is not None:
        restore = box.addButton("Restore the latest backup", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Close", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if restore is None or box.clickedButton() is not restore:
        return False
    assert report.backup is not None and target is not None
    moved = restore_backup(report.backup, target)
    log.warning("damaged database replaced by its latest backup")
    QMessageBox.information(
        parent,
        "Backup restored",
        f"The backup {report.backup.name} is now in place. Changes made after it was taken are "
        f"not in it. The damaged file was kept as {moved}.",
    )
    return True


def restore_if_unopenable(db_url: str | None) -> bool:
    """For a file that would not open: checks it, and offers the backup if it is damaged."""
    from irae_desktop.store.engine import sqlite_path
    from irae_desktop.store.integrity import check_before_open

    report = check_before_open(db_url)
    if report.ok:
        return False
    return offer_restore(report, sqlite_path(paths.resolve_db_url(db_url)), None)


def quit_application() -> None:
    app = QApplication.instance()
    if app is not None:
        app.quit()


def start_health_checks(window: QWidget, db: Database) -> Job:
    """After the worklist is up: the integrity check, then (if the file is sound) the daily backup.

    Both read the whole file, so they run in the background rather than before the window; the
    check stops when its job is cancelled (workers.shutdown on quit), so closing never waits for
    it. If the check had to repair the worklist's lab summary, the worklist is loaded again.
    """
    from irae_desktop.store.integrity import CheckCancelled, check_integrity
    from irae_desktop.ui.workers import CancelledError, run_function

    jobs: list[Job] = []

    def cancelled() -> bool:
        return any(job.is_cancelled() for job in jobs)

    def check() -> IntegrityReport:
        try:
            return check_integrity(db, cancel=cancelled)
        except CheckCancelled:
            raise CancelledError() from None

    def checked(report: IntegrityReport) -> None:
        if report.ok:
            _reload_if_summary_changed(window, report)
            if not db.read_only:
                start_auto_backup(window, db)
            return
        target = db.sqlite_file
        db.dispose()
        if offer_restore(report, target, window):
            QMessageBox.information(
                window, "Restart needed", "irae-desktop will now close; start it again."
            )
        quit_application()

    def failed(exc: BaseException) -> None:
        log_bug(log, "integrity check failed to run", exc)

    job = run_function(
        check, title="Integrity check", parent=window, on_success=checked, on_failure=failed
    )
    jobs.append(job)
    return job


def _reload_if_summary_changed(window: QWidget, report: IntegrityReport) -> None:
    """A repaired (or, read-only, unrepairable) lab summary means the worklist shown may have
    been wrong: load it again, from the results themselves when the summary stays wrong."""
    worklist = getattr(window, "worklist", None)
    if not (report.summary_repaired or report.summary_stale) or worklist is None:
        return
    if report.summary_stale:
        worklist.use_summary = False
    worklist.refresh()
    show = getattr(window, "show_message", None)
    if show is not None:
        show("The worklist was reloaded after a check of its lab summary.", 15000)


def start_auto_backup(window: QWidget, db: Database) -> None:
    """The daily copy of a local database, taken in the background after the window is up."""
    from irae_desktop.store.backup import auto_backup_if_due
    from irae_desktop.ui.workers import run_function

    def failed(exc: BaseException) -> None:
        log_bug(log, "automatic backup failed", exc)

    run_function(auto_backup_if_due, db, title="Automatic backup", parent=window, on_failure=failed)


def run_gui(db_url: str | None = None) -> int:
    """Opens the main window; returns the process exit code."""
    log_path = setup_logging()
    log.info("starting irae-desktop GUI")
    # no QApplication yet: this process is the app's, and ends with it (tests bring their own)
    whole_process = QApplication.instance() is None
    app = make_application()
    install_excepthook()
    db_url = db_url or configured_db_url()
    first_run = is_new_default_database(db_url)
    db, problem = open_database_for_gui(db_url)
    if db is None and restore_if_unopenable(db_url):
        db, problem = open_database_for_gui(db_url)
    if db is None:
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            "Database not available",
            f"{problem}\n\nLog file: {log_path or paths.log_dir()}",
            QMessageBox.StandardButton.Close,
        )
        box.exec()
        return 1
    from irae_desktop.ui.worklist_view import RowsLoader

    # the worklist is read while the rest of the window's modules load and the window is
    # built; a new database gets its demonstration patients first, so there it is read after
    loader = None if first_run else RowsLoader(db)
    from irae_desktop.ui.main_window import MainWindow

    window = MainWindow(db)
    from irae_desktop.ui.access_view import show_access
    from irae_desktop.ui.privacy_screen import install_privacy_screen

    show_access(window)  # who is signed in; a read-only account's write commands greyed out
    install_privacy_screen(window, db)  # owned by the window
    window.show()
    if db.migration_backup is not None:
        window.show_message(
            f"Database upgraded; a copy of the previous version was saved to "
            f"{db.migration_backup}.",
            15000,
        )
    if first_run:
        try:
            from irae_desktop.store.demo import add_demo_if_empty

            added = add_demo_if_empty(db)
        except Exception as exc:
            log.warning("demo patients not added: %s", type(exc).__name__)
            added = []
        if added:
            window.show_message(
                f"New database: added {len(added)} synthetic demonstration "
                "patients (marked SYNTHETIC).",
                20000,
            )
    checks_started = False

    def after_first_load() -> None:
        nonlocal checks_started
        if not checks_started:
            checks_started = True
            # the start is over: the collector, paused by the entry point, runs again
            resume_collector_after_start_up()
            # a moment later: the alert column and the user's first clicks go first
            QTimer.singleShot(
                HEALTH_CHECK_DELAY_MS, window, lambda: start_health_checks(window, db)
            )

    window.worklist.loaded.connect(after_first_load)
    if loader is None:
        QTimer.singleShot(0, window.worklist.refresh)
    else:
        window.worklist.take(loader)
    if whole_process:
        # an import run from the window writes on a second thread (process_settings)
        quick_thread_switch()
        # what exists now (modules, classes, the window) lives as long as the process: the
        # cyclic collector need not walk it again, neither while the app runs nor at exit (a
        # third of a second with SQLAlchemy and Qt loaded)
        gc.freeze()
    code = app.exec()
    resume_collector_after_start_up()  # if the worklist never showed
    # background reads (alert column, integrity check) stop now rather than keep the process
    # alive; an import in progress rolls back, as when the window is closed
    from irae_desktop.ui import workers

    workers.shutdown()
    # the window goes now, on this thread: left to the collector it would stay subscribed to
    # the process-wide change notice, and be freed on whichever thread the collector ran
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    db.dispose()
    return int(code)
