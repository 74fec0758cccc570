"""New and edit patient dialog: unique MRN, saved through store.patients with audit."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
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

from irae_desktop.domain.records import PatientRecord, Sex
from irae_desktop.store import patients
from irae_desktop.store.audit import current_user
from irae_desktop.store.database import Database
from irae_desktop.store.errors import ConcurrentEditError, StoreError
from irae_desktop.store.models import Patient
from irae_desktop.ui.errors import plain_message, show_error

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
        self.setWindowTitle("Edit patient" if patient_id else "New patient")
        self.setMinimumWidth(460)

        self.mrn = QLineEdit(self)
        self.mrn.setAccessibleName("MRN")
        self.name = QLineEdit(self)
        self.has_birth = QCheckBox("&Known", self)
        self.birth = QDateEdit(self)
        self.birth.setDisplayFormat("yyyy-MM-dd")
        self.birth.setCalendarPopup(True)
        self.birth.setMaximumDate(QDate.currentDate())
        self.birth.setDate(QDate(1960, 1, 1))
        self.birth.setEnabled(False)
        self.has_birth.toggled.connect(self.birth.setEnabled)
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
        row.addWidget(self.has_birth)
        row.addWidget(self.birth, 1)
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
            p = session.get(Patient, patient_id)
            if p is None:
                raise patients.PatientNotFoundError("This patient no longer exists.")
            self._version = p.version
            self.mrn.setText(p.mrn)
            self.name.setText(p.name)
            if p.birth_date is not None:
                self.has_birth.setChecked(True)
                self.birth.setDate(QDate(p.birth_date.year, p.birth_date.month, p.birth_date.day))
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

    def values(self) -> dict[str, Any]:
        birth = self.birth.date().toPython() if self.has_birth.isChecked() else None
        return {
            "mrn": self.mrn.text().strip(),
            "name": self.name.text().strip(),
            "birth_date": birth,
            "sex": self.sex.currentData() or None,
            "weight_kg": self.weight.value() or None,
            "diagnosis": self.diagnosis.text().strip() or None,
            "status": self.status.currentData(),
        }

    def save(self) -> bool:
        """Writes the patient; on any refusal the dialog stays open with the reason shown."""
        v = self.values()
        if not v["mrn"]:
            self.message.setText("An MRN is required.")
            self.mrn.setFocus()
            return False
        try:
            with self.db.write() as session:
                if self.patient_id is None:
                    record = PatientRecord(
                        mrn=v["mrn"],
                        name=v["name"],
                        birth_date=v["birth_date"],
                        sex=Sex(v["sex"]) if v["sex"] else None,
                        weight_kg=v["weight_kg"],
                        diagnosis=v["diagnosis"],
                    )
                    saved_id = patients.create_patient(session, record, user=current_user()).id
                else:
                    assert self._version is not None
                    patients.update_patient(
                        session,
                        self.patient_id,
                        expected_version=self._version,
                        changes=v,
                        user=current_user(),
                    )
                    saved_id = self.patient_id
        except ConcurrentEditError as exc:
            self.message.setText(str(exc))
            return False
        except StoreError as exc:
            self.message.setText(str(exc))
            if isinstance(exc, patients.DuplicateMrnError):
                self.mrn.setFocus()
                self.mrn.selectAll()
            return False
        except Exception as exc:
            if plain_message(exc) is not None:
                self.message.setText(plain_message(exc) or "")
            else:
                show_error(self, exc, action="save the patient")
            return False
        self.saved.emit(saved_id)
        self.accept()
        return True
