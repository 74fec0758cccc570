"""New and edit patient dialog: unique MRN, saved through store.patients with audit."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from irae_desktop.store import patients
from irae_desktop.store.database import Database
from irae_desktop.store.patient_read import read_patient_details
from irae_desktop.ui.date_text import parse_date, short_format
from irae_desktop.ui.errors import plain_message, show_error
from irae_desktop.ui.operations import PATIENTS, Change, WriteOp, run_write

SEXES = (("", "not recorded"), ("F", "female"), ("M", "male"), ("O", "other"), ("U", "unknown"))


class PatientDialog(QDialog):
    """Creates a patient (patient_id None) or edits one; emits `saved(patient_id)`."""

    saved = Signal(int)

    def __init__(
        self, db: Database, patient_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.patient_id = patient_id
        self._version: int | None = None
        self.write: WriteOp | None = None
        self.setWindowTitle("Edit patient" if patient_id else "New patient")
        self.setMinimumWidth(460)

        self.mrn = QLineEdit(self)
        self.mrn.setAccessibleName("MRN")
        self.name = QLineEdit(self)
        # typed text, read from the first key: ISO or the locale's short form; empty if unknown
        self.birth = QLineEdit(self)
        self.birth.setPlaceholderText(
            f"1958-04-17 or {QDate(1958, 4, 17).toString(short_format())}"
        )
        self.birth.setAccessibleName("Date of birth")
        self.birth_read = QLabel(self)
        self.birth_read.setObjectName("muted")
        self.birth.textChanged.connect(self._show_birth)
        self._show_birth("")
        self.sex = QComboBox(self)
        for code, label in SEXES:
            self.sex.addItem(label, code)
        self.weight = QDoubleSpinBox(self)
        self.weight.setRange(0.0, 400.0)
        self.weight.setDecimals(1)
        self.weight.setSuffix(" kg")
        self.weight.setSpecialValueText("not recorded")
        self.diagnosis = QLineEdit(self)
        self.status = QComboBox(self)
        self.status.addItem("active", "active")
        self.status.addItem("signed off", "signed_off")
        self.status.setEnabled(patient_id is not None)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #B3261E;")

        form = QFormLayout()
        form.addRow("&MRN:", self.mrn)
        form.addRow("&Name:", self.name)
        birth_row = QWidget(self)
        row = QHBoxLayout(birth_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.birth, 1)
        row.addWidget(self.birth_read)
        form.addRow("&Date of birth:", birth_row)
        form.addRow("&Sex:", self.sex)
        form.addRow("&Weight:", self.weight)
        form.addRow("D&iagnosis:", self.diagnosis)
        form.addRow("S&tatus:", self.status)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.mrn.textChanged.connect(self._check_mrn)
        if patient_id is not None:
            self._load(patient_id)

    def _load(self, patient_id: int) -> None:
        with self.db.read() as session:
            p = read_patient_details(session, patient_id)
            if p is None:
                raise patients.PatientNotFoundError("This patient no longer exists.")
            self._version = p.version
            self.mrn.setText(p.mrn)
            self.name.setText(p.name)
            self.birth.setText(p.birth_date.isoformat() if p.birth_date else "")
            self.sex.setCurrentIndex(max(0, self.sex.findData(p.sex or "")))
            self.weight.setValue(p.weight_kg or 0.0)
            self.diagnosis.setText(p.diagnosis or "")
            self.status.setCurrentIndex(max(0, self.status.findData(p.status)))

    def _check_mrn(self, text: str) -> bool:
        """Tells the user at once when the MRN is taken, before they fill in the rest."""
        cleaned = text.strip()
        if not cleaned:
            self.message.setText("")
            return False
        with self.db.read() as session:
            taken = patients.mrn_taken(session, cleaned, except_id=self.patient_id)
        self.message.setText(f"MRN {cleaned} already belongs to another patient." if taken else "")
        return not taken

    def _show_birth(self, text: str) -> None:
        """Says how the typed date was read (a short 04/05 form means different days)."""
        try:
            day = parse_date(text)
        except ValueError:
            self.birth_read.setText("not a date yet")
            return
        self.birth_read.setText(day.strftime("%d %b %Y") if day else "not recorded")

    def values(self) -> dict[str, Any]:
        """The entered values; ValueError with a message when the birth date cannot be read."""
        birth = parse_date(self.birth.text())
        if birth is not None and birth > date.today():
            raise ValueError(f"The date of birth {birth.isoformat()} is in the future.")
        return {
            "mrn": self.mrn.text().strip(),
            "name": self.name.text().strip(),
            "birth_date": birth,
            "sex": self.sex.currentData() or None,
            "weight_kg": self.weight.value() or None,
            "diagnosis": self.diagnosis.text().strip() or None,
            "status": self.status.currentData(),
        }

    def save(self) -> WriteOp | None:
        """Starts writing the patient off the GUI thread and returns the write in flight (None
        when the form is refused first); the dialog stays open, its buttons off, until the
        write is saved (then it closes) or refused (the reason shown)."""
        if self.write is not None and not self.write.done:
            return None  # already saving
        try:
            v = self.values()
        except ValueError as exc:
            self.message.setText(str(exc))
            self.birth.setFocus()
            return None
        if not v["mrn"]:
            self.message.setText("An MRN is required.")
            self.mrn.setFocus()
            return None
        patient_id, version = self.patient_id, self._version
        self.buttons.setEnabled(False)
        self.message.setText("Saving\u2026")
        self.write = run_write(
            self.db,
            lambda session, user: patients.save_patient(
                session, user, v, patient_id=patient_id, expected_version=version
            ),
            title="Save patient",
            change=Change(frozenset({PATIENTS}), patient_id),
            on_success=self._saved,
            on_failure=self._refused,
        )
        return self.write

    def _saved(self, saved_id: int) -> None:
        self.buttons.setEnabled(True)
        self.message.setText("")
        self.saved.emit(saved_id)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        message = plain_message(exc)
        if message is None:
            self.message.setText("")
            show_error(self, exc, action="save the patient")
            return
        self.message.setText(message)
        if isinstance(exc, patients.DuplicateMrnError):
            self.mrn.setFocus()
            self.mrn.selectAll()
