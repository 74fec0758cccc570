"""The patient's infection screening results on the Treatments tab, where the lines they are
asked for are started: the latent tuberculosis and hepatitis B tests a JAK inhibitor or
infliximab calls for before its start. Newest first; add, correct (with a reason) and delete
(with a reason), each through the one write helper."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from irae_desktop.domain.screening_names import calls_for_attention
from irae_desktop.store.screenings import ScreeningRecord, newest_first
from irae_desktop.ui.operations import WriteOp
from irae_desktop.ui.patient.forms import FormDialog, ReasonDialog
from irae_desktop.ui.patient.screening_form import ScreeningDialog
from irae_desktop.ui.patient.write_buttons import WriteButtons
from irae_desktop.ui.theme import severity_text_color

Save = Callable[[Callable[[Any, str], Any]], WriteOp]
ID_ROLE = 256
COLUMNS = ("Test", "Date", "Result", "Note")
NONE_RECORDED = "No screening results recorded."
TOP_LEFT = Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
# how a result that calls for attention (domain.screening_names.calls_for_attention) stands
# out; the word is always written too
RESULT_SEVERITY = {"positive": "critical", "indeterminate": "warning"}


class ScreeningPanel(QWidget):
    def __init__(self, save: Save, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self._patient_id: int | None = None
        self._results: tuple[ScreeningRecord, ...] = ()
        self.active_dialog: FormDialog | None = None
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)  # a long note wraps in its column, never cut
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        # the rows' heights follow the note column's width, as the window is resized
        self.tree.header().sectionResized.connect(lambda *_: self._fit_notes())
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.tree.itemDoubleClicked.connect(lambda *_: self.correct_result())
        self.empty_label = QLabel(NONE_RECORDED)
        self.empty_label.setStyleSheet("color: palette(mid);")
        self.buttons: dict[str, QPushButton] = {}
        self.write_buttons = WriteButtons()
        bar = QHBoxLayout()
        title = QLabel("<b>Infection screening</b> (TB and hepatitis B)")
        title.setToolTip(
            "Latent tuberculosis and hepatitis B tests, which a JAK inhibitor or infliximab "
            "calls for before its start"
        )
        bar.addWidget(title)
        bar.addStretch(1)
        for key, text, slot in (
            ("add", "Add result\u2026", self.add_result),
            ("correct", "Correct\u2026", self.correct_result),
            ("delete", "Delete\u2026", self.delete_result),
        ):
            button = self.write_buttons.add(QPushButton(text))
            button.clicked.connect(slot)
            self.buttons[key] = button
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.tree, 1)
        self._selection_changed()

    def set_results(self, patient_id: int, results: tuple[ScreeningRecord, ...]) -> None:
        selected = self.selected()
        self._patient_id, self._results = patient_id, results
        self.tree.clear()
        for record in newest_first(results):
            item = QTreeWidgetItem(
                [record.short_label, record.taken_on.isoformat(), record.result, record.note or ""]
            )
            item.setData(0, ID_ROLE, record.id)
            severity = RESULT_SEVERITY.get(record.result)
            if severity is not None and calls_for_attention(record.test, record.result):
                item.setForeground(2, QBrush(severity_text_color(severity)))
                font = QFont(item.font(2))
                font.setBold(True)
                item.setFont(2, font)
            tip = f"{record.label} {record.taken_on.isoformat()}: {record.result}"
            tip += (f"\n{record.note}" if record.note else "") + f"\nSource: {record.source}"
            for column in range(len(COLUMNS)):
                item.setToolTip(column, tip)
                # a wrapped note makes the row tall: every cell reads from its top line
                item.setTextAlignment(column, TOP_LEFT)
            self.tree.addTopLevelItem(item)
            if selected is not None and selected.id == record.id:
                self.tree.setCurrentItem(item)
        for column in range(len(COLUMNS) - 1):  # the note takes what is left
            self.tree.resizeColumnToContents(column)
        self._fit_notes()
        self.empty_label.setVisible(not results)
        self.tree.setVisible(bool(results))
        self._selection_changed()

    def _fit_notes(self) -> None:
        """Makes each row as tall as its note needs, wrapped to the note column's width (the
        view does not work wrapped heights out for itself)."""
        note = len(COLUMNS) - 1
        width = max(self.tree.columnWidth(note) - 8, 40)
        metrics = self.tree.fontMetrics()
        flags = int(Qt.TextFlag.TextWordWrap)
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is None:
                continue
            height = metrics.boundingRect(QRect(0, 0, width, 10_000), flags, item.text(note))
            item.setSizeHint(note, QSize(width, max(height.height(), metrics.height()) + 4))

    def selected(self) -> ScreeningRecord | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        wanted = item.data(0, ID_ROLE)
        return next((r for r in self._results if r.id == wanted), None)

    def select(self, screening_id: int) -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is not None and item.data(0, ID_ROLE) == screening_id:
                self.tree.setCurrentItem(item)

    def _selection_changed(self) -> None:
        chosen = self.selected() is not None
        enable = self.write_buttons.enable
        enable(self.buttons["add"], self._patient_id is not None)
        enable(self.buttons["correct"], chosen)
        enable(self.buttons["delete"], chosen)
        tips = {
            "add": "Record a latent TB or hepatitis B test result",
            "correct": "Correct the selected result (the reason is kept in the audit trail)",
            "delete": "Delete the selected result (the reason is kept in the audit trail)",
        }
        for key, tip in tips.items():
            self.write_buttons.set_tip(self.buttons[key], tip)

    def _open(self, dialog: FormDialog) -> FormDialog:
        self.active_dialog = dialog
        dialog.open()
        return dialog

    def add_result(self) -> FormDialog | None:
        patient_id = self._patient_id
        if patient_id is None or not self.write_buttons.writable:
            return None
        from irae_desktop.store.screenings import add_screening

        return self._open(
            ScreeningDialog(
                lambda v: self._save(lambda s, user: add_screening(s, user, patient_id, **v)),
                parent=self,
            )
        )

    def correct_result(self) -> FormDialog | None:
        record = self.selected()
        if record is None or not self.write_buttons.writable:
            return None
        from irae_desktop.store.screenings import correct_screening

        def submit(values: dict[str, Any]) -> WriteOp:
            reason = values.pop("reason")
            return self._save(
                lambda s, user: correct_screening(
                    s,
                    user,
                    record.id,
                    expected_version=record.version,
                    changes=values,
                    reason=reason,
                )
            )

        initial = {
            "test": record.test,
            "taken_on": record.taken_on,
            "result": record.result,
            "note": record.note,
        }
        return self._open(ScreeningDialog(submit, initial=initial, parent=self))

    def delete_result(self) -> FormDialog | None:
        record = self.selected()
        if record is None or not self.write_buttons.writable:
            return None
        from irae_desktop.store.screenings import delete_screening

        title = f"Delete {record.label} of {record.taken_on.isoformat()} ({record.result})"
        return self._open(
            ReasonDialog(
                title,
                lambda v: self._save(
                    lambda s, user: delete_screening(
                        s, user, record.id, reason=v["reason"], expected_version=record.version
                    )
                ),
                ask_value=False,
                reason_label="Why delete it",
                parent=self,
            )
        )
