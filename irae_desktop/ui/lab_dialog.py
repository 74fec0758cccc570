"""Add a lab result by hand: test, value with comparator, unit, time, range; graded on save."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from irae_desktop.domain.analytes import ANALYTES
from irae_desktop.domain.ungraded import saved_message
from irae_desktop.domain.units import display_unit
from irae_desktop.domain.utc import aware_utc
from irae_desktop.store import labs
from irae_desktop.store.database import Database
from irae_desktop.store.errors import StoreError
from irae_desktop.store.patient_read import read_patient_details
from irae_desktop.ui.errors import plain_message, show_error
from irae_desktop.ui.operations import ALERTS, LABS, Change, WriteOp, run_write


def unit_choices(code: str) -> list[str]:
    """The canonical unit first, then the SI spelling when it differs."""
    canonical = ANALYTES[code].canonical_unit
    choices = [canonical]
    for system in ("US", "SI"):
        try:
            unit = display_unit(code, system)
        except Exception:
            continue
        if unit not in choices:
            choices.append(unit)
    return choices


def _optional_number(text: str, what: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError as exc:
        raise StoreError(f"The {what} {text!r} is not a number.") from exc


class LabDialog(QDialog):
    """Emits `saved(lab_id)`; `result_text` then says the grade the result received."""

    saved = Signal(int)

    def __init__(self, db: Database, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.patient_id = patient_id
        self.result_text = ""
        self.saved_ungraded = False
        self.notice: QMessageBox | None = None
        self.write: WriteOp | None = None
        with db.read() as session:
            patient = read_patient_details(session, patient_id)
            who = f"{patient.name} ({patient.mrn})" if patient else f"patient {patient_id}"
        self.setWindowTitle(f"Add lab result – {who}")
        self.setMinimumWidth(480)
        self.analyte = QComboBox(self)
        for code, analyte in ANALYTES.items():
            self.analyte.addItem(f"{code} – {analyte.name}", code)
        self.value = QLineEdit(self)
        self.value.setPlaceholderText("e.g. 262, <0.1, >600")
        self.unit = QComboBox(self)
        self.unit.setEditable(True)
        self.when = QDateTimeEdit(QDateTime.currentDateTime(), self)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setCalendarPopup(True)
        self.when.setMaximumDateTime(QDateTime.currentDateTime().addSecs(300))
        self.lln = QLineEdit(self)
        self.lln.setPlaceholderText("lower")
        self.uln = QLineEdit(self)
        self.uln.setPlaceholderText("upper")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #B3261E;")

        range_row = QWidget(self)
        row = QHBoxLayout(range_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.lln)
        row.addWidget(QLabel("to", range_row))
        row.addWidget(self.uln)
        form = QFormLayout()
        form.addRow("&Test:", self.analyte)
        form.addRow("&Value:", self.value)
        form.addRow("&Unit:", self.unit)
        form.addRow("&Collected (local time):", self.when)
        form.addRow("&Reference range:", range_row)
        hint = QLabel("Leave the range blank to use the site default.", self)
        hint.setObjectName("muted")
        form.addRow("", hint)
        self.buttons = buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.analyte.currentIndexChanged.connect(self._analyte_changed)
        self._analyte_changed()

    def notify_ungraded(self, parent: QWidget) -> QMessageBox | None:
        """After a save without a grade: a message box with the reason and what to do."""
        if not self.saved_ungraded:
            return None
        self.notice = QMessageBox(
            QMessageBox.Icon.Warning, "Saved without a grade", self.result_text, parent=parent
        )
        self.notice.open()
        return self.notice

    def _analyte_changed(self, *_args: object) -> None:
        self.unit.clear()
        self.unit.addItems(unit_choices(self.analyte.currentData()))

    def collected_at(self) -> datetime:
        local = self.when.dateTime().toPython()
        assert isinstance(local, datetime)
        # the clinician typed local wall-clock time; stored as UTC
        return aware_utc(local.astimezone())

    def save(self) -> WriteOp | None:
        """Parses, then starts the write off the GUI thread and returns it (None when the form
        is refused first); a refusal keeps the dialog open with the reason."""
        if self.write is not None and not self.write.done:
            return None  # already saving
        if not self.value.text().strip():
            self.message.setText("Enter the value as reported (a comparator like <0.1 is fine).")
            return None
        try:
            lln = _optional_number(self.lln.text(), "lower limit")
            uln = _optional_number(self.uln.text(), "upper limit")
        except StoreError as exc:
            self.message.setText(str(exc))
            return None
        patient_id, analyte = self.patient_id, self.analyte.currentData()
        collected_at, value_text = self.collected_at(), self.value.text().strip()
        unit = self.unit.currentText()
        self.buttons.setEnabled(False)
        self.message.setText("Saving\u2026")
        self.write = run_write(
            self.db,
            lambda session, user: labs.save_manual_lab(
                session,
                user,
                patient_id,
                analyte,
                collected_at,
                value_text,
                unit,
                lln=lln,
                uln=uln,
            ),
            title="Save lab result",
            change=Change(frozenset({LABS, ALERTS}), patient_id),
            on_success=self._saved,
            on_failure=self._refused,
        )
        return self.write

    def _refused(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        message = plain_message(exc)
        if message is not None:
            self.message.setText(message)
        else:
            self.message.setText("")
            show_error(self, exc, action="save the lab result")

    def _saved(self, saved: labs.ManualLabSaved) -> None:
        self.buttons.setEnabled(True)
        self.message.setText("")
        # clinical reference, decision 12: an ungraded result says so at once, and what to do
        self.result_text = saved_message(saved.grade, saved.grade_reason)
        self.saved_ungraded = saved.grade is None
        self.saved.emit(saved.lab_id)
        self.accept()
