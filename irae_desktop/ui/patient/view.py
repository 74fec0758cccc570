"""PatientView: the one-patient screen (header, alerts, trends and the record tabs)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from irae_desktop.store.database import Database
from irae_desktop.store.errors import ConcurrentEditError, StoreError
from irae_desktop.ui.access_view import READ_ONLY_REASON
from irae_desktop.ui.operations import (
    ALERTS,
    LABS,
    NOTES,
    TREATMENTS,
    Change,
    WriteOp,
    change_notice,
    failure_words,
    run_write,
)
from irae_desktop.ui.patient.alerts_panel import AlertsPanel
from irae_desktop.ui.patient.header import PatientHeader
from irae_desktop.ui.patient.labs_tab import LabsTab
from irae_desktop.ui.patient.loading import LoadedPatient, load_patient
from irae_desktop.ui.patient.notes_tab import NotesTab
from irae_desktop.ui.patient.safety_tab import SafetyTab, tab_title
from irae_desktop.ui.patient.snapshot import PatientGoneError, PatientSnapshot
from irae_desktop.ui.patient.treatments_tab import TreatmentsTab
from irae_desktop.ui.patient.trends import TrendsView

log = logging.getLogger(__name__)

# what a save from the patient view may change
PATIENT_DATA = frozenset({LABS, ALERTS, TREATMENTS, NOTES})


def describe_conflict(exc: ConcurrentEditError) -> str:
    lines = [str(exc)]
    for field, (theirs, yours) in exc.changes.items():
        lines.append(f"\u2022 {field.replace('_', ' ')}: now {theirs!r} (you entered {yours!r})")
    lines.append("The patient has been reloaded with their changes.")
    return "\n".join(lines)


class PatientView(QWidget):
    data_changed = Signal()
    print_requested = Signal(int)
    loaded = Signal(int)
    # the unit system on display changed (the toggle, or the team default on first load)
    units_changed = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.current_patient_id: int | None = None
        self.snapshot: PatientSnapshot | None = None
        self.units_system: str | None = None  # None until the team default is known
        self._generation = 0
        self._job: Any = None
        self._arriving: LoadedPatient | None = None  # loaded, waiting for its trends

        self.header = PatientHeader()
        self.busy_label = QLabel("Loading\u2026")
        self.busy_label.setStyleSheet("color: #1F5FA8; font-weight: bold;")
        self.busy_label.hide()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setStyleSheet("color: #B3261E;")
        self.status_label.hide()
        self.unit_buttons = QButtonGroup(self)
        self.us_button = QPushButton("US units")
        self.si_button = QPushButton("SI units")
        for button, system in ((self.us_button, "US"), (self.si_button, "SI")):
            button.setCheckable(True)
            button.setToolTip(f"Show values in {system} units")
            button.clicked.connect(lambda _=False, s=system: self.set_units(s))
            self.unit_buttons.addButton(button)
        self.print_button = QPushButton("Print summary\u2026")
        self.print_button.clicked.connect(self._print)
        self.refresh_button = QPushButton("Reload")
        self.refresh_button.setToolTip("Read this patient again from the database")
        self.refresh_button.clicked.connect(self.refresh)

        self.alerts = AlertsPanel(self.run_save)
        self.trends = TrendsView()
        self.trends.drawn.connect(self._trends_drawn)
        self.labs = LabsTab(self.run_save)
        self.treatments = TreatmentsTab(self.run_save)
        self.notes = NotesTab(self.run_save)
        self.safety = SafetyTab()
        if db.read_only:  # the database refuses this account's writes: no button offers one
            self.set_read_only(READ_ONLY_REASON)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.trends, "Trends")
        self.tabs.addTab(self.labs, "Labs")
        self.tabs.addTab(self.treatments, "Treatments")
        self.tabs.addTab(self.safety, "Safety")
        self.tabs.addTab(self.notes, "Episodes && notes")

        bar = QHBoxLayout()
        bar.addWidget(self.busy_label)
        bar.addStretch(1)
        bar.addWidget(self.us_button)
        bar.addWidget(self.si_button)
        bar.addSpacing(12)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.print_button)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.alerts)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([170, 780])
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.header)
        layout.addLayout(bar)
        layout.addWidget(self.status_label)
        layout.addWidget(splitter, 1)
        self._set_enabled(False)
        change_notice().changed.connect(self._on_change)

    # loading ------------------------------------------------------------------------------
    def prepare(self) -> None:
        """Makes the plots ahead of the first patient while the window is idle (a few tenths
        of a second of work in small steps); without it the first patient waits for them."""
        self.trends.make_plots_when_idle()

    def show_patient(self, patient_id: int) -> None:
        """Loads the patient off the GUI thread; the view shows "Loading" until it arrives."""
        if patient_id != self.current_patient_id:
            self.snapshot = None
            self._set_enabled(False)
        self.current_patient_id = patient_id
        self._load()

    def refresh(self) -> None:
        if self.current_patient_id is not None:
            self._load()

    def _on_change(self, change: Change) -> None:
        """A write from this window (or an import) changed data: reload if it may be ours."""
        if change.patient_id is None or change.patient_id == self.current_patient_id:
            self.refresh()

    def _load(self) -> None:
        from irae_desktop.ui.workers import run_function

        self._generation += 1
        generation, patient_id = self._generation, self.current_patient_id
        self.busy_label.show()
        self._job = run_function(
            load_patient,
            self.db,
            patient_id,
            title="Opening patient",
            on_success=lambda snap: self._loaded(generation, snap),
            on_failure=lambda exc: self._failed(generation, exc),
            parent=self,
        )

    def _loaded(self, generation: int, loaded: LoadedPatient) -> None:
        if generation != self._generation:
            return  # the user moved on to another patient meanwhile
        # the trends take a few turns of the event loop to draw: the view keeps its picture
        # until they are done and then changes at once, so the screen never shows one
        # patient's plots under another's name (and every widget settles its size first)
        self.setUpdatesEnabled(False)
        self._arriving = loaded
        snapshot = loaded.snapshot
        self.snapshot = snapshot
        if self.units_system is None:
            self.units_system = snapshot.units_system
        (self.si_button if self.units_system == "SI" else self.us_button).setChecked(True)
        self.units_changed.emit(self.units_system)
        # the clinical day the snapshot was read on, as the Treatments tab and the lanes use it
        self.header.set_info(snapshot.header, snapshot.today)
        self.alerts.set_units(self.units_system)
        self.alerts.set_alerts(snapshot.header.id, snapshot.alerts, snapshot.alerts_error)
        self.labs.set_units(self.units_system)
        self.labs.set_labs(snapshot.labs)
        self.treatments.set_lines(
            snapshot.header.id,
            snapshot.header.weight_kg,
            snapshot.treatments,
            snapshot.response_labels,
            snapshot.today,
        )
        self.treatments.screening.set_results(snapshot.header.id, snapshot.screenings)
        self.safety.set_lines(snapshot.safety, snapshot.safety_error)
        failed = " (not computed)" if snapshot.safety_error else ""
        self.tabs.setTabText(self.tabs.indexOf(self.safety), tab_title(snapshot.safety) + failed)
        self.notes.set_data(snapshot.header.id, snapshot.episodes, snapshot.notes)
        self.trends.set_units(self.units_system)
        self.trends.set_snapshot(snapshot, criteria=snapshot.criteria_set, arrays=loaded.arrays)

    def _trends_drawn(self) -> None:
        loaded, self._arriving = self._arriving, None
        if loaded is None:
            return
        self.setUpdatesEnabled(True)
        if loaded.snapshot.header.id != self.current_patient_id:
            return  # another patient was asked for meanwhile: stay disabled until it is here
        self._set_enabled(True)
        self.busy_label.hide()
        self.loaded.emit(loaded.snapshot.header.id)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.busy_label.hide()
        if isinstance(exc, PatientGoneError | StoreError):
            self.show_message(str(exc))
        else:
            log.error("opening a patient failed", exc_info=exc)
            self.show_message("The patient could not be opened (unexpected error; see the log).")

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.tabs, self.alerts, self.print_button, self.refresh_button):
            widget.setEnabled(enabled)

    def set_read_only(self, reason: str) -> None:
        """Greys every button of the tabs that would change data, each saying why."""
        for tab in (self.alerts, self.labs, self.treatments, self.treatments.screening, self.notes):
            tab.write_buttons.lock(reason)

    # actions ------------------------------------------------------------------------------
    def set_units(self, system: str) -> None:
        self.units_system = system
        (self.si_button if system == "SI" else self.us_button).setChecked(True)
        self.labs.set_units(system)
        self.alerts.set_units(system)
        self.trends.set_units(system)
        self.units_changed.emit(system)

    def show_message(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))

    def _print(self) -> None:
        if self.current_patient_id is not None:
            self.print_requested.emit(self.current_patient_id)

    def run_save(self, action: Callable[[Any, str], Any]) -> WriteOp:
        """Starts one audited write off the GUI thread (irae_desktop.ui.operations); the open
        dialog waits on the returned write and shows its words if it is refused."""
        patient_id = self.current_patient_id

        def refused(exc: BaseException) -> None:
            if isinstance(exc, ConcurrentEditError):
                self.refresh()  # show what the other user saved

        def words(exc: BaseException) -> str:
            if isinstance(exc, ConcurrentEditError):
                return describe_conflict(exc)
            return failure_words(exc)

        def saved(_result: object) -> None:
            self.show_message("")
            self.data_changed.emit()

        return run_write(
            self.db,
            action,
            title="Save change",
            change=Change(PATIENT_DATA, patient_id),
            on_success=saved,
            on_failure=refused,
            words=words,
        )
