"""The Labs tab: a sortable list and a date x analyte flowsheet, analyte filter, US/SI units, and
correction with a reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSize
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from irae_desktop.domain.analytes import display_rank
from irae_desktop.store.patient_read import StoredLab
from irae_desktop.ui.operations import WriteOp
from irae_desktop.ui.patient.display import analyte_label
from irae_desktop.ui.patient.flowsheet import FlowsheetModel
from irae_desktop.ui.patient.forms import ReasonDialog
from irae_desktop.ui.patient.lab_model import (
    COL_RULE,
    COL_SOURCE,
    COL_TIME,
    HEADERS,
    NEEDS_REVIEW,
    LabFilterProxy,
    LabTableModel,
)
from irae_desktop.ui.patient.write_buttons import WriteButtons

Save = Callable[[Callable[[Any, str], Any]], WriteOp]


class TextSizeCache(QStyledItemDelegate):
    """Measures each distinct text of a column once.

    Qt lays out the text of every cell it sizes (a quarter of a millisecond each); a column of
    results repeats a few texts (tests, units, grades, ranges), so most cells cost a lookup.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sizes: dict[tuple[int, str, str], QSize] = {}

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        key = (index.column(), str(index.data()), option.font.key())
        size = self._sizes.get(key)
        if size is None:
            if len(self._sizes) > 20_000:  # times and values are all different: stay small
                self._sizes.clear()
            size = self._sizes[key] = super().sizeHint(option, index)
        return QSize(size)


class LabsTab(QWidget):
    def __init__(self, save: Save, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self.active_dialog: ReasonDialog | None = None
        self.model = LabTableModel(self)
        self.proxy = LabFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.analyte_filter = QComboBox()
        self.analyte_filter.currentIndexChanged.connect(self._filter_changed)
        self.write_buttons = WriteButtons()
        self.correct_button = self.write_buttons.add(QPushButton("Correct value\u2026"))
        self.correct_button.setToolTip(
            "Replace a wrong value; the old one stays in the audit trail"
        )
        self.correct_button.clicked.connect(self.correct_selected)
        self.confirm_button = self.write_buttons.add(QPushButton("Confirm value\u2026"))
        self.confirm_button.setToolTip(
            "A result marked 'needs review' is true as reported: grade it from now on"
        )
        self.confirm_button.clicked.connect(self.confirm_selected)
        self.confirm_button.setEnabled(False)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_TIME, self.proxy.sortOrder().DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        # one line per result: long sources and rules are elided, and shown whole in the tooltip
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setItemDelegate(TextSizeCache(self.table))
        header = self.table.horizontalHeader()
        # size columns from a sample of rows: measuring thousands of results stalls the window
        header.setResizeContentsPrecision(100)
        header.setSectionResizeMode(COL_RULE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_SOURCE, QHeaderView.ResizeMode.Interactive)
        self._size_columns_to_contents(False)  # until shown: see showEvent
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.flowsheet_model = FlowsheetModel(self)
        self.flowsheet = QTableView()
        self.flowsheet.setModel(self.flowsheet_model)
        self.flowsheet.setWordWrap(False)
        self.flowsheet.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.flowsheet.verticalHeader().setDefaultSectionSize(24)
        sheet_header = self.flowsheet.horizontalHeader()
        sheet_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        sheet_header.setMinimumSectionSize(72)  # "612 G3" needs room to read at a glance
        self.views = QStackedWidget()
        self.views.addWidget(self.table)
        self.views.addWidget(self.flowsheet)
        self.list_button = QPushButton("&List")
        self.flowsheet_button = QPushButton("&Flowsheet")
        self.list_button.setToolTip("One line per result, newest first")
        self.flowsheet_button.setToolTip("One row per draw, one column per test")
        self._view_group = QButtonGroup(self)
        for number, button in enumerate((self.list_button, self.flowsheet_button)):
            button.setCheckable(True)
            self._view_group.addButton(button, number)
        self.list_button.setChecked(True)
        self._view_group.idClicked.connect(self.show_view)
        self.count_label = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.list_button)
        bar.addWidget(self.flowsheet_button)
        bar.addSpacing(12)
        bar.addWidget(QLabel("Test:"))
        bar.addWidget(self.analyte_filter)
        bar.addWidget(self.count_label)
        bar.addStretch(1)
        bar.addWidget(self.confirm_button)
        bar.addWidget(self.correct_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.views, 1)

    def show_view(self, number: int) -> None:
        """0 shows the list, 1 the flowsheet; the analyte filter applies to both."""
        self.views.setCurrentIndex(number)
        self._view_group.button(number).setChecked(True)
        self.write_buttons.enable(self.correct_button, number == 0)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._size_columns_to_contents(True)

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        # a hidden table still measures its cells when the window is rendered; measure only
        # what is seen (opening a patient on the Trends tab measured 900 cells for nothing)
        self._size_columns_to_contents(False)

    def _size_columns_to_contents(self, on: bool) -> None:
        mode = QHeaderView.ResizeMode.ResizeToContents if on else QHeaderView.ResizeMode.Interactive
        header = self.table.horizontalHeader()
        for column in range(len(HEADERS)):
            if column not in (COL_RULE, COL_SOURCE):
                header.setSectionResizeMode(column, mode)

    def set_labs(self, labs: tuple[StoredLab, ...]) -> None:
        current = self.analyte_filter.currentData()
        self.model.set_labs(labs)
        self.flowsheet_model.set_labs(labs)
        codes = sorted({lab.analyte for lab in labs}, key=display_rank)
        self.analyte_filter.blockSignals(True)
        self.analyte_filter.clear()
        self.analyte_filter.addItem("All tests", None)
        for code in codes:
            self.analyte_filter.addItem(analyte_label(code), code)
        index = self.analyte_filter.findData(current)
        self.analyte_filter.setCurrentIndex(max(index, 0))
        self.analyte_filter.blockSignals(False)
        self._filter_changed()
        self._selection_changed()

    def set_units(self, system: str) -> None:
        self.model.set_units(system)
        self.flowsheet_model.set_units(system)

    def _filter_changed(self) -> None:
        chosen = self.analyte_filter.currentData()
        self.proxy.set_analyte(chosen)
        for column, code in enumerate(self.flowsheet_model.analytes):
            self.flowsheet.setColumnHidden(column, chosen is not None and code != chosen)
        self.count_label.setText(f"{self.proxy.rowCount()} result(s)")

    def selected_lab(self) -> StoredLab | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        source = self.proxy.mapToSource(rows[0])
        return self.model.lab_at(source.row())

    def select_lab(self, lab_id: int) -> None:
        for row in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(row, 0))
            if self.model.lab_at(source.row()).id == lab_id:
                self.table.selectRow(row)
                return

    def _selection_changed(self, *_args: object) -> None:
        lab = self.selected_lab()
        self.write_buttons.enable(
            self.confirm_button, lab is not None and lab.status == NEEDS_REVIEW
        )

    def _double_clicked(self, _index: object) -> None:
        if self.write_buttons.writable:  # a read-only account's double-click opens no form
            self.correct_selected()

    def confirm_selected(self) -> ReasonDialog | None:
        """Confirms a result held for review as true (audited); it is then graded."""
        lab = self.selected_lab()
        if lab is None or lab.status != NEEDS_REVIEW:
            return None

        def submit(values: dict[str, Any]) -> WriteOp | str | None:
            from irae_desktop.store.labs import confirm_held_lab

            return self._save(
                lambda s, user: confirm_held_lab(s, user, lab.id, lab.version, values["reason"])
            )

        dialog = ReasonDialog(
            f"Confirm {analyte_label(lab.analyte)} {lab.comparator}{lab.value:g} {lab.unit} of "
            f"{lab.collected_at.astimezone():%Y-%m-%d %H:%M} as true",
            submit,
            ask_value=False,
            reason_label="Why it is right",
            parent=self,
        )
        self.active_dialog = dialog
        dialog.open()
        return dialog

    def correct_selected(self) -> ReasonDialog | None:
        lab = self.selected_lab()
        if lab is None:
            return None

        def submit(values: dict[str, Any]) -> WriteOp | str | None:
            from irae_desktop.store.labs import correct_lab

            return self._save(
                lambda s, user: correct_lab(
                    s,
                    user,
                    lab.id,
                    lab.version,
                    values["value_text"],
                    values["unit"],
                    values["reason"],
                )
            )

        units = [lab.unit] + (
            [lab.original_unit] if lab.original_unit not in ("", lab.unit) else []
        )
        dialog = ReasonDialog(
            f"Correct {analyte_label(lab.analyte)} of "
            f"{lab.collected_at.astimezone():%Y-%m-%d %H:%M}",
            submit,
            value=f"{lab.comparator}{lab.value:g}",
            unit=lab.unit,
            units=units,
            parent=self,
        )
        self.active_dialog = dialog
        dialog.open()
        return dialog
