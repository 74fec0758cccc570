"""The Safety tab: for each immunosuppression line whose label this program knows, and each
systemic steroid line on, what the label checks and where the patient stands
(domain.safety_panel, read with the rest of the patient off the GUI thread), then the labs it
asks for next. Read-only: the results it judges are entered on the Labs and Treatments tabs.

The status word is always written; its colour only repeats it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QBrush, QFont, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from irae_desktop.domain.safety_panel import DueLab, LineSafety, SafetyCheck
from irae_desktop.ui.theme import severity_text_color

COLUMNS = ("Check", "Label's rule", "Latest", "Date", "Status", "Note")
WRAPPED = (1, 2, 5)  # the rule, the value and the note wrap in their columns, never cut
NO_LINES = "No immunosuppression line with label checks."
OVERDUE = "OVERDUE"
TOP_LEFT = Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
# how a status stands out beside its word
STATUS_SEVERITY = {"act": "critical", "attention": "warning", "missing": "warning"}


def _day(day: date | None) -> str:
    return day.isoformat() if day is not None else ""


def check_cells(check: SafetyCheck) -> list[str]:
    return [check.what, check.rule, check.latest, _day(check.latest_on), check.status, check.note]


def due_cells(due: DueLab) -> list[str]:
    last = f"last {_day(due.last_done)}" if due.last_done is not None else "none yet"
    status = OVERDUE if due.overdue else "due"
    return [due.what, due.schedule, last, due.due_on.isoformat(), status, ""]


def tab_title(lines: tuple[LineSafety, ...]) -> str:
    """The tab's name with what calls for action, so it is seen from any other tab:
    "Safety (2 act, 1 overdue)"."""
    act = sum(c.status == "act" for line in lines for c in line.checks)
    overdue = sum(d.overdue for line in lines for d in line.due)
    words = [f"{n} {w}" for n, w in ((act, "act"), (overdue, "overdue")) if n]
    return f"Safety ({', '.join(words)})" if words else "Safety"


def line_heading(line: LineSafety) -> str:
    return f"{line.line} \u2014 {line.status}"


class SafetyTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setItemsExpandable(False)
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setUniformRowHeights(False)
        self.tree.header().sectionResized.connect(lambda *_: self._fit_heights())
        self.empty_label = QLabel(NO_LINES)
        self.empty_label.setStyleSheet("color: palette(mid);")
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {severity_text_color('critical').name()};")
        self.error_label.hide()
        title = QLabel("<b>Treatment safety</b> (what each line's label checks, and labs due)")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.error_label)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.tree, 1)

    def set_lines(self, lines: tuple[LineSafety, ...], error: str | None = None) -> None:
        self.tree.clear()
        for line in lines:
            self._add_line(line)
        self.tree.expandAll()
        for column in (0, 2, 3, 4):
            self.tree.resizeColumnToContents(column)
        # the note takes what is left after capped widths for the others
        self.tree.setColumnWidth(0, min(self.tree.columnWidth(0), 260))
        self.tree.setColumnWidth(1, 300)
        self.tree.setColumnWidth(2, min(self.tree.columnWidth(2), 200))
        self._fit_heights()
        self.error_label.setText(error or "")
        self.error_label.setVisible(error is not None)
        self.empty_label.setVisible(not lines and error is None)
        self.tree.setVisible(bool(lines))

    def _add_line(self, line: LineSafety) -> None:
        head = QTreeWidgetItem([line_heading(line)])
        head.setFirstColumnSpanned(True)
        bold = QFont(head.font(0))
        bold.setBold(True)
        head.setFont(0, bold)
        head.setToolTip(0, f"Source: {line.source}")
        self.tree.addTopLevelItem(head)
        head.setFirstColumnSpanned(True)
        for check in line.checks:
            item = QTreeWidgetItem(check_cells(check))
            self._mark(item, STATUS_SEVERITY.get(check.status))
            head.addChild(item)
        if line.due:
            sub = QTreeWidgetItem(["Labs due"])
            italic = QFont(sub.font(0))
            italic.setItalic(True)
            sub.setFont(0, italic)
            head.addChild(sub)
            sub.setFirstColumnSpanned(True)
            for due in line.due:
                item = QTreeWidgetItem(due_cells(due))
                self._mark(item, "critical" if due.overdue else None)
                head.addChild(item)

    @staticmethod
    def _mark(item: QTreeWidgetItem, severity: str | None) -> None:
        for column in range(len(COLUMNS)):
            item.setTextAlignment(column, TOP_LEFT)
        if severity is None:
            return
        item.setForeground(4, QBrush(severity_text_color(severity)))
        font = QFont(item.font(4))
        font.setBold(True)
        item.setFont(4, font)

    # the note column stretches to the tab's width, known only once it is laid out: the wrapped
    # heights are worked out again then
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_heights()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_heights()

    def _fit_heights(self) -> None:
        """Makes each row as tall as its wrapped rule or note needs (the view does not work
        wrapped heights out for itself)."""
        metrics = self.tree.fontMetrics()
        flags = int(Qt.TextFlag.TextWordWrap)
        for i in range(self.tree.topLevelItemCount()):
            head = self.tree.topLevelItem(i)
            if head is None:
                continue
            for j in range(head.childCount()):
                item = head.child(j)
                tallest = metrics.height()
                for column in WRAPPED:
                    width = max(self.tree.columnWidth(column) - 8, 40)
                    box = metrics.boundingRect(QRect(0, 0, width, 10_000), flags, item.text(column))
                    tallest = max(tallest, box.height())
                item.setSizeHint(5, QSize(self.tree.columnWidth(5), tallest + 4))

    def rows(self) -> list[list[str]]:
        """Every row as written, line headings first: what a reader (and a test) sees."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            head = self.tree.topLevelItem(i)
            if head is None:
                continue
            out.append([head.text(0)])
            for j in range(head.childCount()):
                item = head.child(j)
                out.append([item.text(c) for c in range(len(COLUMNS))])
        return out
