"""The form for an infection screening result: the test, the day it was taken, the result, a
note, and for a correction the reason (kept in the audit trail)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from irae_desktop.domain.timeline import SCREENING_RESULTS, SCREENING_TESTS
from irae_desktop.ui.date_text import parse_date, short_format
from irae_desktop.ui.patient.forms import FormDialog, Submit

CHOOSE = ""  # the empty first entry: nothing is chosen for the clinician
NOTE_MOST = 500  # characters, as the store keeps them


def _choice(items: dict[str, str], current: str | None) -> QComboBox:
    """A list of `items` (value -> words) that starts on the empty entry unless `current`."""
    box = QComboBox()
    box.addItem(CHOOSE, None)
    for value, words in items.items():
        box.addItem(words, value)
    if current is not None:
        box.setCurrentIndex(max(box.findData(current), 0))
    return box


def date_example() -> str:
    example = QDate(2024, 3, 15).toString(short_format())
    return f"e.g. 2024-03-15 or {example}"


class ScreeningDialog(FormDialog):
    """Add (no `initial`) or correct (with `initial`, and a required reason) a result. Every
    field but the note is required, and nothing is chosen for the clinician: the test and the
    result start empty, and so does the date of a new result (a day left to default would
    record the day of typing, not of the test)."""

    def __init__(
        self,
        submit: Submit,
        *,
        initial: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        correcting = initial is not None
        init = initial or {}
        super().__init__(
            "Correct screening result" if correcting else "Add screening result", submit, parent
        )
        self.correcting = correcting
        self.test = _choice(SCREENING_TESTS, init.get("test"))
        taken_on = init.get("taken_on")
        self.taken_on = QLineEdit(taken_on.isoformat() if isinstance(taken_on, date) else "")
        self.taken_on.setPlaceholderText(date_example())
        self.result = _choice({r: r for r in SCREENING_RESULTS}, init.get("result"))
        self.note = QLineEdit(init.get("note") or "")
        self.note.setMaxLength(NOTE_MOST)
        self.note.setCursorPosition(0)  # a long note shows its beginning
        self.note.setPlaceholderText("optional, e.g. drawn before tofacitinib")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("e.g. laboratory corrected the report")
        self.form.addRow("Test", self.test)
        self.form.addRow("Date taken", self.taken_on)
        self.form.addRow("Result", self.result)
        self.form.addRow("Note", self.note)
        if correcting:
            self.form.addRow("Reason for the correction", self.reason)

    def collect(self) -> dict[str, Any]:
        test = self.test.currentData()
        if test is None:
            raise ValueError("Choose the test.")
        taken_on = parse_date(self.taken_on.text())
        if taken_on is None:
            raise ValueError("Enter the date the test was taken.")
        today = date.today()
        if taken_on > today:
            raise ValueError(
                f"The date {taken_on.isoformat()} is in the future: enter the day the test was "
                "taken."
            )
        result = self.result.currentData()
        if result is None:
            raise ValueError("Choose the result.")
        values = {
            "test": test,
            "taken_on": taken_on,
            "result": result,
            "note": self.note.text().strip() or None,
        }
        if self.correcting:
            reason = self.reason.text().strip()
            if not reason:
                raise ValueError(
                    "Please give the reason for the correction: it is kept in the audit trail."
                )
            values["reason"] = reason
        return values
