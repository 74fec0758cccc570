"""The confirmations before held results are assigned to a patient or dropped."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from irae_desktop.store.held_treatments import HeldTreatment
from irae_desktop.store.unmatched import HeldResult, PatientChoice
from irae_desktop.ui.held_format import (
    NOT_IN_FILE,
    analyte_text,
    birth_text,
    plural,
    result_text,
    sex_text,
    source_text,
    tone_color,
    tone_style,
)
from irae_desktop.ui.held_treatment_view import agent_text, dates_text, dose_text
from irae_desktop.ui.patient.display import local_time_text

RESULT_COLUMNS = ("MRN in file", "Test", "Result", "Collected", "Source")
TREATMENT_CONFIRM_COLUMNS = ("MRN in file", "Agent", "Dose", "Dates", "Source")
DROP_REASONS = (
    "Not a patient of this service",
    "Wrong file imported",
    "Test or duplicate data",
)


HeldRows = list[HeldResult] | list[HeldTreatment]


def is_treatments(rows: HeldRows) -> bool:
    return bool(rows) and isinstance(rows[0], HeldTreatment)


def held_noun(rows: HeldRows) -> tuple[str, str]:
    """What the rows are called, one and several."""
    if is_treatments(rows):
        return "held treatment row", "held treatment rows"
    return "held result", "held results"


def _cells(held: HeldResult | HeldTreatment) -> tuple[str, ...]:
    if isinstance(held, HeldTreatment):
        return held.mrn, agent_text(held), dose_text(held), dates_text(held), source_text(held)
    return (
        held.mrn,
        analyte_text(held),
        result_text(held),
        local_time_text(held.collected_at),
        source_text(held),
    )


def results_table(rows: HeldRows, parent: QWidget) -> QTableWidget:
    """A read-only list of exactly the rows the confirmation is about."""
    columns = TREATMENT_CONFIRM_COLUMNS if is_treatments(rows) else RESULT_COLUMNS
    table = QTableWidget(len(rows), len(columns), parent)
    table.setAccessibleName("Rows this applies to")
    table.setHorizontalHeaderLabels(list(columns))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    for r, held in enumerate(rows):
        for c, value in enumerate(_cells(held)):
            item = QTableWidgetItem(value)
            item.setToolTip(value)  # a long file name may not fit the column
            table.setItem(r, c, item)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    # exactly as tall as its rows (a short list must not look cut off or padded), at most six
    # rows, then it scrolls; the columns fit the width, so no scroll bar eats a row's space
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    row_height = table.verticalHeader().defaultSectionSize()
    frame = 2 * table.frameWidth()
    table.setFixedHeight(header.sizeHint().height() + row_height * min(len(rows), 6) + frame)
    return table


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.2)
    font.setWeight(QFont.Weight.DemiBold)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def _error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("confirmMessage")
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {tone_color(parent, 'warning')}; font-weight: 600;")
    return label


class AssignConfirmDialog(QDialog):
    """Shows the file's MRN beside the chosen patient's identity before anything is written.

    When the MRNs differ the user must tick that they checked the identity and say why; the
    reason goes to the audit trail with each result.
    """

    def __init__(
        self, rows: HeldRows, patient: PatientChoice, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.rows = rows
        self.patient = patient
        self.treatments = is_treatments(rows)
        one, several = held_noun(rows)
        self.held_mrns = sorted({r.mrn for r in rows})
        self.mismatch = any(mrn.strip() != patient.mrn for mrn in self.held_mrns)
        self.setWindowTitle(f"Confirm: assign {several}")
        # a treatment row has more to show (agent, dose, dates) than a result
        self.setMinimumWidth(820 if self.treatments else 640)
        who = patient.name or f"MRN {patient.mrn}"
        count = plural(len(rows), one, several)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(_heading(f"Assign {count} to {who}?", self))
        layout.addWidget(self._comparison())
        layout.addWidget(self._verdict())
        stored = (
            "These rows will be stored on the patient as treatment lines, as the import would "
            "have stored them; the results are graded again if the first ICI start moves:"
            if self.treatments
            else "These results will be stored on the patient and graded:"
        )
        stored_label = QLabel(stored, self)
        stored_label.setWordWrap(True)
        layout.addWidget(stored_label)
        layout.addWidget(results_table(rows, self))

        self.checked_box = QCheckBox(
            f"I have &checked that these {'rows' if self.treatments else 'results'} belong to "
            f"{who}, MRN {patient.mrn}, born {birth_text(patient)}",
            self,
        )
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName("Reason the results belong to this patient")
        self.reason.setPlaceholderText("e.g. MRN changed after merging two records")
        reason_label = QLabel("&Why they belong to this patient (kept in the audit trail):", self)
        reason_label.setBuddy(self.reason)
        if self.mismatch:
            layout.addWidget(self.checked_box)
            layout.addWidget(reason_label)
            layout.addWidget(self.reason)
        else:
            for widget in (self.checked_box, reason_label, self.reason):
                widget.hide()
        self.message = _error_label(self)
        layout.addWidget(self.message)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        item = "row" if self.treatments else "result"
        self.confirm_button = QPushButton(f"&Assign {plural(len(rows), item)} to {who}", self)
        self.buttons.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        # Enter must never assign to a patient whose MRN differs: Cancel is the default there
        (cancel if self.mismatch else self.confirm_button).setDefault(True)
        (cancel if self.mismatch else self.confirm_button).setFocus()
        self.checked_box.toggled.connect(self._update)
        self.reason.textChanged.connect(self._update)
        self._update()

    def _comparison(self) -> QFrame:
        frame = QFrame(self)
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(frame)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(6)
        bold = QFont(self.font())
        bold.setWeight(QFont.Weight.DemiBold)
        source = "In the treatment file" if self.treatments else "In the lab file"
        for col, text in enumerate(("", source, "Chosen patient")):
            label = QLabel(text, frame)
            label.setFont(bold)
            grid.addWidget(label, 0, col)
        p = self.patient
        # what each side says, by row name, for reading back (tests, accessibility checks)
        self.cells: dict[str, tuple[QLabel, QLabel]] = {}
        rows = (
            ("MRN", ", ".join(self.held_mrns), p.mrn),
            ("Name", NOT_IN_FILE, p.name or "not recorded"),
            ("Date of birth", NOT_IN_FILE, birth_text(p)),
            ("Sex", NOT_IN_FILE, sex_text(p)),
        )
        for r, (what, held, chosen) in enumerate(rows, start=1):
            grid.addWidget(QLabel(what, frame), r, 0)
            held_label = QLabel(held, frame)
            chosen_label = QLabel(chosen, frame)
            self.cells[what] = (held_label, chosen_label)
            for label in (held_label, chosen_label):
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if what == "MRN":
                for label in (held_label, chosen_label):
                    label.setFont(bold)
                if self.mismatch:
                    style = f"color: {tone_color(self, 'warning')};"
                    held_label.setStyleSheet(style)
                    chosen_label.setStyleSheet(style)
            elif held == NOT_IN_FILE:
                held_label.setObjectName("muted")
            grid.addWidget(held_label, r, 1)
            grid.addWidget(chosen_label, r, 2)
        grid.setColumnStretch(2, 1)
        return frame

    def _verdict(self) -> QFrame:
        frame = QFrame(self)
        frame.setObjectName("mrnVerdict")
        frame.setStyleSheet(
            tone_style(self, "warning" if self.mismatch else "ok", "QFrame#mrnVerdict")
        )
        inner = QVBoxLayout(frame)
        if self.mismatch:
            text = (
                f"<b>\u26a0 The MRN in the file ({', '.join(self.held_mrns)}) is not this "
                f"patient's MRN ({self.patient.mrn}).</b><br>The "
                f"{'file gave these rows' if self.treatments else 'laboratory sent these results'}"
                " for a different record number. Assign them only if you have confirmed they "
                "belong to this patient, for example after two records were merged."
            )
        else:
            text = (
                f"\u2713 The MRN in the file is this patient's MRN ({self.patient.mrn}). "
                "The file had no name or birth date to check against."
            )
        self.verdict = QLabel(text, frame)
        self.verdict.setWordWrap(True)
        inner.addWidget(self.verdict)
        return frame

    def is_confirmed(self) -> bool:
        if not self.mismatch:
            return True
        return self.checked_box.isChecked() and bool(self.reason.text().strip())

    def reason_text(self) -> str:
        return self.reason.text().strip() if self.mismatch else ""

    def _update(self, *_args: object) -> None:
        self.confirm_button.setEnabled(self.is_confirmed())
        if self.is_confirmed():
            self.message.setText("")

    def accept(self) -> None:
        if not self.is_confirmed():
            self.message.setText(
                "Tick the box to confirm this is the right patient and give the reason the "
                "MRNs differ; nothing was assigned."
            )
            return
        super().accept()


class DropDialog(QDialog):
    """Asks for the reason before held results are discarded; the reason goes to the audit."""

    def __init__(self, rows: HeldRows, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = rows
        one, several = held_noun(rows)
        self.setWindowTitle(f"Confirm: drop {several}")
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(_heading(f"Drop {plural(len(rows), one, several)}?", self))
        note = QLabel(
            "They will not be stored on any patient. What they were, who dropped them and why "
            "stay in the audit trail; importing the file again brings them back to this list.",
            self,
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(results_table(rows, self))
        self.reason = QComboBox(self)
        self.reason.setEditable(True)
        self.reason.addItems(["", *DROP_REASONS])
        self.reason.setCurrentIndex(0)
        self.reason.setAccessibleName("Reason for dropping")
        edit = self.reason.lineEdit()
        assert edit is not None
        edit.setPlaceholderText("required: choose or type why")
        reason_label = QLabel("&Reason (kept in the audit trail):", self)
        reason_label.setBuddy(self.reason)
        layout.addWidget(reason_label)
        layout.addWidget(self.reason)
        self.message = _error_label(self)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        item = "row" if is_treatments(rows) else "result"
        self.confirm_button = QPushButton(f"&Drop {plural(len(rows), item)}", self)
        self.buttons.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason.currentTextChanged.connect(self._update)
        self.reason.setFocus()
        self._update()

    def reason_text(self) -> str:
        return self.reason.currentText().strip()

    def _update(self, *_args: object) -> None:
        self.confirm_button.setEnabled(bool(self.reason_text()))
        if self.reason_text():
            self.message.setText("")

    def accept(self) -> None:
        if not self.reason_text():
            self.message.setText("Give a reason for dropping these results; nothing was dropped.")
            self.reason.setFocus()
            return
        super().accept()
