"""The labs flowsheet: one row per draw (newest first), one column per analyte in display order."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from irae_desktop.domain.analytes import analyte_label, display_rank
from irae_desktop.domain.grade_display import DASH, result_grade_text
from irae_desktop.domain.value_format import range_text, text_in_units
from irae_desktop.store.patient_read import StoredLab
from irae_desktop.ui.grade_style import grade_color, grade_text_color
from irae_desktop.ui.patient.display import local_time_text, value_text

Index = QModelIndex | QPersistentModelIndex


class FlowsheetModel(QAbstractTableModel):
    """Cells show the value with its censoring comparator and grade, coloured as everywhere in
    the app; the tooltip gives unit, reference range and the grade's reason. Withdrawn results
    stay in the list only: a flowsheet cell is what the team acts on."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._system = "US"
        self._times: list[datetime] = []
        self._analytes: list[str] = []
        self._cells: dict[tuple[datetime, str], list[StoredLab]] = {}
        self._stored_units: dict[str, str] = {}

    def set_labs(self, labs: tuple[StoredLab, ...]) -> None:
        self.beginResetModel()
        cells: dict[tuple[datetime, str], list[StoredLab]] = {}
        for lab in labs:
            if lab.status != "entered-in-error":
                cells.setdefault((lab.collected_at, lab.analyte), []).append(lab)
        self._cells = cells
        self._stored_units = {a: labs[0].unit for (_, a), labs in cells.items()}
        self._times = sorted({t for t, _ in cells}, reverse=True)
        self._analytes = sorted({a for _, a in cells}, key=display_rank)
        self.endResetModel()

    def set_units(self, system: str) -> None:
        if system == self._system:
            return
        self._system = system
        if self._times and self._analytes:
            bottom = self.index(len(self._times) - 1, len(self._analytes) - 1)
            self.dataChanged.emit(self.index(0, 0), bottom)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(len(self._analytes) - 1, 0))

    @property
    def analytes(self) -> tuple[str, ...]:
        return tuple(self._analytes)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._times)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._analytes)

    def results_at(self, row: int, column: int) -> list[StoredLab]:
        return self._cells.get((self._times[row], self._analytes[column]), [])

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return local_time_text(self._times[section])
        code = self._analytes[section]
        unit = self._unit_of(code)
        return f"{analyte_label(code)}\n{unit}" if unit else analyte_label(code)

    def _unit_of(self, code: str) -> str:
        stored = self._stored_units.get(code)
        return "" if stored is None else value_text(0.0, "", code, self._system, stored)[1]

    def _worst(self, labs: list[StoredLab]) -> StoredLab:
        return max(labs, key=lambda lab: -1 if lab.grade is None else lab.grade)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        labs = self.results_at(index.row(), index.column())
        if not labs:
            return None
        worst = self._worst(labs)
        if role == Qt.ItemDataRole.DisplayRole:
            return " / ".join(self._cell_text(lab) for lab in labs)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n\n".join(self._tooltip(lab) for lab in labs)
        if role == Qt.ItemDataRole.BackgroundRole and worst.grade is not None:
            return grade_color(worst.grade)
        if role == Qt.ItemDataRole.ForegroundRole and worst.grade is not None:
            return grade_text_color(worst.grade)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _cell_text(self, lab: StoredLab) -> str:
        text = value_text(lab.value, lab.comparator, lab.analyte, self._system, lab.unit)[0]
        # a censored range ("G0–1") or a non-fasting glucose without grade ("<G3, non-fasting")
        # is said in the cell itself, never left blank (clinical reference, decisions 6 and 9)
        grade = result_grade_text(lab.grade, lab.grade_reason)
        return text if grade == DASH else f"{text} {grade}"

    def _tooltip(self, lab: StoredLab) -> str:
        shown, unit = value_text(lab.value, lab.comparator, lab.analyte, self._system, lab.unit)
        limits = range_text(lab.analyte, lab.lln, lab.uln, lab.unit, self._system, "none reported")
        lines = [
            f"{analyte_label(lab.analyte)} {shown} {unit}",
            f"Reference range: {limits}"
            + (f" {unit}" if lab.lln is not None or lab.uln is not None else ""),
            f"Grade: {result_grade_text(lab.grade, lab.grade_reason)}"
            + (f" ({text_in_units(lab.grade_reason, self._system)})" if lab.grade_reason else ""),
        ]
        if lab.is_baseline:
            lines.append("Baseline result")
        return "\n".join(lines)
