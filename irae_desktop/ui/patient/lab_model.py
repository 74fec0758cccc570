"""The labs table model: one row per result, grade colour and text, unit system, censored values."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from irae_desktop.domain.analytes import analyte_label, display_rank
from irae_desktop.domain.grade_display import result_grade_text
from irae_desktop.domain.value_format import range_text, text_in_units
from irae_desktop.store.patient_read import StoredLab
from irae_desktop.ui.grade_style import grade_color, grade_text_color
from irae_desktop.ui.patient.display import format_number, local_time_text, value_text

(
    COL_TIME,
    COL_ANALYTE,
    COL_VALUE,
    COL_UNIT,
    COL_RANGE,
    COL_GRADE,
    COL_RULE,
    COL_STATUS,
    COL_SOURCE,
) = range(9)
HEADERS = (
    "Collected",
    "Test",
    "Value",
    "Unit",
    "Reference range",
    "Grade",
    "Rule",
    "Status",
    "Source",
)

LAB_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
ANALYTE_ROLE = Qt.ItemDataRole.UserRole + 3

# held for a clinician: beyond values reported in a living patient (clinical reference,
# decision 11)
NEEDS_REVIEW = "needs_review"
NEEDS_REVIEW_COLOR = "#B3261E"
STATUS_TEXT = {"entered-in-error": "withdrawn", NEEDS_REVIEW: "needs review"}

Index = QModelIndex | QPersistentModelIndex

_BY_TIME = attrgetter("collected_at")


def _by_analyte(lab: StoredLab) -> tuple[int, str]:
    return display_rank(lab.analyte)


def time_ordered(labs: Any, newest_first: bool) -> list[StoredLab]:
    """By collection time, and within one draw in the analyte table's display order (whichever
    way time runs): two stable passes, since reversing one key must not reverse the other."""
    rows = sorted(labs, key=_by_analyte)
    rows.sort(key=_BY_TIME, reverse=newest_first)
    return rows


class LabTableModel(QAbstractTableModel):
    """Newest first; values shown in the chosen unit system ("US" or "SI")."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[StoredLab] = []
        self._system = "US"
        self._sort_column = COL_TIME
        self._order = Qt.SortOrder.DescendingOrder
        # display texts per row (by id(row)) in the current unit system, made when first asked:
        # sizing the columns and painting ask for the same few cells many times
        self._texts: dict[int, tuple[str, ...]] = {}

    def set_labs(self, labs: tuple[StoredLab, ...]) -> None:
        self.beginResetModel()
        self._texts.clear()
        self._rows = self._sorted(labs)
        self.endResetModel()

    def _sorted(self, labs: Any) -> list[StoredLab]:
        descending = self._order == Qt.SortOrder.DescendingOrder
        if self._sort_column == COL_TIME:
            return time_ordered(labs, descending)
        return sorted(labs, key=self._key, reverse=descending)

    def _key(self, lab: StoredLab) -> tuple[Any, ...]:
        col = self._sort_column
        if col == COL_TIME:
            primary: Any = lab.collected_at.timestamp()
        elif col == COL_VALUE:
            primary = lab.value
        elif col == COL_GRADE:
            primary = -1 if lab.grade is None else lab.grade
        else:
            primary = str(self._display(lab, col)).casefold()
        return (primary, lab.collected_at, display_rank(lab.analyte))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """One Python key per row: a comparison sort through Qt would call data() for every
        pair, which froze the window for seconds on a patient with thousands of results."""
        if not 0 <= column < len(HEADERS):
            return
        self._sort_column, self._order = column, order
        self.layoutAboutToBeChanged.emit()
        previous = list(self._rows)
        self._rows = self._sorted(self._rows)
        new_row = {id(lab): row for row, lab in enumerate(self._rows)}
        moved_from = self.persistentIndexList()
        moved_to = [
            self.index(new_row[id(previous[i.row()])], i.column())
            if 0 <= i.row() < len(previous)
            else QModelIndex()
            for i in moved_from
        ]
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()

    def set_units(self, system: str) -> None:
        if system == self._system:
            return
        self._system = system
        self._texts.clear()
        if self._rows:
            top = self.index(0, COL_VALUE)
            bottom = self.index(len(self._rows) - 1, COL_RULE)
            self.dataChanged.emit(top, bottom)

    @property
    def units(self) -> str:
        return self._system

    def lab_at(self, row: int) -> StoredLab:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def _range_text(self, lab: StoredLab) -> str:
        return range_text(lab.analyte, lab.lln, lab.uln, lab.unit, self._system, "none reported")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        lab = self._rows[index.row()]
        col = index.column()
        if role == LAB_ROLE:
            return lab
        if role == ANALYTE_ROLE:
            return lab.analyte
        if role == SORT_ROLE:
            if col == COL_TIME:
                return lab.collected_at.timestamp()
            if col == COL_VALUE:
                return lab.value
            if col == COL_GRADE:
                return -1 if lab.grade is None else lab.grade
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.DisplayRole:
            texts = self._texts.get(id(lab))
            if texts is None:
                texts = self._texts[id(lab)] = tuple(
                    self._display(lab, c) for c in range(len(HEADERS))
                )
            return texts[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(lab)
        if col == COL_GRADE and lab.grade is not None:
            if role == Qt.ItemDataRole.BackgroundRole:
                return grade_color(lab.grade)
            if role == Qt.ItemDataRole.ForegroundRole:
                return grade_text_color(lab.grade)
        if role == Qt.ItemDataRole.ForegroundRole and lab.status == "entered-in-error":
            return grade_text_color(None).lighter(250)
        if role == Qt.ItemDataRole.ForegroundRole and lab.status == NEEDS_REVIEW:
            return QColor(NEEDS_REVIEW_COLOR)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_VALUE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, lab: StoredLab, col: int) -> str:
        if col == COL_TIME:
            return local_time_text(lab.collected_at)
        if col == COL_ANALYTE:
            return analyte_label(lab.analyte)
        if col == COL_VALUE:
            return value_text(lab.value, lab.comparator, lab.analyte, self._system, lab.unit)[0]
        if col == COL_UNIT:
            return value_text(lab.value, lab.comparator, lab.analyte, self._system, lab.unit)[1]
        if col == COL_RANGE:
            return self._range_text(lab)
        if col == COL_GRADE:
            if lab.status == NEEDS_REVIEW:
                return "\u2013 needs review"
            text = result_grade_text(lab.grade, lab.grade_reason)
            return f"{text} baseline" if lab.is_baseline else text
        if col == COL_RULE:
            return text_in_units(lab.grade_reason or "", self._system)
        if col == COL_STATUS:
            return STATUS_TEXT.get(lab.status, lab.status)
        if col == COL_SOURCE:
            return lab.source
        return ""

    def _tooltip(self, lab: StoredLab) -> str:
        lines = [
            f"As reported: {lab.original_text or format_number(lab.value)} "
            f"{lab.original_unit}".rstrip(),
            f"Source: {lab.source}",
            f"Criteria: {lab.criteria or 'not graded'}",
        ]
        if lab.grade_reason:
            lines.append(f"Rule: {text_in_units(lab.grade_reason, self._system)}")
        if lab.comparator:
            lines.append("Censored: the true value lies beyond the reported limit")
        return "\n".join(lines)


class LabFilterProxy(QSortFilterProxyModel):
    """Shows one analyte (or all) and sorts on raw values rather than display text."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._analyte: str | None = None
        self.setSortRole(SORT_ROLE)
        # the source model sorts itself and its rows change only by reset, so the proxy has
        # nothing to redo when values change (a unit switch filtered every row again)
        self.setDynamicSortFilter(False)

    def set_analyte(self, analyte: str | None) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+ replaces invalidateFilter
            self.beginFilterChange()
            self._analyte = analyte
            self.endFilterChange()
        else:
            self._analyte = analyte
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        # called for every row on each reset, sort and filter change: keep it to a lookup
        # (Qt's own role filter was slower here: it builds a model index per row)
        analyte = self._analyte
        if analyte is None:
            return True
        model = self.sourceModel()
        assert isinstance(model, LabTableModel)
        return model.lab_at(source_row).analyte == analyte

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The source model sorts itself (fast); the proxy keeps that order and only filters."""
        model = self.sourceModel()
        if isinstance(model, LabTableModel):
            model.sort(column, order)
