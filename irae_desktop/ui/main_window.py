"""The main window: worklist and patient pages, menus, shortcuts, status bar, remembered layout."""

from __future__ import annotations

import logging
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListView,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from irae_desktop.store.database import Database
from irae_desktop.ui import window_state, workers
from irae_desktop.ui.errors import show_error
from irae_desktop.ui.main_menus import build_menus
from irae_desktop.ui.operations import (
    ALERTS,
    HELD,
    LABS,
    PATIENTS,
    TREATMENTS,
    Change,
    announce,
    change_notice,
)
from irae_desktop.ui.record_forms import record_actions
from irae_desktop.ui.window_helpers import (
    CriteriaStatus,
    count_held,
    criteria_label,
    preload_patient_view,
    settings_keys,
    show_about,
)
from irae_desktop.ui.worklist_delegates import NameDelegate
from irae_desktop.ui.worklist_model import COL_NAME, PATIENT_ID_ROLE
from irae_desktop.ui.worklist_view import WorklistPanel

if TYPE_CHECKING:
    from irae_desktop.ui.held_results import HeldResultsDialog
    from irae_desktop.ui.patient.view import PatientView

log = logging.getLogger(__name__)

PAGE_WORKLIST = 0
PAGE_PATIENT = 1
# the patient view's modules are imported this long after the worklist shows: its first paint
# does not share the interpreter with that import (a patient opened sooner imports it then)
PRELOAD_DELAY_MS = 500


class MainWindow(QMainWindow):
    """Hosts the worklist and the patient view; every command is a menu action with a shortcut."""

    patient_opened = Signal(int)
    held_count_changed = Signal(int)

    def __init__(
        self, db: Database, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.settings = settings or QSettings()
        self.dialogs: list[QWidget] = []  # open non-modal dialogs, kept referenced
        self.held_dialog: HeldResultsDialog | None = None
        self.held_count = 0
        self.setWindowTitle("irae-desktop")
        self.setAcceptDrops(True)
        window_state.fit_first_size(self)

        self.worklist = WorklistPanel(db, self)
        self.patient_list = QListView(self)
        self.patient_list.setModel(self.worklist.proxy)
        self.patient_list.setModelColumn(COL_NAME)
        self.patient_list.setAccessibleName("Patients")
        self.patient_list.setItemDelegate(NameDelegate(self.patient_list))
        self.patient_list.setUniformItemSizes(True)
        self.patient_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.patient_list.activated.connect(self._open_from_list)
        self.patient_list.clicked.connect(self._open_from_list)
        back = QPushButton("\u2190 &Worklist", self)
        back.setToolTip("Back to the worklist (Esc)")
        back.clicked.connect(self.show_worklist)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(6, 6, 0, 6)
        side_layout.addWidget(back)
        side_layout.addWidget(self.patient_list, 1)
        # the patient view (and pyqtgraph behind it) is built when a patient is first opened,
        # so the worklist appears without waiting for the plotting stack to load
        self._patient_view: PatientView | None = None
        self.patient_host = QWidget(self)
        host_layout = QVBoxLayout(self.patient_host)
        host_layout.setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(side)
        self.splitter.addWidget(self.patient_host)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([240, 1160])
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.worklist)
        self.pages.addWidget(self.splitter)
        self.setCentralWidget(self.pages)

        self.db_label = QLabel(self)
        self.criteria_label = CriteriaStatus(self)
        self.count_label = QLabel(self)
        # results on no patient are easy to forget, so their count stays in sight until resolved
        self.held_label = QLabel(self)
        self.held_label.setObjectName("heldNote")
        self.held_label.setToolTip(
            "Lab results and treatment rows for unknown MRNs, waiting to be assigned or dropped"
        )
        self.held_label.linkActivated.connect(lambda _link: self.open_held_results())
        self.held_label.hide()
        bar = self.statusBar()
        bar.addPermanentWidget(self.held_label)
        bar.addPermanentWidget(self.count_label)
        bar.addPermanentWidget(self.criteria_label)
        bar.addPermanentWidget(self.db_label)
        # the criteria label reads the settings: filled in once the worklist is on screen
        self._criteria_shown = False
        self._update_status(with_criteria=False)

        self._build_actions()
        build_menus(self)
        self.update_held_count()
        self.worklist.open_patient.connect(self.open_patient)
        self.worklist.counts_changed.connect(self.count_label.setText)
        self.worklist.loaded.connect(self._on_worklist_loaded)
        # every write from the window (and every import) is announced here once
        change_notice().changed.connect(self._on_change)
        window_state.restore(self.settings, self, self.splitter, self.worklist)
        self._restore_selection: int | None = window_state.last_patient(self.settings)

    # construction ---------------------------------------------------------------------------
    @property
    def patient_view(self) -> PatientView:
        if self._patient_view is None:
            from irae_desktop.ui.patient.view import PatientView

            view = PatientView(self.db, self.patient_host)
            view.print_requested.connect(lambda *_a: self.print_summary())
            view.units_changed.connect(self.criteria_label.show_units)
            layout = self.patient_host.layout()
            assert layout is not None
            layout.addWidget(view)
            self._patient_view = view
        return self._patient_view

    def _open_patient_id(self) -> int | None:
        """The patient shown on the patient page, if one was ever opened."""
        return None if self._patient_view is None else self._patient_view.current_patient_id

    def _action(self, text: str, slot: Any, shortcut: Any = None, *, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, list):
                action.setShortcuts(shortcut)
            else:
                action.setShortcut(shortcut)
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence
        self.act_new_patient = self._action(
            "&New patient…", self.new_patient, key(key.StandardKey.New)
        )
        self.act_import = self._action(
            "&Import lab files…", self.import_files, key("Ctrl+I"), tip="CSV, HL7 v2 or FHIR files"
        )
        self.act_held = self._action(
            "&Held rows…",
            self.open_held_results,
            key("Ctrl+Shift+H"),
            tip="Lab results and treatment rows for unknown MRNs: assign them to a patient or "
            "drop them",
        )
        self.act_print = self._action(
            "&Print summary…", self.print_summary, key(key.StandardKey.Print)
        )
        self.act_save_pdf = self._action(
            "Save summary as P&DF…", self.save_summary_pdf, key("Ctrl+Shift+S")
        )
        self.act_service_list = self._action(
            "Ser&vice list PDF…", self.service_list_pdf, key("Ctrl+Shift+P")
        )
        self.act_backup = self._action("&Backup database…", self.backup_database)
        self.act_settings = self._action("Se&ttings…", self.open_settings, settings_keys())
        self.act_quit = self._action("&Quit", self.close, key(key.StandardKey.Quit))
        self.act_find = self._action("&Find patient", self.find_patient, key(key.StandardKey.Find))
        self.act_refresh = self._action("&Refresh", self.refresh, key(key.StandardKey.Refresh))
        self.act_back = self._action(
            "&Back to worklist", self.show_worklist, [key("Esc"), key("Alt+Left")]
        )
        self.act_edit_patient = self._action("&Edit patient…", self.edit_patient, key("Ctrl+E"))
        self.act_add_lab = self._action("Add &lab result…", self.add_lab, key("Ctrl+L"))
        self.act_add_records = record_actions(self, self._action)
        self.act_audit = self._action("&Audit trail…", self.open_audit)
        outcomes = "irae_desktop.ui.outcomes_window"  # imported when asked for, not at start
        self.act_outcomes = self._action(
            "&Outcomes across patients…", lambda: self._keep(import_module(outcomes).open_for(self))
        )
        self.act_about = self._action("&About irae-desktop", self.about)

    # navigation -----------------------------------------------------------------------------
    def current_patient_id(self) -> int | None:
        if self.pages.currentIndex() == PAGE_PATIENT:
            pid = self._open_patient_id()
            if pid is not None:
                return pid
        return self.worklist.selected_patient_id()

    def open_patient(self, patient_id: int) -> None:
        try:
            self.patient_view.show_patient(patient_id)
        except Exception as exc:
            show_error(self, exc, action="open the patient")
            return
        self.worklist.select_patient(patient_id)
        self._select_in_list(patient_id)
        self.pages.setCurrentIndex(PAGE_PATIENT)
        self._title_for(patient_id)
        self.settings.setValue(window_state.LAST_PATIENT, patient_id)
        self.patient_opened.emit(patient_id)

    def _title_for(self, patient_id: int) -> None:
        row = self.worklist.model.row_for_patient(patient_id)
        if row is None:
            self.setWindowTitle("irae-desktop")
            return
        r = self.worklist.model.row_at(row)
        synthetic = " [SYNTHETIC]" if r.is_synthetic else ""
        self.setWindowTitle(f"{r.name or r.mrn} ({r.mrn}){synthetic} \u2013 irae-desktop")

    def _select_in_list(self, patient_id: int) -> None:
        proxy = self.worklist.proxy
        for row in range(proxy.rowCount()):
            index = proxy.index(row, COL_NAME)
            if index.data(PATIENT_ID_ROLE) == patient_id:
                self.patient_list.setCurrentIndex(index)
                return

    def _open_from_list(self, index: Any) -> None:
        if index.isValid():
            pid = int(index.data(PATIENT_ID_ROLE))
            if pid != self._open_patient_id():
                self.open_patient(pid)

    def show_worklist(self) -> None:
        """Esc / Alt+Left: back from the patient; on the worklist, Esc clears the search."""
        if self.pages.currentIndex() == PAGE_WORKLIST and self.worklist.search.text():
            self.worklist.search.clear()
            return
        if self.pages.currentIndex() != PAGE_WORKLIST:
            self.pages.setCurrentIndex(PAGE_WORKLIST)
            self.setWindowTitle("irae-desktop")
            self.worklist.table.setFocus()

    def find_patient(self) -> None:
        self.show_worklist()
        self.worklist.focus_search()

    def refresh(self) -> None:
        self.worklist.refresh()
        pid = self._open_patient_id()
        if self.pages.currentIndex() == PAGE_PATIENT and pid is not None:
            self.patient_view.show_patient(pid)
        self._update_status()
        self.update_held_count()

    def _on_change(self, change: Change) -> None:
        """Data changed: the worklist, status bar and held count reload (the open patient
        reloads itself from the same notice)."""
        self.worklist.refresh()
        self._update_status()
        self.update_held_count()

    def update_held_count(self) -> None:
        """Counts held results off the GUI thread; the menu and status bar show the number."""
        workers.run_function(
            count_held,
            self.db,
            title="Counting held results",
            on_success=self._set_held_count,
            on_failure=lambda exc: log.warning("held results not counted: %s", type(exc).__name__),
            parent=self,
        )

    def _set_held_count(self, count: int) -> None:
        self.held_count = count
        self.act_held.setText(f"&Held rows ({count})…" if count else "&Held rows…")
        self.held_label.setText(
            f'<a href="held">{count} held row{"" if count == 1 else "s"} to assign</a>'
        )
        self.held_label.setVisible(count > 0)
        self.held_count_changed.emit(count)

    def _on_worklist_loaded(self) -> None:
        if not self._criteria_shown:
            self._criteria_shown = True
            self._update_status()
            QTimer.singleShot(PRELOAD_DELAY_MS, self, preload_patient_view)
        if self._restore_selection is not None:
            self.worklist.select_patient(self._restore_selection)
            self._restore_selection = None

    def _update_status(self, *, with_criteria: bool = True) -> None:
        where = self.db.sqlite_file or self.db.display_name()
        self.db_label.setText(f"Database: {where}")
        self.db_label.setToolTip(self.db.display_name())
        if with_criteria:
            self.criteria_label.show_settings(*criteria_label(self.db))

    def show_message(self, text: str, msecs: int = 8000) -> None:
        self.statusBar().showMessage(text, msecs)

    # commands (dialogs open non-modally and report back through signals) --------------------
    def _keep(self, dialog: QWidget) -> QWidget:
        self.dialogs.append(dialog)
        dialog.destroyed.connect(
            lambda *_a: self.dialogs.remove(dialog) if dialog in self.dialogs else None
        )
        return dialog

    def _need_patient(self) -> int | None:
        pid = self.current_patient_id()
        if pid is None:
            self.show_message("Select a patient first.")
        return pid

    def new_patient(self) -> Any:
        from irae_desktop.ui.patient_dialog import PatientDialog

        dialog = PatientDialog(self.db, parent=self)
        dialog.saved.connect(self._patient_saved)
        dialog.open()
        return self._keep(dialog)

    def edit_patient(self) -> Any:
        pid = self._need_patient()
        if pid is None:
            return None
        from irae_desktop.ui.patient_dialog import PatientDialog

        try:
            dialog = PatientDialog(self.db, pid, parent=self)
        except Exception as exc:
            show_error(self, exc, action="open the patient")
            return None
        dialog.saved.connect(self._patient_saved)
        dialog.open()
        return self._keep(dialog)

    def _patient_saved(self, patient_id: int) -> None:
        self.show_message("Patient saved.")
        self.worklist.refresh(select_patient=patient_id)  # the new one selected
        if self.pages.currentIndex() == PAGE_PATIENT:
            self.open_patient(patient_id)

    def add_lab(self) -> Any:
        pid = self._need_patient()
        if pid is None:
            return None
        from irae_desktop.ui.lab_dialog import LabDialog

        dialog = LabDialog(self.db, pid, parent=self)
        # the status bar never says "graded" for an ungraded result (decision 12)
        dialog.saved.connect(lambda _lab_id: self._data_changed(dialog.result_text))
        dialog.saved.connect(lambda _lab_id: dialog.notify_ungraded(self))
        dialog.open()
        return self._keep(dialog)

    def _data_changed(self, message: str) -> None:
        """After a write: its words in the status bar (the views reload from the notice)."""
        self.show_message(message)

    def import_files(self, files: list[Path] | None = None) -> Any:
        from irae_desktop.ui.import_wizard import ImportWizard

        wizard = ImportWizard(self.db, files or [], parent=self)
        wizard.imported.connect(self._imported)
        wizard.held_requested.connect(self.open_held_kind)
        wizard.open()
        return self._keep(wizard)

    def _imported(self, summary_text: str) -> None:
        self._data_changed(summary_text)
        announce(Change(frozenset({PATIENTS, LABS, ALERTS, TREATMENTS, HELD})))
        if self.held_dialog is not None and self.held_dialog.isVisible():
            self.held_dialog.reload()  # the import may have held more

    def open_held_kind(self, kind: str) -> None:
        """The held-rows window on the tab of `kind` ("labs" or "treatments")."""
        self.open_held_results().show_kind(kind)

    def open_held_results(self) -> HeldResultsDialog:
        """One held-results window, kept when closed: opening it again shows it reloaded."""
        from irae_desktop.ui.held_results import HeldResultsDialog

        dialog = self.held_dialog
        if dialog is None:
            dialog = HeldResultsDialog(self.db, parent=self)
            dialog.changed.connect(self._data_changed)
            self.held_dialog = dialog
        else:
            dialog.reload()  # an import or another workstation may have changed the list
        if dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()
        else:
            dialog.show()
        return dialog

    def open_settings(self) -> Any:
        from irae_desktop.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.db, self.settings, parent=self)
        dialog.applied.connect(lambda: self._data_changed("Settings saved."))
        dialog.open()
        return self._keep(dialog)

    def open_audit(self) -> Any:
        from irae_desktop.ui.audit_dialog import AuditDialog

        dialog = AuditDialog(self.db, patient_id=self.current_patient_id(), parent=self)
        dialog.show()
        return self._keep(dialog)

    def print_summary(self) -> Any:
        pid = self._need_patient()
        if pid is None:
            return None
        from irae_desktop.ui.report_actions import print_patient_summary

        return print_patient_summary(self, self.db, pid)

    def save_summary_pdf(self) -> Any:
        pid = self._need_patient()
        if pid is None:
            return None
        from irae_desktop.ui.report_actions import save_patient_summary

        return save_patient_summary(self, self.db, pid)

    def service_list_pdf(self) -> Any:
        from irae_desktop.ui.report_actions import save_service_list

        return save_service_list(self, self.db)

    def backup_database(self) -> Any:
        from irae_desktop.ui.report_actions import backup_database

        return backup_database(self, self.db)

    def about(self) -> None:
        show_about(self)

    # drag and drop --------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.import_files(files)

    # remembered layout ----------------------------------------------------------------------
    def save_layout(self) -> None:
        window_state.save(
            self.settings, self, self.splitter, self.worklist, self.current_patient_id()
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        running = workers.active_jobs()
        if running:
            # a cancelled import rolls back; other jobs (a PDF, a backup) are let finish
            log.info("closing with %d background job(s) running", len(running))
            self.show_message("Finishing background work…")
            if not workers.shutdown():
                log.warning("background work still running at close")
        super().closeEvent(event)
