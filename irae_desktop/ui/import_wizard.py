"""Import wizard: choose files, check format and mapping, preview problems, import with cancel."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from irae_desktop.importers.service import ImportOptions, ImportProgress, run_import
from irae_desktop.importers.summary import ImportSummary
from irae_desktop.importers.timeparse import resolve_zone
from irae_desktop.store import mapping_profiles
from irae_desktop.store.audit import current_user
from irae_desktop.store.database import Database
from irae_desktop.store.settings import get_settings
from irae_desktop.ui.errors import show_error
from irae_desktop.ui.import_mapping import FileInfo, MappingEditor, inspect
from irae_desktop.ui.operations import MAPPINGS, Change, WriteOp, run_write
from irae_desktop.ui.settings_dialog import zone_box
from irae_desktop.ui.workers import Job, run_generator

log = logging.getLogger(__name__)

PAGE_FILES, PAGE_PREVIEW, PAGE_RUNNING, PAGE_SUMMARY = range(4)
PROBLEM_COLS = ("File", "Where", "Column", "Problem")
FILE_FILTER = "Lab files (*.csv *.txt *.tsv *.hl7 *.json *.ndjson);;All files (*)"


def ask_open_paths(parent: QWidget) -> list[Path]:
    """The file chooser; a separate function so tests can answer it."""
    paths, _ = QFileDialog.getOpenFileNames(
        parent, "Choose lab files", str(Path.home()), FILE_FILTER
    )
    return [Path(p) for p in paths]


def summary_line(summaries: list[ImportSummary]) -> str:
    imported = sum(s.imported for s in summaries)
    rejected = sum(s.rejected_count for s in summaries)
    dupes = sum(s.duplicates for s in summaries)
    held = sum(s.unmatched for s in summaries)
    failed = sum(1 for s in summaries if s.error)
    # results stored without a grade are among the warnings (clinical reference, decision 12)
    warned = sum(s.warning_count for s in summaries)
    text = f"Imported {imported} results from {len(summaries)} file(s)"
    extras = [
        f"{n} {what}"
        for n, what in (
            (rejected, "rejected"),
            (dupes, "duplicates skipped"),
            (held, "held for unknown MRNs"),
            (failed, "file(s) not read"),
            (warned, "warning: see below" if warned == 1 else "warnings: see below"),
        )
        if n
    ]
    return text + (f" ({', '.join(extras)})." if extras else ".")


class ImportWizard(QDialog):
    """Emits `preview_done` after the dry run, `import_done(summaries)` and `imported(message)`;
    `held_requested` when the user asks to review the results held for unknown MRNs."""

    step = Signal(object)
    preview_done = Signal()
    import_done = Signal(object)
    imported = Signal(str)
    held_requested = Signal(str)  # "treatments" after a treatment file held rows, else "labs"

    def __init__(self, db: Database, files: list[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Import lab files")
        self.resize(900, 640)
        self.setAcceptDrops(True)
        self.infos: list[FileInfo] = []
        self.summaries: list[ImportSummary] = []
        self.preview: list[ImportSummary] = []
        self.job: Job | None = None
        self.profile_write: WriteOp | None = None
        self._cancel = threading.Event()
        self._dry_run = True
        self._finished_files: list[ImportSummary] = []

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._files_page())
        self.pages.addWidget(self._preview_page())
        self.pages.addWidget(self._running_page())
        self.pages.addWidget(self._summary_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.add_files(files)

    # page 1: files and mapping --------------------------------------------------------------
    def _files_page(self) -> QWidget:
        page = QWidget(self)
        self.file_list = QListWidget(page)
        self.file_list.setAccessibleName("Files to import")
        self.file_list.currentRowChanged.connect(self._show_mapping_for)
        add = QPushButton("&Add files…", page)
        add.clicked.connect(lambda: self.add_files(ask_open_paths(self)))
        remove = QPushButton("&Remove", page)
        remove.clicked.connect(self._remove_current)
        self.timezone = zone_box(page, "")
        try:
            with self.db.read() as session:
                self.timezone.setCurrentText(get_settings(session).clinical_timezone)
        except Exception:
            log.warning("team time zone not readable")

        box = QGroupBox("Column mapping (CSV files)", page)
        self.mapping = MappingEditor(box)
        self.use_mapping = QCheckBox("&Use this mapping instead of the detected columns", box)
        self.mapping.changed.connect(lambda: self.use_mapping.setChecked(True))
        self.profiles = QComboBox(box)
        self.profiles.setAccessibleName("Saved mappings")
        load = QPushButton("&Load", box)
        load.clicked.connect(self._load_profile)
        self.profile_name = QLineEdit(box)
        self.profile_name.setPlaceholderText("name for this mapping, e.g. 'Main lab export'")
        save = QPushButton("&Save mapping", box)
        save.clicked.connect(self.save_profile)
        self.mapping_message = QLabel(box)
        self.mapping_message.setWordWrap(True)
        profile_row = QHBoxLayout()
        profile_row.addWidget(QLabel("Saved:", box))
        profile_row.addWidget(self.profiles, 1)
        profile_row.addWidget(load)
        profile_row.addSpacing(16)
        profile_row.addWidget(self.profile_name, 2)
        profile_row.addWidget(save)
        inner = QVBoxLayout(box)
        inner.addWidget(self.mapping, 1)
        inner.addWidget(self.use_mapping)
        inner.addLayout(profile_row)
        inner.addWidget(self.mapping_message)
        self._reload_profiles()

        self.check_button = QPushButton("&Check files (dry run)", page)
        self.check_button.setDefault(True)
        self.check_button.clicked.connect(self.start_preview)
        close = QPushButton("Close", page)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(self.check_button)
        form = QFormLayout()
        form.addRow("&Time zone for times without one:", self.timezone)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("Files (drop more here):", page))
        layout.addWidget(self.file_list, 1)
        layout.addLayout(form)
        layout.addWidget(box, 2)
        layout.addLayout(buttons)
        return page

    def add_files(self, files: list[Path]) -> None:
        known = {info.path for info in self.infos}
        for path in files:
            if path in known:
                continue
            known.add(path)
            info = inspect(path)
            self.infos.append(info)
            item = QListWidgetItem(f"{path.name}  —  {info.describe()}")
            item.setToolTip(str(path))
            if info.problem and not info.is_csv:
                item.setForeground(Qt.GlobalColor.red)
            self.file_list.addItem(item)
        if self.infos and self.file_list.currentRow() < 0:
            self.file_list.setCurrentRow(0)
        self.check_button.setEnabled(bool(self.infos))

    def _remove_current(self) -> None:
        row = self.file_list.currentRow()
        if row >= 0:
            self.file_list.takeItem(row)
            del self.infos[row]
        self.check_button.setEnabled(bool(self.infos))

    def _show_mapping_for(self, row: int) -> None:
        if not (0 <= row < len(self.infos)):
            return
        info = self.infos[row]
        self.mapping.setEnabled(info.is_csv)
        self.mapping.show_file(info.header, info.columns)
        if info.is_csv and info.problem:
            self.mapping_message.setText(f"{info.problem}\nChoose the columns above.")
            self.use_mapping.setChecked(True)
        else:
            self.mapping_message.setText("")

    def _reload_profiles(self) -> None:
        self.profiles.clear()
        with self.db.read() as session:
            self.profiles.addItems(mapping_profiles.list_profiles(session))

    def _load_profile(self) -> None:
        name = self.profiles.currentText()
        if not name:
            return
        with self.db.read() as session:
            self.mapping.apply(mapping_profiles.load_profile(session, name))
        self.use_mapping.setChecked(True)
        self.mapping_message.setText(f"Mapping {name!r} loaded.")

    def save_profile(self) -> WriteOp:
        """Saves the column mapping under its name off the GUI thread; the outcome is shown
        beside it when the write is saved or refused."""
        name, mapping = self.profile_name.text(), self.mapping.mapping()
        self.mapping_message.setText("Saving\u2026")
        self.profile_write = run_write(
            self.db,
            lambda session, user: mapping_profiles.save_profile(session, name, mapping, user=user),
            title="Save mapping",
            change=Change(frozenset({MAPPINGS})),
            on_success=lambda _saved: self._profile_saved(name.strip()),
        )
        self.profile_write.refused.connect(self.mapping_message.setText)
        return self.profile_write

    def _profile_saved(self, name: str) -> None:
        self.mapping_message.setText(f"Mapping {name!r} saved.")
        self._reload_profiles()
        self.profiles.setCurrentText(name)

    def options(self, *, dry_run: bool) -> ImportOptions:
        mapping = self.mapping.mapping() if self.use_mapping.isChecked() else None
        return ImportOptions(
            dry_run=dry_run,
            timezone=self.timezone.currentText().strip() or None,
            mapping=mapping,
            user=current_user(),
        )

    # page 2: preview ------------------------------------------------------------------------
    def _preview_page(self) -> QWidget:
        page = QWidget(self)
        self.preview_label = QLabel(page)
        self.preview_label.setWordWrap(True)
        self.problems = QTableWidget(0, len(PROBLEM_COLS), page)
        self.problems.setHorizontalHeaderLabels(list(PROBLEM_COLS))
        self.problems.verticalHeader().setVisible(False)
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.problems.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        back = QPushButton("&Back", page)
        back.clicked.connect(lambda: self.pages.setCurrentIndex(PAGE_FILES))
        self.import_button = QPushButton("&Import", page)
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start_import)
        buttons = QHBoxLayout()
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.preview_label)
        layout.addWidget(QLabel("Rows that will not be imported, and warnings:", page))
        layout.addWidget(self.problems, 1)
        layout.addLayout(buttons)
        return page

    def _show_preview(self, summaries: list[ImportSummary]) -> None:
        self.preview = summaries
        lines = []
        for s in summaries:
            name = Path(s.file).name
            if s.error:
                lines.append(f"<b>{name}</b>: cannot be imported: {s.error}")
            else:
                lines.append(
                    f"<b>{name}</b> ({s.format}{', ' + s.layout if s.layout else ''}): "
                    f"{s.rows_read} rows: {s.imported} to import, {s.duplicates} already "
                    f"stored, {s.rejected_count} rejected, {s.unmatched} for unknown MRNs "
                    f"(kept aside for assignment), {s.not_tracked} tests not tracked, "
                    f"{s.warning_count} warnings"
                )
        self.preview_label.setText("<br>".join(lines) + "<br>Nothing has been written yet.")
        rows = [(Path(s.file).name, "file", "", s.error) for s in summaries if s.error]
        for s in summaries:
            rows += [(Path(s.file).name, i.ref, i.column, i.reason) for i in s.rejected]
            rows += [
                (Path(s.file).name, i.ref, i.column, f"warning: {i.reason}") for i in s.warnings
            ]
        self.problems.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                self.problems.setItem(r, c, QTableWidgetItem(str(value)))
        would = sum(s.imported for s in summaries)
        held = sum(s.unmatched for s in summaries)
        self.import_button.setText(
            f"&Import {would} result{'' if would == 1 else 's'}"
            + (f" and hold {held}" if held else "")
        )
        # a file of results for unknown MRNs only is still worth importing: they are held
        self.import_button.setEnabled(
            would > 0 or held > 0 or any(s.patients_created for s in summaries)
        )
        self.pages.setCurrentIndex(PAGE_PREVIEW)

    # page 3: running ------------------------------------------------------------------------
    def _running_page(self) -> QWidget:
        page = QWidget(self)
        self.run_label = QLabel(page)
        self.progress = QProgressBar(page)
        self.progress.setRange(0, 1000)
        self.cancel_button = QPushButton("&Cancel", page)
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.run_label)
        layout.addWidget(self.progress)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def _run(self, dry_run: bool) -> Job | None:
        options = self.options(dry_run=dry_run)
        try:
            resolve_zone(options.timezone)
        except ValueError as exc:
            self.pages.setCurrentIndex(PAGE_FILES)
            self.mapping_message.setText(str(exc))
            self.timezone.setFocus()
            return None
        self._dry_run = dry_run
        self._cancel.clear()
        self._finished_files = []
        self.progress.setValue(0)
        self.run_label.setText("Checking files…" if dry_run else "Importing…")
        self.cancel_button.setEnabled(True)
        self.pages.setCurrentIndex(PAGE_RUNNING)
        db, paths, cancel = self.db, [i.path for i in self.infos], self._cancel.is_set
        self.job = run_generator(
            lambda: run_import(db, paths, options, cancel=cancel),
            title="Import" if not dry_run else "Check files",
            on_progress=self._on_progress,
            on_success=self._on_done,
            on_failure=self._on_failure,
            on_cancel=self._on_cancelled,
            parent=self,
        )
        return self.job

    def start_preview(self) -> Job | None:
        if not self.infos:
            return None
        return self._run(dry_run=True)

    def start_import(self) -> Job | None:
        if not self.infos:
            return None
        return self._run(dry_run=False)

    def cancel(self) -> None:
        """Stops at the next step; the file being read is rolled back, so nothing of it is kept."""
        self._cancel.set()
        if self.job is not None:
            self.job.cancel()
        self.cancel_button.setEnabled(False)
        self.run_label.setText("Cancelling…")

    def _on_progress(self, step: ImportProgress) -> None:
        self.step.emit(step)
        self.progress.setValue(int(step.fraction * 1000))
        if step.summary is not None:
            self._finished_files.append(step.summary)
        if step.file and not self._cancel.is_set():
            verb = "Checking" if self._dry_run else "Importing"
            self.run_label.setText(
                f"{verb} file {step.file_index + 1} of {step.file_count}: "
                f"{Path(step.file).name} ({step.rows} rows read)"
            )

    def _on_done(self, _result: Any) -> None:
        summaries = list(self._finished_files)
        if self._dry_run and not any(s.cancelled for s in summaries):
            self._show_preview(summaries)
            self.preview_done.emit()
            return
        self._finish(summaries, cancelled=any(s.cancelled for s in summaries))

    def _on_cancelled(self) -> None:
        self._finish(list(self._finished_files), cancelled=True)

    def _on_failure(self, exc: BaseException) -> None:
        self.pages.setCurrentIndex(PAGE_FILES)
        show_error(self, exc, action="import the files")

    # page 4: summary ------------------------------------------------------------------------
    def _summary_page(self) -> QWidget:
        page = QWidget(self)
        self.summary_label = QLabel(page)
        self.summary_label.setWordWrap(True)
        self.summary_text = QPlainTextEdit(page)
        self.summary_text.setReadOnly(True)
        close = QPushButton("&Close", page)
        close.setDefault(True)
        close.clicked.connect(self.accept)
        # held results are on no patient until someone assigns them: offer that straight away
        self.held_button = QPushButton(page)
        self.held_kind = "labs"
        self.held_button.setToolTip(
            "Assign the results or treatment rows for unknown MRNs to patients, or drop them"
        )
        self.held_button.clicked.connect(self._review_held)
        self.held_button.hide()
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.held_button)
        row.addWidget(close)
        layout = QVBoxLayout(page)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.summary_text, 1)
        layout.addLayout(row)
        return page

    def _finish(self, summaries: list[ImportSummary], *, cancelled: bool) -> None:
        self.summaries = [s for s in summaries if not s.cancelled]
        kept = [s for s in self.summaries if not s.dry_run and not s.error]
        if cancelled:
            # said from what the service reported, file by file: a file that was committed
            # before the cancel took effect is named as imported
            done = {Path(s.file) for s in kept}
            lost = [i.path.name for i in self.infos if i.path not in done]
            head = "Cancelled."
            if lost:
                head += " Nothing was written from: " + ", ".join(lost) + "."
            if kept:
                head += (
                    " Imported before the cancel took effect: "
                    + ", ".join(f"{Path(s.file).name} ({s.imported} results)" for s in kept)
                    + "."
                )
        else:
            head = summary_line(self.summaries)
        self.summary_label.setText(head)
        self.summary_text.setPlainText("\n\n".join(s.to_text() for s in summaries) or head)
        held = sum(s.unmatched for s in kept)
        treatments = sum(s.unmatched for s in kept if s.treatments)
        self.held_kind = "treatments" if treatments else "labs"
        # the button names what is waiting: results, treatment rows, or both ("rows")
        what = {0: "results", held: "treatment rows"}.get(treatments, "rows")
        self.held_button.setText(f"Review &held {what} ({held})\u2026")
        self.held_button.setVisible(held > 0)
        self.pages.setCurrentIndex(PAGE_SUMMARY)
        self.import_done.emit(self.summaries)
        if kept:
            self.imported.emit(summary_line(kept))

    def _review_held(self) -> None:
        self.held_requested.emit(self.held_kind)
        self.accept()

    # drag and drop onto the wizard ----------------------------------------------------------
    def dragEnterEvent(self, event: Any) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        self.add_files([Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()])
        event.acceptProposedAction()
