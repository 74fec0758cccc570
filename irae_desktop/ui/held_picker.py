"""Choosing the patient for held results: search by MRN or name as you type, from the keyboard."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from irae_desktop.store.unmatched import PatientChoice
from irae_desktop.ui.held_format import (
    birth_text,
    fit_columns,
    make_table,
    plural,
    row_id,
    sex_text,
    status_text,
    table_item,
)

PATIENT_COLUMNS = ("MRN", "Name", "Date of birth", "Sex", "Status")


class _SearchEdit(QLineEdit):
    """Down or Enter moves to the matching patients, so the search works from the keyboard."""

    to_list = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.to_list.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class PatientPicker(QWidget):
    """Lists only the patients matching what was typed (none before), so choosing is deliberate.

    Emits `chosen_changed` when the chosen patient changes and `activated` on Enter or a
    double-click on a patient; Enter goes no further, so it can never press a dialog's button.
    """

    chosen_changed = Signal()
    activated = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.patients: list[PatientChoice] = []
        self._auto_search = ""  # the MRN the search box was filled with, not typed by the user
        self.search = _SearchEdit(self)
        self.search.setAccessibleName("Find patient by MRN or name")
        self.search.setPlaceholderText("MRN or name, as you type")
        self.search.setClearButtonEnabled(True)
        self.search.textEdited.connect(lambda _t: setattr(self, "_auto_search", ""))
        self.search.textChanged.connect(lambda _t: self.apply_search())
        self.search.to_list.connect(self.focus_matches)
        label = QLabel("Find &patient:", self)
        label.setBuddy(self.search)
        self.table = make_table(PATIENT_COLUMNS, "Matching patients", 1, self)
        self.table.setSelectionMode(self.table.SelectionMode.SingleSelection)
        rows = self.table.verticalHeader().defaultSectionSize()
        self.table.setMinimumHeight(
            self.table.horizontalHeader().sizeHint().height() + 3 * rows + 4
        )
        self.table.itemSelectionChanged.connect(self.chosen_changed)
        self.table.doubleClicked.connect(lambda _i: self.activated.emit())
        self.table.installEventFilter(self)
        self.hint = QLabel(self)
        self.hint.setObjectName("muted")
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.activated.emit()
            return True
        return super().eventFilter(watched, event)

    def set_patients(self, patients: list[PatientChoice]) -> None:
        table = self.table
        table.clearSelection()
        self.patients = patients
        table.setRowCount(len(patients))
        for r, p in enumerate(patients):
            values = (p.name or "not recorded", birth_text(p), sex_text(p), status_text(p))
            table.setItem(r, 0, table_item(p.mrn, row_id=p.id))
            for c, value in enumerate(values, start=1):
                table.setItem(r, c, table_item(value))
        self.apply_search()

    def apply_search(self) -> None:
        words = self.search.text().casefold().split()
        shown = 0
        for r, p in enumerate(self.patients):
            haystack = f"{p.mrn} {p.name} {birth_text(p)}".casefold()
            hide = not words or not all(w in haystack for w in words)
            self.table.setRowHidden(r, hide)
            shown += not hide
        fit_columns(self.table)
        current = self.table.currentRow()
        if current >= 0 and self.table.isRowHidden(current):
            self.table.clearSelection()
            self.table.selectionModel().clearCurrentIndex()
        typed = self.search.text().strip()
        if not words:
            self.hint.setText("Type an MRN or a name to find the patient.")
        elif not shown and typed == self._auto_search:
            self.hint.setText(
                f"No patient has MRN {typed}: create one, or search by name or another MRN."
            )
        elif not shown:
            self.hint.setText(f"No patient matches \u201c{typed}\u201d.")
        else:
            self.hint.setText(f"{plural(shown, 'patient matches', 'patients match')}.")
        self.chosen_changed.emit()

    def suggest_mrn(self, mrn: str) -> None:
        """Looks up the file's MRN, unless the user has typed a search of their own; the patient
        with exactly that MRN, if any, is chosen (the confirmation still follows)."""
        if self.search.text() and self.search.text() != self._auto_search:
            return
        self._auto_search = mrn
        self.search.setText(mrn)
        exact = self.by_mrn(mrn)
        if exact is not None:
            self.select_patient(exact.id)

    def focus_matches(self) -> None:
        visible = [r for r in range(self.table.rowCount()) if not self.table.isRowHidden(r)]
        if not visible:
            return
        self.table.setFocus()
        if self.chosen() is None:
            self.table.selectRow(visible[0])

    def chosen(self) -> PatientChoice | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or self.table.isRowHidden(rows[0].row()):
            return None
        pid = row_id(self.table, rows[0].row())
        return next((p for p in self.patients if p.id == pid), None)

    def select_patient(self, patient_id: int) -> bool:
        for r, p in enumerate(self.patients):
            if p.id == patient_id:
                if self.table.isRowHidden(r):
                    self._auto_search = p.mrn
                    self.search.setText(p.mrn)
                self.table.selectRow(r)
                return True
        return False

    def by_mrn(self, mrn: str) -> PatientChoice | None:
        return next((p for p in self.patients if p.mrn == mrn.strip()), None)
