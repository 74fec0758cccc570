"""The held-results screen: lab results and treatment rows for unknown MRNs, each kind on its
own tab, assigned to a patient or dropped."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from irae_desktop.store.database import Database
from irae_desktop.store.held_treatments import (
    HeldTreatment,
    assign_held_treatments,
    drop_held_treatments,
    held_treatments,
)
from irae_desktop.store.unmatched import (
    HeldResult,
    PatientChoice,
    assign_unmatched,
    assignment_targets,
    drop_unmatched,
    held_results,
)
from irae_desktop.ui import operations as changed
from irae_desktop.ui.errors import show_error
from irae_desktop.ui.held_confirm import (
    AssignConfirmDialog,
    DropDialog,
    HeldRows,
    held_noun,
    is_treatments,
)
from irae_desktop.ui.held_format import (
    analyte_text,
    fit_columns,
    imported_text,
    make_table,
    plural,
    result_text,
    row_id,
    table_item,
)
from irae_desktop.ui.held_picker import PatientPicker
from irae_desktop.ui.held_treatment_view import fill_treatment_table, make_treatment_table
from irae_desktop.ui.operations import Change, WriteOp, run_write
from irae_desktop.ui.patient.display import local_time_text
from irae_desktop.ui.workers import Job, run_function

HELD_COLUMNS = ("MRN in file", "Test", "Result", "Collected", "File", "Row", "Imported", "Batch")
COL_MRN, COL_TEST, COL_RESULT, COL_COLLECTED, COL_FILE, COL_ROW, COL_IMPORTED, COL_BATCH = range(8)
# the tabs, and what the main window asks for after an import of one kind of file
LABS, TREATMENTS = "labs", "treatments"
Loaded = tuple[list[HeldResult], list[HeldTreatment], list[PatientChoice]]


def load_held(db: Database) -> Loaded:
    with db.read() as session:
        return held_results(session), held_treatments(session), assignment_targets(session)


def assign_held(
    session: Any, user: str, kind: str, ids: list[int], patient: PatientChoice, reason: str
) -> int:
    """The assign action's write (run by irae_desktop.ui.operations)."""
    assign = assign_held_treatments if kind == TREATMENTS else assign_unmatched
    return assign(session, ids, patient.mrn, user=user, reason=reason, patient_id=patient.id)


def drop_held(session: Any, user: str, kind: str, ids: list[int], reason: str) -> int:
    """The drop action's write (run by irae_desktop.ui.operations)."""
    drop = drop_held_treatments if kind == TREATMENTS else drop_unmatched
    return drop(session, ids, user=user, reason=reason)


class HeldResultsDialog(QDialog):
    """Non-modal. Emits `loaded` after every (re)load and `changed(message)` after an assign, a
    drop or a new patient, so the main window can refresh the worklist and the open patient."""

    loaded = Signal()
    changed = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Held rows: lab results and treatments")
        self.resize(1180, 760)
        self.setMinimumSize(880, 580)
        self.held: list[HeldResult] = []
        self.held_treatments: list[HeldTreatment] = []
        self.patients: list[PatientChoice] = []
        self.job: Job | None = None
        self.write: WriteOp | None = None
        self.confirm: QDialog | None = None
        self._busy = False
        self._assign_after_load: int | None = None

        intro = QLabel(
            "These rows came in files for an MRN that matches no patient here, in a file "
            "without a name or birth date to create one: lab results (on no patient and not "
            "graded) and treatment lines or doses given (on no patient's treatments). Assign "
            "each to the right patient, or drop it with a reason.",
            self,
        )
        intro.setWordWrap(True)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("muted")
        self.table = make_table(HELD_COLUMNS, "Held results", COL_FILE, self)
        self.treatment_table = make_treatment_table(self)
        self.tabs = QTabWidget(self)
        for table in (self.table, self.treatment_table):
            table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
            table.itemSelectionChanged.connect(self._selection_changed)
            # grouped by MRN until the user sorts otherwise (Qt's default would be descending)
            table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
            self.tabs.addTab(table, "")
        self.tabs.currentChanged.connect(self._selection_changed)
        self._name_tabs()
        self.same_mrn_button = QPushButton("Select all with this &MRN", self)
        self.same_mrn_button.clicked.connect(self.select_same_mrn)
        self.selection_label = QLabel(self)
        selection_row = QHBoxLayout()
        selection_row.addWidget(self.selection_label, 1)
        selection_row.addWidget(self.same_mrn_button)

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.drop_button = QPushButton("&Drop selected\u2026", self)
        self.drop_button.setToolTip("Discard the selected results, with a reason for the audit")
        self.drop_button.clicked.connect(self.request_drop)
        refresh = QPushButton("&Refresh", self)
        refresh.clicked.connect(lambda: self.reload())
        close = QPushButton("Close", self)
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.drop_button)
        bottom.addStretch(1)
        bottom.addWidget(refresh)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.count_label)
        layout.addWidget(self.tabs, 3)
        layout.addLayout(selection_row)
        layout.addWidget(self._assign_box(), 2)
        layout.addWidget(self.message)
        layout.addLayout(bottom)
        for button in self.findChildren(QPushButton):
            # Enter in the search box must never press a button that writes
            button.setAutoDefault(False)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, lambda: self.reload())
        # the order a user works in, not the order the widgets were made in
        chain = (
            self.tabs,
            self.table,
            self.treatment_table,
            self.same_mrn_button,
            self.picker.search,
            self.picker.table,
            self.new_button,
            self.assign_button,
            self.drop_button,
            refresh,
            close,
        )
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        self._update_buttons()
        self.reload()

    def _assign_box(self) -> QGroupBox:
        box = QGroupBox("Assign the selected rows to a patient", self)
        self.picker = PatientPicker(box)
        self.picker.chosen_changed.connect(self._update_buttons)
        self.picker.activated.connect(self.request_assign)
        self.new_button = QPushButton("&New patient with this MRN\u2026", box)
        self.new_button.clicked.connect(self.new_patient_for_mrn)
        self.assign_button = QPushButton("&Assign to chosen patient\u2026", box)
        self.assign_button.setToolTip("Shows the patient beside the file's MRN before storing")
        self.assign_button.clicked.connect(self.request_assign)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.assign_button)
        inner = QVBoxLayout(box)
        inner.addWidget(self.picker, 1)
        inner.addLayout(buttons)
        return box

    # keys -----------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        # QDialog would turn Enter into a click on any default button among its children, and
        # the confirmations are its children: Enter here must never press "Assign" unseen
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    # loading --------------------------------------------------------------------------------
    def reload(self) -> Job:
        """Reads the held results and the patients off the GUI thread; the selection survives."""
        keep = [h.id for h in self.selected_rows()]
        self.count_label.setText("Loading\u2026")
        self.job = run_function(
            load_held,
            self.db,
            title="Loading held results",
            on_success=lambda data: self._loaded(data, keep),
            on_failure=self._load_failed,
            parent=self,
        )
        return self.job

    def _loaded(self, data: Loaded, keep: list[int]) -> None:
        self.held, self.held_treatments, self.patients = data
        self._fill_held()
        fill_treatment_table(self.treatment_table, self.held_treatments)
        self._name_tabs()
        if not self._active()[1] and (self.held or self.held_treatments):
            # nothing left on this tab: show the kind that is waiting
            self.show_kind(TREATMENTS if self.held_treatments else LABS)
        self.picker.set_patients(self.patients)
        self.select_ids(keep)
        self.count_label.setText(self._count_text())
        self._selection_changed()
        pid, self._assign_after_load = self._assign_after_load, None
        if pid is not None and self.picker.select_patient(pid) and self.selected_rows():
            self.request_assign()
        self.loaded.emit()

    def _load_failed(self, exc: BaseException) -> None:
        self.count_label.setText("The held results could not be loaded. Press F5 to try again.")
        show_error(self, exc, action="load the held results")
        self.loaded.emit()

    def _count_text(self) -> str:
        if not self.held and not self.held_treatments:
            return "Nothing held: every imported result and treatment row is on a patient."
        parts = []
        if self.held:
            mrns = len({h.mrn for h in self.held})
            parts.append(f"{plural(len(self.held), 'held result')} for {plural(mrns, 'MRN')}")
        if self.held_treatments:
            mrns = len({h.mrn for h in self.held_treatments})
            rows = plural(len(self.held_treatments), "held treatment row")
            parts.append(f"{rows} for {plural(mrns, 'MRN')}")
        return "; ".join(parts)

    def _name_tabs(self) -> None:
        self.tabs.setTabText(0, f"&Lab results ({len(self.held)})")
        self.tabs.setTabText(1, f"&Treatment rows ({len(self.held_treatments)})")

    def kind(self) -> str:
        """LABS or TREATMENTS: the tab the user works on."""
        return TREATMENTS if self.tabs.currentIndex() == 1 else LABS

    def show_kind(self, kind: str) -> None:
        self.tabs.setCurrentIndex(1 if kind == TREATMENTS else 0)

    def _active(self) -> tuple[QTableWidget, list[HeldResult] | list[HeldTreatment]]:
        if self.kind() == TREATMENTS:
            return self.treatment_table, self.held_treatments
        return self.table, self.held

    def _fill_held(self) -> None:
        table = self.table
        table.setSortingEnabled(False)
        table.clearSelection()
        table.setRowCount(len(self.held))
        for r, h in enumerate(self.held):
            batch = QTableWidgetItem()
            if h.batch_id is not None:
                batch.setData(Qt.ItemDataRole.DisplayRole, h.batch_id)
            cells = {
                COL_MRN: table_item(h.mrn, row_id=h.id),
                COL_TEST: table_item(analyte_text(h), h.analyte),
                COL_RESULT: table_item(result_text(h), f"as in the file; status {h.status}"),
                COL_COLLECTED: table_item(local_time_text(h.collected_at), "local time"),
                COL_FILE: table_item(h.source_file or "unknown", h.source_file or ""),
                COL_ROW: table_item(h.source_ref or ""),
                COL_IMPORTED: table_item(imported_text(h)),
                COL_BATCH: batch,
            }
            for c, item in cells.items():
                table.setItem(r, c, item)
        table.setSortingEnabled(True)
        fit_columns(table)

    # the held results -----------------------------------------------------------------------
    def selected_rows(self) -> HeldRows:
        """The rows selected on the tab in view (one kind at a time)."""
        table, held = self._active()
        by_id = {h.id: h for h in held}
        rows = sorted({i.row() for i in table.selectionModel().selectedRows()})
        ids = [row_id(table, r) for r in rows]
        return [by_id[i] for i in ids if i in by_id]  # type: ignore[return-value]

    def select_ids(self, ids: list[int]) -> None:
        """Selects the rows with these ids on the tab in view."""
        table = self._active()[0]
        wanted = set(ids)
        model = table.model()
        selection = QItemSelection()
        for r in range(table.rowCount()):
            if row_id(table, r) in wanted:
                selection.select(model.index(r, 0), model.index(r, model.columnCount() - 1))
        flag = QItemSelectionModel.SelectionFlag
        table.selectionModel().select(selection, flag.ClearAndSelect | flag.Rows)

    def select_same_mrn(self) -> None:
        """Extends the selection to every held row of the tab with the selected rows' MRN(s)."""
        mrns = {h.mrn for h in self.selected_rows()}
        self.select_ids([h.id for h in self._active()[1] if h.mrn in mrns])

    def _selection_changed(self, *_args: object) -> None:
        rows = self.selected_rows()
        mrns = sorted({h.mrn for h in rows})
        item = "treatment row" if self.kind() == TREATMENTS else "result"
        if rows:
            self.selection_label.setText(
                f"{plural(len(rows), item)} selected; MRN in the file: {', '.join(mrns)}"
            )
        else:
            self.selection_label.setText(f"Select held {item}s above (Ctrl or Shift for more).")
        if len(mrns) == 1:
            self.picker.suggest_mrn(mrns[0])
        self._update_buttons()

    def chosen_patient(self) -> PatientChoice | None:
        return self.picker.chosen()

    def _single_mrn(self) -> str | None:
        mrns = {h.mrn for h in self.selected_rows()}
        return mrns.pop() if len(mrns) == 1 else None

    def _update_buttons(self) -> None:
        rows = bool(self.selected_rows())
        idle = not self._busy
        self.same_mrn_button.setEnabled(rows)
        self.drop_button.setEnabled(rows and idle)
        self.assign_button.setEnabled(rows and idle and self.chosen_patient() is not None)
        mrn = self._single_mrn()
        exists = mrn is not None and self.picker.by_mrn(mrn) is not None
        self.new_button.setEnabled(idle and mrn is not None and not exists)
        self.new_button.setText(
            f"&New patient with MRN {mrn}\u2026" if mrn else "&New patient\u2026"
        )
        self.new_button.setToolTip(
            f"A patient with MRN {mrn} already exists"
            if exists
            else "Select results of one MRN to create its patient"
            if mrn is None
            else f"Create the patient with MRN {mrn}, then assign the selected results"
        )

    # actions --------------------------------------------------------------------------------
    def request_assign(self) -> AssignConfirmDialog | None:
        """Opens the confirmation; nothing is written unless the user confirms it."""
        rows, patient = self.selected_rows(), self.chosen_patient()
        if self._busy or not rows or patient is None:
            self.message.setText("Select held rows and the patient to assign them to.")
            return None
        dialog = AssignConfirmDialog(rows, patient, self)
        dialog.accepted.connect(lambda: self._assign(dialog))
        self.confirm = dialog
        dialog.open()
        return dialog

    def _assign(self, dialog: AssignConfirmDialog) -> None:
        ids, patient, reason = [h.id for h in dialog.rows], dialog.patient, dialog.reason_text()
        count, kind = len(ids), (TREATMENTS if dialog.treatments else LABS)

        def done(added: int) -> str:
            who = f"{patient.name or 'the patient'} (MRN {patient.mrn})"
            if kind == TREATMENTS:
                text = f"Assigned {plural(count, 'treatment row')} to {who} as treatment lines."
            else:
                text = f"Assigned {plural(count, 'result')} to {who} and graded them."
            if added < count:
                text += f" {plural(count - added, 'was', 'were')} already stored there."
            return text

        self._run(
            lambda s, user: assign_held(s, user, kind, ids, patient, reason),
            done,
            ("assign", "assigned"),
            patient.id,
        )

    def request_drop(self) -> DropDialog | None:
        rows = self.selected_rows()
        if self._busy or not rows:
            self.message.setText("Select the held rows to drop.")
            return None
        dialog = DropDialog(rows, self)
        dialog.accepted.connect(lambda: self._drop(dialog))
        self.confirm = dialog
        dialog.open()
        return dialog

    def _drop(self, dialog: DropDialog) -> None:
        ids, reason = [h.id for h in dialog.rows], dialog.reason_text()
        kind = TREATMENTS if is_treatments(dialog.rows) else LABS
        one, several = held_noun(dialog.rows)

        def done(dropped: int) -> str:
            return f"Dropped {plural(dropped, one, several)}; the reason is in the audit trail."

        self._run(
            lambda s, user: drop_held(s, user, kind, ids, reason),
            done,
            ("drop", "dropped"),
            None,
        )

    def new_patient_for_mrn(self) -> QDialog | None:
        """The usual patient dialog with the file's MRN filled in; the assignment follows."""
        mrn = self._single_mrn()
        if self._busy or mrn is None:
            return None
        from irae_desktop.ui.patient_dialog import PatientDialog

        dialog = PatientDialog(self.db, parent=self)
        dialog.mrn.setText(mrn)
        dialog.name.setFocus()
        dialog.saved.connect(lambda pid: self._patient_created(pid, mrn))
        dialog.open()
        return dialog

    def _patient_created(self, patient_id: int, mrn: str) -> None:
        self.changed.emit(f"Patient with MRN {mrn} created.")
        self._assign_after_load = patient_id
        self.reload()

    def _run(
        self,
        work: Callable[[Any, str], int],
        done: Callable[[int], str],
        verbs: tuple[str, str],
        patient_id: int | None,
    ) -> None:
        verb, past = verbs
        self._busy = True
        self._update_buttons()
        self.message.setText("Saving\u2026")
        self.write = run_write(
            self.db,
            work,
            title=f"{verb.capitalize()} held rows",
            # an assigned ICI line can move the baseline and so regrade the patient's results
            change=Change(
                frozenset({changed.HELD, changed.LABS, changed.ALERTS, changed.TREATMENTS}),
                patient_id,
            ),
            on_success=lambda n: self._succeeded(done(n)),
            on_failure=lambda exc: self._failed(exc, verb, past),
        )

    def _succeeded(self, text: str) -> None:
        self._busy = False
        self.message.setText(text)
        self._active()[0].clearSelection()
        self.changed.emit(text)
        self.reload()

    def _failed(self, exc: BaseException, verb: str, past: str) -> None:
        self._busy = False
        self.message.setText(f"Nothing was changed: the held rows could not be {past}.")
        show_error(self, exc, action=f"{verb} the held rows")
        self.reload()  # someone else may have assigned or dropped them meanwhile
