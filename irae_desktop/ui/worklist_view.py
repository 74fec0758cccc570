"""The worklist page: search, filters and the sortable patient table, loaded off the GUI thread."""

from __future__ import annotations

import logging

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from irae_desktop.domain.alert_types import AlertSettings
from irae_desktop.store.database import Database
from irae_desktop.store.worklist import WorklistRow, worklist_rows
from irae_desktop.ui.errors import show_error
from irae_desktop.ui.workers import Job, run_function, run_generator
from irae_desktop.ui.worklist_alerts import alert_summaries, team_alert_settings
from irae_desktop.ui.worklist_delegates import GradeChipDelegate, NameDelegate
from irae_desktop.ui.worklist_model import (
    COL_ALERTS,
    COL_DAYS,
    COL_GLUCOSE,
    COL_ICI,
    COL_LAST_LAB,
    COL_LIVER,
    COL_MRN,
    COL_NAME,
    COL_STATUS,
    PATIENT_ID_ROLE,
    WorklistFilter,
    WorklistModel,
)

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 150

DEFAULT_WIDTHS = {
    COL_NAME: 190,
    COL_MRN: 100,
    COL_ICI: 170,
    # room for a grade chip and the start of "· latest ungraded: ..." (decision 12); the whole
    # note is in the cell's tooltip, and every column fits a 1366-pixel screen
    COL_LIVER: 200,
    COL_GLUCOSE: 220,
    COL_ALERTS: 150,
    COL_LAST_LAB: 130,
    COL_DAYS: 88,
    COL_STATUS: 56,
}


def _load_rows(db: Database) -> tuple[list[WorklistRow], AlertSettings]:
    with db.read() as session:
        return worklist_rows(session), team_alert_settings(session)


def _load_rows_from_results(db: Database) -> tuple[list[WorklistRow], AlertSettings]:
    """The same, bypassing the lab summary (after a check found it wrong and could not fix it)."""
    with db.read() as session:
        return worklist_rows(session, from_summary=False), team_alert_settings(session)


class RowsLoader(QObject):
    """Reads the worklist rows in the background and keeps them until a panel takes them, so
    the first read can start as soon as the database is open, while the window is built."""

    ready = Signal()

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.loaded: tuple[list[WorklistRow], AlertSettings] | None = None
        self.error: BaseException | None = None
        self.job = run_function(
            _load_rows,
            db,
            title="Loading worklist",
            on_success=self._succeeded,
            on_failure=self._failed,
            parent=self,
        )

    @property
    def done(self) -> bool:
        return self.loaded is not None or self.error is not None

    def _succeeded(self, loaded: tuple[list[WorklistRow], AlertSettings]) -> None:
        self.loaded = loaded
        self.ready.emit()

    def _failed(self, exc: BaseException) -> None:
        self.error = exc
        self.ready.emit()


class WorklistTable(QTableView):
    """Enter or double-click opens the current patient."""

    open_requested = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._open(self.currentIndex())
            return
        super().keyPressEvent(event)

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(int(index.data(PATIENT_ID_ROLE)))


class SearchBox(QLineEdit):
    """Down arrow moves into the table; Enter opens the first match."""

    to_table = Signal()
    open_first = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.to_table.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_first.emit()
            return
        super().keyPressEvent(event)


class WorklistPanel(QWidget):
    """Shows the service's patients; emits `open_patient(patient_id)`."""

    open_patient = Signal(int)
    loaded = Signal()
    alerts_loaded = Signal()
    counts_changed = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.model = WorklistModel(self)
        self.proxy = WorklistFilter(self)
        self.proxy.setSourceModel(self.model)
        self._rows_job: Job | None = None
        self._alerts_job: Job | None = None
        self._pending_select: int | None = None
        # False after the start-up check found the lab summary wrong and could not repair it
        self.use_summary = True
        self._generation = 0

        self.search = SearchBox(self)
        self.search.setObjectName("worklistSearch")
        self.search.setPlaceholderText("Find patient by MRN or name  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Find patient")
        self.status_filter = QComboBox(self)
        self.status_filter.addItem("Active patients", WorklistFilter.STATUS_ACTIVE)
        self.status_filter.addItem("Signed off", WorklistFilter.STATUS_SIGNED_OFF)
        self.status_filter.addItem("All patients", WorklistFilter.STATUS_ALL)
        self.status_filter.setAccessibleName("Show")
        self.alerts_only = QCheckBox("Has &alerts", self)
        self.overdue_only = QCheckBox("Labs &overdue", self)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("muted")
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("muted")
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()

        self.table = WorklistTable(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.setWordWrap(False)
        self.table.setAccessibleName("Worklist")
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for col, width in DEFAULT_WIDTHS.items():
            self.table.setColumnWidth(col, width)
        self._chips = GradeChipDelegate(self.table)
        self._names = NameDelegate(self.table)
        self.table.setItemDelegateForColumn(COL_LIVER, self._chips)
        self.table.setItemDelegateForColumn(COL_GLUCOSE, self._chips)
        self.table.setItemDelegateForColumn(COL_NAME, self._names)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        show = QLabel("&Show:", self)
        show.setBuddy(self.status_filter)
        bar.addWidget(show)
        bar.addWidget(self.status_filter)
        bar.addWidget(self.alerts_only)
        bar.addWidget(self.overdue_only)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 6)
        layout.addLayout(bar)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)
        self.setTabOrder(self.search, self.status_filter)
        self.setTabOrder(self.status_filter, self.alerts_only)
        self.setTabOrder(self.alerts_only, self.overdue_only)
        self.setTabOrder(self.overdue_only, self.table)

        # filtering thousands of rows per keystroke would lag; wait for a pause in typing
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.to_table.connect(self._focus_table)
        self.search.open_first.connect(self._open_current_or_first)
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self._apply(self.proxy.set_status, self.status_filter.currentData())
        )
        self.alerts_only.toggled.connect(lambda on: self._apply(self.proxy.set_alerts_only, on))
        self.overdue_only.toggled.connect(lambda on: self._apply(self.proxy.set_overdue_only, on))
        self.table.open_requested.connect(self.open_patient)
        self.table.doubleClicked.connect(self.table._open)
        self.model.modelReset.connect(self._update_count)

    # loading --------------------------------------------------------------------------------
    def refresh(self, select_patient: int | None = None) -> Job:
        """Reloads rows in the background; the current selection survives."""
        generation = self._begin_load(select_patient)
        self._rows_job = run_function(
            _load_rows if self.use_summary else _load_rows_from_results,
            self.db,
            title="Loading worklist",
            on_success=lambda loaded: self._on_rows(loaded, generation),
            on_failure=lambda exc: self._on_failure(exc, generation),
            parent=self,
        )
        return self._rows_job

    def take(self, loader: RowsLoader) -> Job:
        """Shows the rows a RowsLoader started reading before this panel existed."""
        generation = self._begin_load(None)

        def arrived() -> None:
            if loader.error is not None:
                self._on_failure(loader.error, generation)
            elif loader.loaded is not None:
                self._on_rows(loader.loaded, generation)

        self._rows_job = loader.job
        if loader.done:  # still from the event loop, as after refresh(): callers connect first
            QTimer.singleShot(0, self, arrived)
        else:
            loader.ready.connect(arrived)
        return loader.job

    def _begin_load(self, select_patient: int | None) -> int:
        self._pending_select = select_patient or self.selected_patient_id()
        if self.model.rowCount() == 0:
            self.empty_label.setText("Loading the worklist\u2026")
            self.empty_label.show()
        if self._alerts_job is not None:
            self._alerts_job.cancel()
        # rows of an earlier load that arrive after a later one started are out of date
        self._generation += 1
        return self._generation

    def _on_rows(self, loaded: tuple[list[WorklistRow], AlertSettings], generation: int) -> None:
        if generation != self._generation:
            return
        rows, self.model.alert_settings = loaded
        self.model.set_rows(rows)
        if self._pending_select is not None:
            self.select_patient(self._pending_select)
        elif self.proxy.rowCount() and self.table.currentIndex().row() < 0:
            self.table.selectRow(0)
        self.loaded.emit()
        # on the next turn of the event loop, once the rows are painted: the alert job is
        # Python work per patient that would otherwise hold the table back
        QTimer.singleShot(0, self, lambda: self._start_alerts_for(generation))

    def _start_alerts_for(self, generation: int) -> None:
        if generation == self._generation:  # not for rows a later load replaced
            self._start_alerts()

    def _start_alerts(self) -> None:
        ids = self.model.patient_ids()
        db = self.db
        jobs: list[Job] = []

        def cancelled() -> bool:
            # checked per patient: quitting need not wait for a chunk of them to finish
            return any(job.is_cancelled() for job in jobs)

        self._alerts_job = run_generator(
            lambda: alert_summaries(db, ids, cancelled=cancelled),
            title="Checking alerts",
            on_progress=self.model.set_alerts,
            on_success=lambda _r: self._alerts_done(),
            on_failure=self._alerts_failed,
            parent=self,
        )
        jobs.append(self._alerts_job)

    def _alerts_done(self) -> None:
        self._update_count()
        self.alerts_loaded.emit()

    def _alerts_failed(self, exc: BaseException) -> None:
        # the list is still correct without the alert column; the log keeps the cause
        log.warning("alert summaries failed: %s", type(exc).__name__)
        self.model.mark_alerts_unavailable()
        self.alerts_loaded.emit()

    def _on_failure(self, exc: BaseException, generation: int) -> None:
        if generation != self._generation:
            return
        if self.model.rowCount() == 0:
            self.empty_label.setText("The worklist could not be loaded. Press F5 to try again.")
        show_error(self, exc, action="load the worklist")
        self.loaded.emit()

    # selection and filters ------------------------------------------------------------------
    def _apply(self, setter: object, value: object) -> None:
        setter(value)  # type: ignore[operator]
        self._update_count()

    def apply_search(self) -> None:
        self._search_timer.stop()
        self.proxy.set_search(self.search.text())
        if self.proxy.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self._update_count()

    def _focus_table(self) -> None:
        self.apply_search()
        self.table.setFocus()
        if self.proxy.rowCount() and self.table.currentIndex().row() < 0:
            self.table.selectRow(0)

    def _open_current_or_first(self) -> None:
        self.apply_search()
        index = self.table.currentIndex()
        if not index.isValid() and self.proxy.rowCount():
            index = self.proxy.index(0, 0)
        if index.isValid():
            self.open_patient.emit(int(index.data(PATIENT_ID_ROLE)))

    def selected_patient_id(self) -> int | None:
        index = self.table.currentIndex()
        return int(index.data(PATIENT_ID_ROLE)) if index.isValid() else None

    def select_patient(self, patient_id: int) -> bool:
        row = self.model.row_for_patient(patient_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, COL_NAME))
        if not index.isValid():
            return False
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _update_count(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        self.count_label.setText(f"{shown} of {total} patients shown")
        self.empty_label.setVisible(shown == 0)
        if total == 0:
            self.empty_label.setText(
                "No patients yet. Add one with File \u203a New patient (Ctrl+N), or import lab "
                "files with File \u203a Import (Ctrl+I) or by dropping them on this window."
            )
        elif shown == 0:
            self.empty_label.setText(
                "No patient matches the search and filters. Clear the search or choose "
                "\u201cAll patients\u201d."
            )
        rows = [self.model.row_at(r) for r in range(total)]
        active = sum(1 for r in rows if r.status == "active")
        alerted = sum(1 for r in rows if (a := self.model.alerts_for(r.patient_id)) and a.count)
        self.counts_changed.emit(f"{total} patients: {active} active, {alerted} with alerts")

    # persistence ----------------------------------------------------------------------------
    def column_widths(self) -> list[int]:
        return [self.table.columnWidth(c) for c in range(self.model.columnCount())]

    def set_column_widths(self, widths: list[int]) -> None:
        for col, width in enumerate(widths[: self.model.columnCount()]):
            if int(width) > 20:
                self.table.setColumnWidth(col, int(width))
