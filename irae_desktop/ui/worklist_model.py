"""Qt table model of the service worklist, and the proxy that searches, filters and sorts it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from irae_desktop.domain.alert_types import AlertSettings
from irae_desktop.domain.analytes import GRADED_ORGANS, ORGAN_TITLES
from irae_desktop.domain.ungraded import note_for_label
from irae_desktop.store.ungraded import LatestUngraded
from irae_desktop.store.worklist import OrganGrade, WorklistRow
from irae_desktop.ui.grade_style import (
    grade_color,
    grade_label,
    grade_text_color,
)
from irae_desktop.ui.theme import colors, severity_text_color

COL_NAME = 0
COL_MRN = 1
COL_ICI = 2
COL_LIVER = 3
COL_GLUCOSE = 4
COL_ALERTS = 5
COL_LAST_LAB = 6
COL_DAYS = 7
COL_STATUS = 8
HEADERS = (
    "Patient",
    "MRN",
    "Current ICI",
    *(ORGAN_TITLES[organ] for organ in GRADED_ORGANS),
    "Alerts",
    "Last lab",
    "Days since",
    "Status",
)

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
PATIENT_ID_ROLE = Qt.ItemDataRole.UserRole + 2
SORT_ROLE = Qt.ItemDataRole.UserRole + 3
GRADE_ROLE = Qt.ItemDataRole.UserRole + 4
ALERTS_ROLE = Qt.ItemDataRole.UserRole + 5
# the words after the grade chip when the organ's latest result has no grade (decision 12)
UNGRADED_ROLE = Qt.ItemDataRole.UserRole + 6

SEVERITY_RANK = {None: 0, "info": 1, "warning": 2, "critical": 3}
DEFAULT_ALERTS = AlertSettings()
_Index = QModelIndex | QPersistentModelIndex
_EMPTY = QModelIndex()


@dataclass(frozen=True, slots=True)
class AlertSummary:
    """One patient's alerts that describe the present (conditions, and unacknowledged events of
    the last 7 clinical days): how many, the worst severity and how many have it; and apart,
    the older events nobody has acknowledged (clinical reference, decision 13)."""

    count: int
    worst: str | None
    titles: tuple[str, ...] = ()
    worst_count: int | None = None  # None: all `count` alerts have the worst severity
    unacknowledged: int = 0
    unacknowledged_titles: tuple[str, ...] = ()

    @property
    def at_worst(self) -> int:
        return self.count if self.worst_count is None else self.worst_count

    @property
    def muted(self) -> bool:
        """Only older unacknowledged events: shown, but not as anything current."""
        return self.count == 0 and self.unacknowledged > 0

    def label(self) -> str:
        older = f"{self.unacknowledged} unacknowledged" if self.unacknowledged else ""
        if self.count == 0:
            return older or "none"
        mark = {"critical": "\u203c ", "warning": "! "}.get(self.worst or "", "")
        text = f"{mark}{self.at_worst} {self.worst}"
        if self.count > self.at_worst:
            text += f" +{self.count - self.at_worst}"
        return f"{text} \u00b7 {older}" if older else text

    def tooltip(self) -> str:
        lines = list(self.titles) or ["No current alerts"]
        if self.unacknowledged_titles:
            lines += ["", "Older than 7 days, not acknowledged (not counted):"]
            lines += list(self.unacknowledged_titles)
        return "\n".join(lines)


def ici_text(row: WorklistRow) -> str:
    if row.ici_agent is None:
        return "\u2013"
    return f"{row.ici_agent} ({row.ici_status})" if row.ici_status else row.ici_agent


def overdue_limit(row: WorklistRow, settings: AlertSettings = DEFAULT_ALERTS) -> int | None:
    """Days allowed between labs for this patient's worst current grade (None: no limit)."""
    if row.status != "active":
        return None
    return settings.overdue_days(row.worst_grade)


def ungraded_note(later: LatestUngraded | None) -> str:
    """ "latest ungraded: no range", or "" when the organ's latest results are all graded."""
    return note_for_label(later.label) if later is not None else ""


def is_overdue(row: WorklistRow, settings: AlertSettings = DEFAULT_ALERTS) -> bool:
    """Active, graded 1 or more, and the last lab is older than that grade allows; or no labs."""
    if row.status != "active":
        return False
    if row.days_since_lab is None:
        return True
    limit = overdue_limit(row, settings)
    return limit is not None and row.days_since_lab > limit


def _local(when: datetime | None) -> str:
    return when.astimezone().strftime("%Y-%m-%d %H:%M") if when is not None else "\u2013"


class WorklistModel(QAbstractTableModel):
    """One row per patient; alert counts arrive later from a background job."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[WorklistRow] = []
        self._alerts: dict[int, AlertSummary] = {}
        self._row_of: dict[int, int] = {}
        self._alerts_unavailable = False
        # the team's thresholds; the "labs overdue" flag follows them
        self.alert_settings = DEFAULT_ALERTS
        self._search_text: list[str] = []
        self._sort_column = COL_NAME
        self._sort_order = Qt.SortOrder.AscendingOrder

    # data access ----------------------------------------------------------------------------
    def set_rows(self, rows: list[WorklistRow]) -> None:
        self.beginResetModel()
        self._rows = self._sorted(list(rows))
        self._reindex()
        self._alerts = {pid: s for pid, s in self._alerts.items() if pid in self._row_of}
        self._alerts_unavailable = False
        self.endResetModel()

    def set_alerts(self, summaries: dict[int, AlertSummary]) -> None:
        """Merges alert summaries for some patients and repaints only their cells."""
        for pid, summary in summaries.items():
            self._alerts[pid] = summary
            row = self._row_of.get(pid)
            if row is not None:
                idx = self.index(row, COL_ALERTS)
                self.dataChanged.emit(idx, idx)

    def _reindex(self) -> None:
        self._row_of = {r.patient_id: i for i, r in enumerate(self._rows)}
        self._search_text = [f"{r.mrn} {r.name}".casefold() for r in self._rows]

    def _sorted(self, rows: list[WorklistRow]) -> list[WorklistRow]:
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        column = self._sort_column

        # name and MRN break ties so equal grades keep a stable, readable order
        def key(r: WorklistRow) -> tuple[Any, str, str]:
            name = (r.name or "").casefold()
            return (name if column == COL_NAME else self._sort_key(r, column), name, r.mrn)

        return sorted(rows, key=key, reverse=descending)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorts in Python with one key per row: thousands of rows in milliseconds, where a
        comparison-by-comparison sort through Qt would call back into Python for every pair."""
        if not 0 <= column < len(HEADERS):
            return
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        old_ids = [r.patient_id for r in self._rows]
        self._rows = self._sorted(self._rows)
        self._reindex()
        moved_from = self.persistentIndexList()
        moved_to = [
            self.index(self._row_of[old_ids[i.row()]], i.column())
            if 0 <= i.row() < len(old_ids)
            else QModelIndex()
            for i in moved_from
        ]
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()

    def search_text(self, row: int) -> str:
        return self._search_text[row]

    def mark_alerts_unavailable(self) -> None:
        """The alert check failed: say so in the column instead of waiting forever."""
        self._alerts_unavailable = True
        if self._rows:
            self.dataChanged.emit(
                self.index(0, COL_ALERTS), self.index(len(self._rows) - 1, COL_ALERTS)
            )

    def row_at(self, row: int) -> WorklistRow:
        return self._rows[row]

    def row_for_patient(self, patient_id: int) -> int | None:
        return self._row_of.get(patient_id)

    def alerts_for(self, patient_id: int) -> AlertSummary | None:
        return self._alerts.get(patient_id)

    def patient_ids(self) -> list[int]:
        return [r.patient_id for r in self._rows]

    # Qt interface ---------------------------------------------------------------------------
    def rowCount(self, parent: _Index = _EMPTY) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = _EMPTY) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == ROW_ROLE:
            return row
        if role == PATIENT_ID_ROLE:
            return row.patient_id
        if role == SORT_ROLE:
            return self._sort_key(row, col)
        if role == GRADE_ROLE:
            organ = self._organ(row, col)
            return organ.grade if organ is not None else None
        if role == ALERTS_ROLE:
            return self._alerts.get(row.patient_id)
        if role == UNGRADED_ROLE:
            return ungraded_note(self._ungraded(row, col))
        if role == Qt.ItemDataRole.BackgroundRole and col in (COL_LIVER, COL_GLUCOSE):
            organ = self._organ(row, col)
            return grade_color(organ.grade) if organ is not None else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(row, col)
        if role == Qt.ItemDataRole.FontRole and col in (COL_LIVER, COL_GLUCOSE, COL_ALERTS):
            font = QFont()
            summary = self._alerts.get(row.patient_id) if col == COL_ALERTS else None
            font.setBold(summary is None or not summary.muted)
            font.setItalic(summary is not None and summary.muted)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_DAYS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # helpers --------------------------------------------------------------------------------
    @staticmethod
    def _organ(row: WorklistRow, col: int) -> OrganGrade | None:
        if col == COL_LIVER:
            return row.liver
        if col == COL_GLUCOSE:
            return row.glucose
        return None

    @staticmethod
    def _ungraded(row: WorklistRow, col: int) -> LatestUngraded | None:
        if col == COL_LIVER:
            return row.liver_ungraded
        if col == COL_GLUCOSE:
            return row.glucose_ungraded
        return None

    def _display(self, row: WorklistRow, col: int) -> str:
        if col == COL_NAME:
            name = row.name or "(no name)"
            return f"{name}  \u00b7 SYNTHETIC" if row.is_synthetic else name
        if col == COL_MRN:
            return row.mrn
        if col == COL_ICI:
            return ici_text(row)
        if col in (COL_LIVER, COL_GLUCOSE):
            organ = self._organ(row, col)
            shown = grade_label(organ.grade, organ.analyte) if organ is not None else "\u2013"
            note = ungraded_note(self._ungraded(row, col))
            return f"{shown} \u00b7 {note}" if note else shown
        if col == COL_ALERTS:
            summary = self._alerts.get(row.patient_id)
            if summary is None:
                return "not checked" if self._alerts_unavailable else "\u2026"
            return summary.label()
        if col == COL_LAST_LAB:
            return _local(row.last_lab_at)
        if col == COL_DAYS:
            return "\u2013" if row.days_since_lab is None else str(row.days_since_lab)
        if col == COL_STATUS:
            return "signed off" if row.status == "signed_off" else row.status
        return ""

    def _sort_key(self, row: WorklistRow, col: int) -> Any:
        if col == COL_NAME:
            return (row.name or "").casefold()
        if col == COL_MRN:
            return row.mrn.casefold()
        if col == COL_ICI:
            return ici_text(row).casefold()
        if col in (COL_LIVER, COL_GLUCOSE):
            organ = self._organ(row, col)
            return -1 if organ is None else organ.grade
        if col == COL_ALERTS:
            s = self._alerts.get(row.patient_id)
            if s is None:
                return -1
            # current alerts by severity first; older unacknowledged events only break ties
            rank = SEVERITY_RANK.get(s.worst, 0)
            older = min(s.unacknowledged, 99)
            return rank * 1_000_000 + s.at_worst * 10_000 + s.count * 100 + older
        if col == COL_LAST_LAB:
            return row.last_lab_at.timestamp() if row.last_lab_at else float("-inf")
        if col == COL_DAYS:
            return float("inf") if row.days_since_lab is None else float(row.days_since_lab)
        if col == COL_STATUS:
            return row.status
        return ""

    def _foreground(self, row: WorklistRow, col: int) -> QColor | None:
        if col in (COL_LIVER, COL_GLUCOSE):
            organ = self._organ(row, col)
            return grade_text_color(organ.grade) if organ is not None else None
        if col == COL_ALERTS:
            s = self._alerts.get(row.patient_id)
            if s is not None and s.muted:
                return QColor(colors()["muted"])
            if s is not None and s.worst is not None:
                return severity_text_color(s.worst)
        if col == COL_DAYS and is_overdue(row, self.alert_settings):
            return severity_text_color("warning")
        return None

    def _tooltip(self, row: WorklistRow, col: int) -> str | None:
        if col == COL_NAME and row.is_synthetic:
            return "Synthetic demonstration patient: not a real person."
        if col in (COL_LIVER, COL_GLUCOSE):
            organ = self._organ(row, col)
            text = (
                "No graded result"
                if organ is None
                else f"Worst current grade: {grade_label(organ.grade, organ.analyte)} "
                f"(result of {_local(organ.collected_at)})"
            )
            later = self._ungraded(row, col)
            if later is not None:
                text += (
                    f"\nLatest {later.analyte} result ({_local(later.collected_at)}) has no "
                    f"grade: {later.reason}"
                )
            return text
        if col == COL_ALERTS:
            s = self._alerts.get(row.patient_id)
            if s is None and self._alerts_unavailable:
                return "Alerts could not be checked; see the log file."
            if s is None:
                return "Alerts are being checked…"
            return s.tooltip()
        if col == COL_DAYS and is_overdue(row, self.alert_settings):
            limit = overdue_limit(row, self.alert_settings)
            if limit is None:
                return "No lab result recorded yet"
            return f"Labs overdue: at grade {row.worst_grade}, results are due every {limit} days"
        return None


class WorklistFilter(QSortFilterProxyModel):
    """Search by MRN or name as you type; status, alerts and overdue filters; typed sorting."""

    STATUS_ACTIVE = "active"
    STATUS_SIGNED_OFF = "signed_off"
    STATUS_ALL = "all"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._terms: list[str] = []
        self._status = self.STATUS_ACTIVE
        self._alerts_only = False
        self._overdue_only = False
        self._model: WorklistModel | None = None
        self.setDynamicSortFilter(True)

    def set_search(self, text: str) -> None:
        self._set("_terms", text.casefold().split())

    def set_status(self, status: str) -> None:
        self._set("_status", status)

    def set_alerts_only(self, on: bool) -> None:
        self._set("_alerts_only", on)

    def set_overdue_only(self, on: bool) -> None:
        self._set("_overdue_only", on)

    def _set(self, attribute: str, value: object) -> None:
        begin = getattr(self, "beginFilterChange", None)  # Qt 6.9+; older Qt invalidates
        if begin is not None:
            begin()
            setattr(self, attribute, value)
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            setattr(self, attribute, value)
            self.invalidateRowsFilter()

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        # kept as a Python reference: Qt asks about every row, 5,000 calls on a full list
        self._model = model if isinstance(model, WorklistModel) else None
        super().setSourceModel(model)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self._model
        assert model is not None
        row = model.row_at(source_row)
        if self._status != self.STATUS_ALL and row.status != self._status:
            return False
        if self._overdue_only and not is_overdue(row, model.alert_settings):
            return False
        if self._alerts_only:
            summary = model.alerts_for(row.patient_id)
            if summary is None or (summary.count == 0 and summary.unacknowledged == 0):
                return False
        if self._terms:
            haystack = model.search_text(source_row)
            return all(term in haystack for term in self._terms)
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The source model sorts itself (fast); the proxy keeps its order and only filters."""
        model = self.sourceModel()
        if isinstance(model, WorklistModel):
            model.sort(column, order)
