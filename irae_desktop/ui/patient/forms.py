"""Non-blocking dialogs for the patient view: validate, then hand the values to a save callback."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from irae_desktop.ui.operations import WriteOp

# the save callback returns a write in flight (irae_desktop.ui.operations), a message to show
# at once (the dialog then stays open), or None when there was nothing to write
Submit = Callable[[dict[str, Any]], WriteOp | str | None]


def parse_positive(text: str, what: str) -> float:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        raise ValueError(f"{what} must be a number, not {text.strip()!r}.") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{what} must be a positive number.")
    return value


def to_date(edit: QDateEdit) -> date:
    q = edit.date()
    return date(q.year(), q.month(), q.day())


def date_edit(initial: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    day = initial or date.today()
    edit.setDate(QDate(day.year, day.month, day.day))
    return edit


def combo(items: Sequence[str], *, editable: bool = False, current: str | None = None) -> QComboBox:
    box = QComboBox()
    box.setEditable(editable)
    box.addItems(list(items))
    if current:
        if box.findText(current) < 0:
            box.addItem(current)
        box.setCurrentText(current)
    return box


class FormDialog(QDialog):
    """A form with an error line; OK runs `collect` then `submit`, and closes only on success."""

    def __init__(self, title: str, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self._submit = submit
        self.saving: WriteOp | None = None
        self.form = QFormLayout()
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #B3261E; font-weight: bold;")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def fields(self) -> list[QWidget]:
        """The form's input widgets, top to bottom."""
        out = []
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            widget = item.widget() if item is not None else None
            if widget is not None and widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                out.append(widget)
        return out

    def showEvent(self, event: QShowEvent) -> None:
        # the buttons are made before the fields, so by default Tab would start on OK: the
        # order is set to follow the form from top to bottom, then OK and Cancel
        chain = [*self.fields(), *self.buttons.buttons()]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        fields = self.fields()
        focused = QApplication.focusWidget()
        if fields and (focused is None or not self.isAncestorOf(focused)):
            fields[0].setFocus(Qt.FocusReason.TabFocusReason)
        super().showEvent(event)

    def collect(self) -> dict[str, Any]:
        """The entered values; raises ValueError with a message for the user."""
        raise NotImplementedError

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def accept(self) -> None:
        if self.saving is not None:
            return  # one save at a time
        try:
            values = self.collect()
        except ValueError as exc:
            self.show_error(str(exc))
            return
        outcome = self._submit(values)
        if isinstance(outcome, WriteOp):
            self._wait_for(outcome)
            return
        if outcome:
            self.show_error(outcome)
            return
        super().accept()

    def _wait_for(self, op: WriteOp) -> None:
        """Keeps the dialog open, its buttons off, until the write in flight is saved or
        refused; the window stays usable meanwhile."""
        self.saving = op
        self.buttons.setEnabled(False)
        self.error_label.hide()
        op.saved.connect(self._saved)
        op.refused.connect(self._refused)

    def _saved(self, _result: object) -> None:
        self.saving = None
        self.buttons.setEnabled(True)
        super().accept()

    def _refused(self, words: str) -> None:
        self.saving = None
        self.buttons.setEnabled(True)
        self.show_error(words)


class ReasonDialog(FormDialog):
    """A correction of a lab value: the new value text, its unit, and a required reason."""

    def __init__(
        self,
        title: str,
        submit: Submit,
        *,
        value: str = "",
        unit: str = "",
        units: Sequence[str] = (),
        ask_value: bool = True,
        reason_label: str = "Reason",
        reason_required: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, submit, parent)
        self.reason_required = reason_required
        self.value_edit = QLineEdit(value)
        self.value_edit.setPlaceholderText("e.g. 84, <0.1, >600")
        self.unit_combo = combo(units or [unit], editable=True, current=unit)
        if ask_value:
            self.form.addRow("New value", self.value_edit)
            self.form.addRow("Unit", self.unit_combo)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(
            "e.g. transcription error, lab called with corrected value"
        )
        self.form.addRow(reason_label, self.reason_edit)
        self.ask_value = ask_value

    def collect(self) -> dict[str, Any]:
        reason = self.reason_edit.text().strip()
        if self.reason_required and not reason:
            raise ValueError("Please give a reason: it is kept in the audit trail.")
        out: dict[str, Any] = {"reason": reason or None}
        if self.ask_value:
            text = self.value_edit.text().strip()
            if not text:
                raise ValueError("Enter the corrected value.")
            out["value_text"] = text
            out["unit"] = self.unit_combo.currentText().strip()
        return out


class DatedReasonDialog(FormDialog):
    """A date and a reason: hold, resume or stop a treatment line."""

    def __init__(
        self,
        title: str,
        submit: Submit,
        *,
        reason_required: bool,
        ask_reason: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, submit, parent)
        self.date_edit = date_edit()
        self.reason_edit = QLineEdit()
        self.reason_required = reason_required
        self.form.addRow("Date", self.date_edit)
        if ask_reason:
            self.form.addRow("Reason", self.reason_edit)

    def collect(self) -> dict[str, Any]:
        reason = self.reason_edit.text().strip()
        if self.reason_required and not reason:
            raise ValueError("Please give a reason.")
        return {"date": to_date(self.date_edit), "reason": reason or None}


class EpisodeDialog(FormDialog):
    ORGANS = (
        "hepatitis",
        "diabetes",
        "colitis",
        "pneumonitis",
        "thyroiditis",
        "hypophysitis",
        "dermatitis",
        "myocarditis",
        "nephritis",
        "other",
    )
    STATUSES = ("active", "improving", "resolved")

    def __init__(
        self,
        submit: Submit,
        *,
        initial: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("irAE episode", submit, parent)
        init = initial or {}
        self.organ = combo(self.ORGANS, editable=True, current=init.get("organ"))
        self.onset = date_edit(init.get("onset"))
        self.grade = QSpinBox()
        self.grade.setRange(0, 5)
        self.grade.setSpecialValueText("not graded")
        self.grade.setValue(init.get("grade") or 0)
        self.status = combo(self.STATUSES, current=init.get("status"))
        self.resolution = QLineEdit(
            init["resolution"].isoformat() if init.get("resolution") else ""
        )
        self.resolution.setPlaceholderText("YYYY-MM-DD, empty while not resolved")
        self.notes = QPlainTextEdit(init.get("notes") or "")
        self.notes.setMaximumHeight(80)
        self.notes.setTabChangesFocus(True)  # Tab moves on to OK, as in every other field
        for label, widget in (
            ("Organ / type", self.organ),
            ("Onset", self.onset),
            ("CTCAE grade", self.grade),
            ("Status", self.status),
            ("Resolved on", self.resolution),
            ("Notes", self.notes),
        ):
            self.form.addRow(label, widget)

    def collect(self) -> dict[str, Any]:
        organ = self.organ.currentText().strip()
        if not organ:
            raise ValueError("Say which organ or type of irAE.")
        resolution = None
        text = self.resolution.text().strip()
        if text:
            try:
                resolution = date.fromisoformat(text)
            except ValueError:
                raise ValueError(f"Resolution date {text!r} is not YYYY-MM-DD.") from None
        return {
            "organ": organ,
            "onset": to_date(self.onset),
            "grade": self.grade.value() or None,
            "status": self.status.currentText(),
            "resolution": resolution,
            "notes": self.notes.toPlainText().strip() or None,
        }


class NoteDialog(FormDialog):
    def __init__(
        self,
        submit: Submit,
        *,
        initial: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Consult note", submit, parent)
        init = initial or {}
        self.text = QPlainTextEdit(init.get("text") or "")
        self.plan = QPlainTextEdit(init.get("plan") or "")
        self.text.setMinimumHeight(120)
        self.plan.setMaximumHeight(90)
        for edit in (self.text, self.plan):
            edit.setTabChangesFocus(True)  # Tab goes from assessment to plan to OK
        self.form.addRow("Assessment", self.text)
        self.form.addRow("Plan", self.plan)

    def collect(self) -> dict[str, Any]:
        text = self.text.toPlainText().strip()
        if not text:
            raise ValueError("The note is empty.")
        return {"text": text, "plan": self.plan.toPlainText().strip() or None}
