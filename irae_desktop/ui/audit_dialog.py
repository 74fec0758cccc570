"""Audit trail viewer: who changed what and when, filtered by patient, user, action and date."""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from irae_desktop.domain.utc import aware_utc
from irae_desktop.store import audit_query, audit_view, history_view
from irae_desktop.store.database import Database
from irae_desktop.store.errors import StoreError
from irae_desktop.store.patient_read import patient_mrn
from irae_desktop.ui.errors import show_error

COLUMNS = (
    "When (local)",
    "Who",
    "Did",
    "Patient",
    "What",
    "Field",
    "Old value",
    "New value",
    "Why",
)
COL_FIELD, COL_OLD, COL_NEW = 5, 6, 7
# the table shows the newest events up to this many; the CSV export has them all
SHOWN_LIMIT = 5000
ANY = "(any)"


def _day_start(d: QDate) -> datetime:
    day = d.toPython()
    assert isinstance(day, date)
    local = datetime.combine(day, time.min).astimezone()
    return aware_utc(local)


class AuditDialog(QWidget):
    """A separate window (not modal), so the trail can stay open beside the patient."""

    def __init__(
        self, db: Database, patient_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowTitle("Audit trail")
        self.resize(1100, 600)
        self.db = db
        self.mrn = QLineEdit(self)
        self.mrn.setPlaceholderText("all patients")
        if patient_id is not None:
            with db.read() as session:
                mrn = patient_mrn(session, patient_id)
            if mrn is not None:
                self.mrn.setText(mrn)
        self.user = QComboBox(self)
        self.action = QComboBox(self)
        with db.read() as session:
            self.user.addItems([ANY, *audit_query.distinct_users(session)])
            self.action.addItems([ANY, *audit_query.distinct_actions(session)])
        self.use_since = QCheckBox("&From", self)
        self.since = QDateEdit(QDate.currentDate().addDays(-30), self)
        self.use_until = QCheckBox("&To", self)
        self.until = QDateEdit(QDate.currentDate(), self)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        apply = QPushButton("&Show", self)
        apply.setDefault(True)
        apply.clicked.connect(self.reload)
        export = QPushButton("&Export CSV…", self)
        export.clicked.connect(self.export)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(True)
        self.table.itemSelectionChanged.connect(self._show_raw)
        self.lines: list[audit_view.AuditLine] = []
        self.message = QLabel(self)
        self.message.setObjectName("muted")
        # the stored record (entity, ids, before and after as JSON), for whoever needs it
        self.raw_button = QPushButton("Show &raw record", self)
        self.raw_button.setCheckable(True)
        self.raw_button.toggled.connect(self._show_raw)
        self.raw = QPlainTextEdit(self)
        self.raw.setReadOnly(True)
        self.raw.setMaximumHeight(160)
        self.raw.hide()
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_buttons.rejected.connect(self.close)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)

        grid = QGridLayout()
        mrn_label = QLabel("&Patient MRN:", self)
        mrn_label.setBuddy(self.mrn)
        user_label = QLabel("&User:", self)
        user_label.setBuddy(self.user)
        action_label = QLabel("&Action:", self)
        action_label.setBuddy(self.action)
        grid.addWidget(mrn_label, 0, 0)
        grid.addWidget(self.mrn, 0, 1)
        grid.addWidget(user_label, 0, 2)
        grid.addWidget(self.user, 0, 3)
        grid.addWidget(action_label, 0, 4)
        grid.addWidget(self.action, 0, 5)
        dates = QHBoxLayout()
        for w in (self.use_since, self.since, self.use_until, self.until):
            dates.addWidget(w)
        dates.addStretch(1)
        dates.addWidget(apply)
        dates.addWidget(export)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(dates)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.raw)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.raw_button)
        bottom.addWidget(self.close_buttons)
        layout.addLayout(bottom)
        self.reload()

    def current_filter(self) -> audit_query.AuditFilter:
        return audit_query.AuditFilter(
            patient_mrn=self.mrn.text().strip() or None,
            user=None if self.user.currentText() == ANY else self.user.currentText(),
            action=None if self.action.currentText() == ANY else self.action.currentText(),
            since=_day_start(self.since.date()) if self.use_since.isChecked() else None,
            until=_day_start(self.until.date().addDays(1)) if self.use_until.isChecked() else None,
        )

    def reload(self) -> None:
        from irae_desktop.reports.formatting import analyte_label

        try:
            with self.db.read() as session:
                lines, total = history_view.readable_trail(
                    session, self.current_filter(), newest=SHOWN_LIMIT, label=analyte_label
                )
        except StoreError as exc:
            self.message.setText(str(exc))
            return
        self.lines = lines
        self.table.setRowCount(len(lines))
        for r, line in enumerate(lines):
            values = (
                line.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                line.user + (f" (claimed {line.claimed_by})" if line.claimed_by else ""),
                line.action,
                line.patient,
                line.what,
                "\n".join(c.field for c in line.changes),
                "\n".join(c.old for c in line.changes),
                "\n".join(c.new for c in line.changes),
                line.reason,
            )
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value if len(value) > 40 or "\n" in value else "")
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        for col, widest in ((3, 220), (4, 240), (COL_OLD, 200), (COL_NEW, 200)):
            self.table.setColumnWidth(col, min(self.table.columnWidth(col), widest))
        self.table.resizeRowsToContents()
        shown = len(lines)
        self.message.setText(
            f"{total} events"
            + (f" (newest {shown} shown; export has all)" if shown < total else "")
        )
        self._show_raw()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # the last column takes the width left only once shown: wrap the reasons to it then
        self.table.resizeRowsToContents()

    def _show_raw(self) -> None:
        row = self.table.currentRow()
        self.raw.setVisible(self.raw_button.isChecked())
        if 0 <= row < len(self.lines):
            self.raw.setPlainText(self.lines[row].raw)
        else:
            self.raw.setPlainText("Select an event to see its stored record.")

    def export(self) -> None:
        from irae_desktop.ui.report_actions import ask_save_path

        path = ask_save_path(self, "Export audit trail", "audit-trail.csv", "CSV (*.csv)")
        if path is None:
            return
        try:
            count = audit_query.export_audit_csv(self.db, path, self.current_filter())
        except Exception as exc:
            show_error(self, exc, action="export the audit trail")
            return
        self.message.setText(f"Exported {count} events to {path}.")
