"""The Outcomes window: the case series of an irAE across the registry, one row per patient
and line, the summaries by agent, the Kaplan-Meier curve and the aligned trajectories; export
(CSV with its REDCap data dictionary, PDF), print, and a de-identified view and export."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from irae_desktop.domain.outcome_summary import SUMMARY_DAYS, AgentSummary, Spread
from irae_desktop.domain.outcomes import IRAES
from irae_desktop.reports.outcomes_export import csv_cell, export_table
from irae_desktop.reports.outcomes_files import OutcomesRequest, export_outcomes
from irae_desktop.store.audit import current_user
from irae_desktop.store.database import Database
from irae_desktop.store.outcomes_read import OutcomeCohort, read_outcomes, study_key
from irae_desktop.ui.errors import show_error
from irae_desktop.ui.operations import WriteOp, run_write
from irae_desktop.ui.outcomes_plots import (
    fill_km,
    fill_trajectories,
    km_plot,
    trajectory_plot,
)
from irae_desktop.ui.report_actions import ask_save_path, print_pdf_with_dialog
from irae_desktop.ui.workers import Job, run_function

SUMMARY_HEADINGS = (
    "Agent",
    "Lines",
    "Patients",
    "Reached G≤1",
    "Started at G≤1",
    "Days to G≤1, median (IQR)",
    "Days to 50% fall, median (IQR)",
    "KM median",
    *(f"By day {d}" for d in SUMMARY_DAYS),
)
FIGURES = {
    "ALT": ("ALT around the line's start", "ALT (× ULN)"),
    "GLUCOSE": ("Glucose around the line's start", "glucose (mg/dL)"),
    "CPEPTIDE": ("C-peptide around the line's start", "C-peptide (ng/mL)"),
}


def load_cohort(db: Database, request: OutcomesRequest) -> tuple[OutcomeCohort, None]:
    """The identified case series as the window shows it. Runs on a worker thread."""
    with db.read() as session:
        return read_outcomes(session, request.irae, request.agents, request.positions), None


def load_deidentified(
    session: Any, _user: str, request: OutcomesRequest
) -> tuple[OutcomeCohort, bytes]:
    """The case series and the database's study key, made in this transaction on first use
    (a write: run through ui.operations.run_write)."""
    cohort = read_outcomes(session, request.irae, request.agents, request.positions)
    return cohort, study_key(session)


def _spread(found: Spread | None) -> str:
    return "–" if found is None else f"{found.median:g} ({found.q1:g}–{found.q3:g})"


def _summary_cells(s: AgentSummary) -> list[str]:
    shares = ["–" if s.reached_by[d] is None else f"{s.reached_by[d]:.0%}" for d in SUMMARY_DAYS]
    return [
        s.agent,
        str(s.lines),
        str(s.patients),
        str(s.reached),
        str(s.not_applicable),
        _spread(s.days_to_grade_le1),
        _spread(s.days_to_50pct_fall),
        "–" if s.km_median_days is None else str(s.km_median_days),
        *shares,
    ]


def _read_only_table(parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, 0, parent)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    # columns sized from the first rows and the visible ones: measuring every cell of hundreds
    # of lines would hold the window while it fills
    table.horizontalHeader().setResizeContentsPrecision(100)
    table.setWordWrap(False)
    return table


class OutcomesWindow(QWidget):
    """A separate window (not modal): the case series stays open beside the worklist."""

    figures_drawn = Signal()  # the Kaplan-Meier and trajectory figures of the latest read

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowTitle("Outcomes across patients")
        self.resize(1340, 740)
        self.db = db
        self.cohort: OutcomeCohort | None = None
        self.load_job: Job | WriteOp | None = None
        self._generation = 0
        self.irae = QComboBox(self)
        self.irae.addItems(sorted(IRAES, key=lambda name: name != "hepatitis"))
        self.agents = QLineEdit(self)
        self.agents.setPlaceholderText("all agents (or e.g. tofacitinib, MMF)")
        self.positions = [QCheckBox(f"line {n}", self) for n in (1, 2, 3)]
        self.deidentify = QPushButton("&De-identify", self)
        self.deidentify.setCheckable(True)
        self.deidentify.setToolTip(
            "Study IDs instead of MRNs, days since the first ICI start instead of dates, ages "
            "over 89 as 90+, no free text; exports follow the view"
        )
        self.free_text = QCheckBox("include free text in exports", self)
        show = QPushButton("&Show", self)
        show.setDefault(True)
        export = QPushButton("&Export CSV…", self)
        save_pdf = QPushButton("Save &PDF…", self)
        print_button = QPushButton("P&rint…", self)
        show.clicked.connect(self.reload)
        self.irae.currentIndexChanged.connect(self.reload)
        self.deidentify.toggled.connect(self.reload)
        self.agents.returnPressed.connect(self.reload)
        export.clicked.connect(lambda: self.export("csv"))
        save_pdf.clicked.connect(lambda: self.export("pdf"))
        print_button.clicked.connect(self.print_report)
        self.table = _read_only_table(self)
        self.summary = _read_only_table(self)
        self.km = km_plot()
        self.trajectory_plots: dict[str, Any] = {}
        self.figures = QHBoxLayout()
        self.figures.addWidget(self.km, 1)
        self.message = QLabel(self)
        self.message.setObjectName("muted")

        controls = QHBoxLayout()
        irae_label = QLabel("&irAE:", self)
        irae_label.setBuddy(self.irae)
        agents_label = QLabel("&Agents:", self)
        agents_label.setBuddy(self.agents)
        for widget in (irae_label, self.irae, agents_label, self.agents, *self.positions, show):
            controls.addWidget(widget)
        controls.addStretch(1)
        for widget in (self.deidentify, self.free_text, export, save_pdf, print_button):
            controls.addWidget(widget)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.summary)
        lower_layout.addLayout(self.figures, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([230, 470])
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        self.reload()

    def request(self) -> OutcomesRequest:
        agents = tuple(a.strip() for a in self.agents.text().split(",") if a.strip())
        positions = tuple(n for n, box in enumerate(self.positions, start=1) if box.isChecked())
        return OutcomesRequest(
            irae=self.irae.currentText(),
            agents=agents,
            positions=positions,
            deidentify=self.deidentify.isChecked(),
            free_text=self.free_text.isChecked(),
        )

    def reload(self) -> Job | WriteOp:
        """Reads on a worker thread; a reply to an older request is dropped."""
        self._generation += 1
        generation = self._generation
        request = self.request()
        self.message.setText("Reading the registry…")

        def done(result: tuple[OutcomeCohort, bytes | None]) -> None:
            if generation == self._generation:
                self.fill(*result, request)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self.message.setText("The case series could not be read.")
                show_error(self, exc, action="read the case series")

        if request.deidentify:
            self.load_job = run_write(
                self.db,
                lambda session, user: load_deidentified(session, user, request),
                title="Read outcomes",
                change=None,
                on_success=done,
                on_failure=failed,
            )
        else:
            self.load_job = run_function(
                load_cohort, self.db, request, title="Read outcomes", on_success=done,
                on_failure=failed,
            )  # fmt: skip
        return self.load_job

    def fill(self, cohort: OutcomeCohort, key: bytes | None, request: OutcomesRequest) -> None:
        self.cohort = cohort
        columns, records = export_table(cohort.rows, study_key=key, free_text=False)
        shown = [c for c in columns if c.name != "record_id"]
        self.table.setColumnCount(len(shown))
        self.table.setHorizontalHeaderLabels([c.name.replace("_", " ") for c in shown])
        for col, column in enumerate(shown):
            heading = self.table.horizontalHeaderItem(col)
            if heading is not None:
                heading.setToolTip(column.label)
        self.table.setRowCount(len(records))
        for r, record in enumerate(records):
            for c, column in enumerate(shown):
                self.table.setItem(r, c, QTableWidgetItem(csv_cell(record[column.name])))
        self.table.resizeColumnsToContents()
        self.summary.setColumnCount(len(SUMMARY_HEADINGS))
        self.summary.setHorizontalHeaderLabels(list(SUMMARY_HEADINGS))
        self.summary.setRowCount(len(cohort.summaries))
        for r, summary in enumerate(cohort.summaries):
            for c, text in enumerate(_summary_cells(summary)):
                self.summary.setItem(r, c, QTableWidgetItem(text))
        self.summary.resizeColumnsToContents()
        # as tall as its rows, so the figures keep the room
        rows_height = sum(self.summary.rowHeight(r) for r in range(self.summary.rowCount()))
        self.summary.setMaximumHeight(self.summary.horizontalHeader().height() + rows_height + 6)
        # the figures on the next turn of the event loop: the table shows, and clicks and keys
        # are served, between the two halves of the work (each a fraction of a second)
        generation = self._generation
        QTimer.singleShot(0, self, lambda: self._fill_figures(cohort, generation))
        patients = len({row.patient_id for row in cohort.rows})
        self.message.setText(
            f"{cohort.irae}: {patients} patients, {len(cohort.rows)} lines · grades as stored "
            f"under {cohort.criteria}"
            + (" · de-identified" if request.deidentify else "")
            + (
                " · includes SYNTHETIC (demonstration) patients"
                if cohort.synthetic_patients
                else ""
            )
        )

    def _fill_figures(self, cohort: OutcomeCohort, generation: int) -> None:
        if generation != self._generation:  # a later request replaced this one
            return
        fill_km(self.km, cohort.summaries)
        self._fill_trajectories(cohort)
        self.figures_drawn.emit()

    def _fill_trajectories(self, cohort: OutcomeCohort) -> None:
        wanted = dict(IRAES[cohort.irae].trajectories)
        for analyte in list(self.trajectory_plots):
            if analyte not in wanted:
                self.trajectory_plots.pop(analyte).deleteLater()
        agents = [s.agent for s in cohort.summaries]
        for analyte, relative in wanted.items():
            if analyte not in self.trajectory_plots:
                title, label = FIGURES.get(analyte, (analyte, analyte))
                self.trajectory_plots[analyte] = trajectory_plot(title, label)
                self.figures.addWidget(self.trajectory_plots[analyte], 1)
            fill_trajectories(
                self.trajectory_plots[analyte],
                cohort.trajectories.get(analyte, ()),
                agents,
                analyte=analyte,
                relative=relative,
                criteria=cohort.criteria,
            )

    def export(self, fmt: str) -> Job | None:
        request = self.request()
        kind = "deidentified-" if request.deidentify else ""
        suffix = "PDF (*.pdf)" if fmt == "pdf" else "CSV (*.csv)"
        path = ask_save_path(
            self, "Export the case series", f"outcomes-{request.irae}-{kind}series.{fmt}", suffix
        )
        if path is None:
            return None
        dictionary = path.with_name(f"{path.stem}-dictionary.csv") if fmt == "csv" else None
        user = current_user()

        def done(result: Any) -> None:
            names = ", ".join(p.name for p in result.files)
            self.message.setText(f"Exported {result.lines} lines to {names} (audited).")

        return run_function(
            export_outcomes, self.db, request, fmt, user, path=path, dictionary_path=dictionary,
            title="Export outcomes", on_success=done,
            on_failure=lambda exc: self._failed(exc, "export the case series"),
        )  # fmt: skip

    def _failed(self, exc: BaseException, action: str) -> None:
        show_error(self, exc, action=action)

    def print_report(self) -> Job:
        """Writes the PDF in the background (audited as an export), then the print dialog."""
        target = Path(tempfile.mkdtemp(prefix="irae-print-")) / "outcomes.pdf"
        return run_function(
            export_outcomes, self.db, self.request(), "pdf", current_user(), path=target,
            title="Prepare outcomes report",
            on_success=lambda _result: print_pdf_with_dialog(self, target),
            on_failure=lambda exc: self._failed(exc, "print the case series"),
        )  # fmt: skip


def open_for(window: Any) -> OutcomesWindow:
    """Opens the Outcomes window beside the main window (its View menu)."""
    opened = OutcomesWindow(window.db, parent=window)
    opened.show()
    return opened
