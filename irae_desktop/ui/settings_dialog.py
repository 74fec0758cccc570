"""Settings: criteria, units, time zone, paper, site ranges, alert thresholds, database."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any
from zoneinfo import available_timezones

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from irae_desktop.domain.alert_types import AlertSettings
from irae_desktop.domain.analytes import ANALYTES, analyte_label
from irae_desktop.store import settings as team
from irae_desktop.store.database import Database
from irae_desktop.store.errors import StoreError
from irae_desktop.store.paths import validate_db_url
from irae_desktop.store.range_import import SiteRange, site_range_records
from irae_desktop.ui.errors import plain_message, show_error
from irae_desktop.ui.operations import ALERTS, LABS, SETTINGS, Change, WriteOp, run_write
from irae_desktop.ui.workers import DelayedProgress, Job
from irae_desktop.ui.workstation_keys import DB_URL_KEY

log = logging.getLogger(__name__)

CRITERIA_LABELS = {"ctcae-5.0": "CTCAE v5.0", "ctcae-6.0": "CTCAE v6.0"}
UNIT_LABELS = {"US": "US conventional (mg/dL, U/L)", "SI": "SI (mmol/L, µmol/L, µkat/L)"}
PAPER_LABELS = {"letter": "US Letter", "a4": "A4"}
SEX_LABELS = {"": "any", "F": "female", "M": "male"}
ZONE_NOTE = (
    "Every rule that counts days counts them in this zone: the baseline on or before the first "
    "ICI start, Hy's law within 14 days, steroid days, labs overdue, days to response. Changing "
    "it regrades every stored result (audited). Times are shown in it, and times in files "
    "that carry no time zone are read in it; the choice is recorded with each import."
)
RANGE_COLS = ("Analyte", "Sex", "Lower limit", "Upper limit", "Unit")


def alert_threshold_fields() -> list[tuple[str, float | int]]:
    """The numeric fields of the domain's AlertSettings with their built-in values."""
    defaults = AlertSettings()
    found: list[tuple[str, float | int]] = []
    for f in dataclasses.fields(defaults):
        value = getattr(defaults, f.name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            found.append((f.name, value))
    return found


_LABEL_WORDS = (
    ("hys_law", "Hy's law"),
    ("_x_uln", " (× ULN)"),
    ("_mg_per_kg_day", " (mg/kg/day)"),
    ("_mg_dl", " (mg/dL)"),
    ("_nmol_l", " (nmol/L)"),
    ("_mmol_l", " (mmol/L)"),
    ("_days", " (days)"),
    ("_fraction", " (fraction)"),
    # analytes by their labels in the one analyte table
    ("cpeptide", analyte_label("CPEPTIDE")),
    ("bhb", analyte_label("BHB")),
    ("alp", analyte_label("ALP")),
)


def threshold_label(name: str) -> str:
    text = name
    for raw, nice in _LABEL_WORDS:
        text = text.replace(raw, nice)
    text = text.replace("_", " ")
    return text[:1].upper() + text[1:]


def _combo(items: dict[str, str], current: str) -> QComboBox:
    box = QComboBox()
    for key, label in items.items():
        box.addItem(label, key)
    box.setCurrentIndex(max(0, box.findData(current)))
    return box


class SettingsDialog(QDialog):
    """Team settings are saved with the data in one audited transaction; the database choice is
    kept on this computer and used from the next start."""

    applied = Signal()
    save_failed = Signal(str)

    def __init__(self, db: Database, qsettings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.qsettings = qsettings
        self.job: Job | None = None
        self.write: WriteOp | None = None
        self.setWindowTitle("Settings")
        self.resize(640, 520)
        with db.read() as session:
            self.current = team.get_settings(session)
            self._ranges = site_range_records(session)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._general_tab(), "&General")
        self.tabs.addTab(self._ranges_tab(), "&Reference ranges")
        self.tabs.addTab(self._alerts_tab(), "&Alerts")
        self.tabs.addTab(self._database_tab(), "&Database")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #B3261E;")
        self.buttons = buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    # tabs -----------------------------------------------------------------------------------
    def _general_tab(self) -> QWidget:
        page = QWidget(self)
        self.criteria = _combo(CRITERIA_LABELS, self.current.criteria_set)
        self.units = _combo(UNIT_LABELS, self.current.units_system)
        self.paper = _combo(PAPER_LABELS, self.current.paper_size)
        self.timezone = zone_box(page, self.current.clinical_timezone)
        form = QFormLayout(page)
        form.addRow("&Criteria set:", self.criteria)
        form.addRow("&Units shown:", self.units)
        form.addRow("Clinical &time zone:", self.timezone)
        note = QLabel(ZONE_NOTE, page)
        note.setObjectName("muted")
        note.setWordWrap(True)
        form.addRow("", note)
        form.addRow("&Paper size:", self.paper)
        self.privacy = QSpinBox(page)
        self.privacy.setRange(0, team.PRIVACY_MAX_MINUTES)
        self.privacy.setSuffix(" min")
        self.privacy.setSpecialValueText("never")
        self.privacy.setValue(self.current.privacy_minutes)
        self.privacy.setToolTip(
            "The window hides patient data after this long without a key or click; "
            "a click or key shows it again"
        )
        form.addRow("&Hide patient data after:", self.privacy)
        return page

    def _ranges_tab(self) -> QWidget:
        page = QWidget(self)
        self.ranges = QTableWidget(0, len(RANGE_COLS), page)
        self.ranges.setHorizontalHeaderLabels(list(RANGE_COLS))
        self.ranges.horizontalHeader().setStretchLastSection(True)
        self.ranges.verticalHeader().setVisible(False)
        for stored in self._ranges:
            self._add_range_row(stored.analyte, stored.sex, stored.lln, stored.uln, stored.unit)
        add = QPushButton("Add &range", page)
        add.clicked.connect(lambda: self._add_range_row("ALT", "", None, None, None))
        remove = QPushButton("Re&move range", page)
        remove.clicked.connect(lambda: self.ranges.removeRow(self.ranges.currentRow()))
        note = QLabel(
            "Used only when a result arrives without its own range. Values are in the "
            "unit shown; a blank limit means none.",
            page,
        )
        note.setWordWrap(True)
        note.setObjectName("muted")
        layout = QVBoxLayout(page)
        layout.addWidget(note)
        layout.addWidget(self.ranges, 1)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(add)
        buttons_row.addWidget(remove)
        buttons_row.addStretch(1)
        layout.addLayout(buttons_row)
        return page

    def _add_range_row(
        self, analyte: str, sex: str, lln: float | None, uln: float | None, unit: str | None
    ) -> None:
        r = self.ranges.rowCount()
        self.ranges.insertRow(r)
        analyte_box = QComboBox()
        for code, a in ANALYTES.items():
            analyte_box.addItem(f"{code} – {a.name}", code)
        analyte_box.setCurrentIndex(max(0, analyte_box.findData(analyte)))
        self.ranges.setCellWidget(r, 0, analyte_box)
        self.ranges.setCellWidget(r, 1, _combo(SEX_LABELS, sex))
        self.ranges.setItem(r, 2, QTableWidgetItem("" if lln is None else f"{lln:g}"))
        self.ranges.setItem(r, 3, QTableWidgetItem("" if uln is None else f"{uln:g}"))
        shown_unit = unit or ANALYTES[analyte].canonical_unit
        self.ranges.setItem(r, 4, QTableWidgetItem(shown_unit))

    def _alerts_tab(self) -> QWidget:
        inner = QWidget(self)
        form = QFormLayout(inner)
        self.thresholds: dict[str, QDoubleSpinBox] = {}
        for name, default in alert_threshold_fields():
            spin = QDoubleSpinBox(inner)
            whole = isinstance(default, int)
            spin.setDecimals(0 if whole else 2)
            spin.setRange(0.0, 100_000.0)
            spin.setValue(float(self.current.alert_thresholds.get(name, default)))
            spin.setToolTip(f"{name}; built-in value: {default:g}")
            self.thresholds[name] = spin
            form.addRow(threshold_label(name) + ":", spin)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        return scroll

    def _database_tab(self) -> QWidget:
        page = QWidget(self)
        current = QLabel(self.db.display_name(), page)
        current.setWordWrap(True)
        self.db_url = QLineEdit(page)
        self.db_url.setPlaceholderText(
            "postgresql+psycopg://user@server/irae  or  /path/to/file.sqlite3"
        )
        stored = self.qsettings.value(DB_URL_KEY, "")
        self.db_url.setText(str(stored or ""))
        browse = QPushButton("Choose SQLite &file…", page)
        browse.clicked.connect(self._browse)
        note = QLabel(
            "A new location is used from the next start. Passwords belong in the "
            "PostgreSQL password file (~/.pgpass), not here. Leave empty for the default.",
            page,
        )
        note.setWordWrap(True)
        note.setObjectName("muted")
        form = QFormLayout(page)
        form.addRow("In use now:", current)
        form.addRow("&Next start:", self.db_url)
        form.addRow("", browse)
        form.addRow("", note)
        return page

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Choose database file",
            "",
            "SQLite database (*.sqlite3 *.db);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.db_url.setText(f"sqlite:///{path}")

    # saving ---------------------------------------------------------------------------------
    def team_changes(self) -> dict[str, Any]:
        defaults = dict(alert_threshold_fields())
        thresholds = {
            name: int(spin.value()) if isinstance(defaults[name], int) else spin.value()
            for name, spin in self.thresholds.items()
            # only values that differ from the built-in ones are stored, so a later change of a
            # built-in default reaches teams that never touched that threshold
            if spin.value() != float(defaults[name])
        }
        return {
            "criteria_set": self.criteria.currentData(),
            "units_system": self.units.currentData(),
            "clinical_timezone": self.timezone.currentText().strip(),
            "paper_size": self.paper.currentData(),
            "privacy_minutes": self.privacy.value(),
            "alert_thresholds": thresholds,
        }

    def range_rows(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for r in range(self.ranges.rowCount()):
            analyte = self.ranges.cellWidget(r, 0)
            sex = self.ranges.cellWidget(r, 1)
            assert isinstance(analyte, QComboBox) and isinstance(sex, QComboBox)
            limits: list[float | None] = []
            for col in (2, 3):
                item = self.ranges.item(r, col)
                text = item.text().strip() if item is not None else ""
                try:
                    limits.append(float(text) if text else None)
                except ValueError as exc:
                    raise StoreError(f"Row {r + 1}: {text!r} is not a number.") from exc
            unit_item = self.ranges.item(r, 4)
            rows.append(
                {
                    "analyte": analyte.currentData(),
                    "sex": sex.currentData(),
                    "lln": limits[0],
                    "uln": limits[1],
                    "unit": unit_item.text().strip() if unit_item else None,
                }
            )
        return rows

    def _unchanged(self, row: dict[str, Any]) -> bool:
        return SiteRange(**row) in self._ranges

    def save(self) -> bool:
        """Checks the form, then saves in the background; False if the form itself is wrong.

        Everything is one transaction: when the criteria set or a site range changes, every stored
        result is regraded in it too, so no grade ever disagrees with the settings shown.
        The outcome arrives as `applied` (dialog closes) or `save_failed(reason)` (stays open).
        """
        try:
            url = validate_db_url(self.db_url.text())
            ranges = [row for row in self.range_rows() if not self._unchanged(row)]
        except StoreError as exc:
            self._failed(exc)
            return False
        kept = {(row["analyte"], row["sex"]) for row in self.range_rows()}
        removed = [(r.analyte, r.sex) for r in self._ranges if (r.analyte, r.sex) not in kept]
        changes = self.team_changes()
        regrading = [
            what
            for what, changed in (
                ("criteria set", changes["criteria_set"] != self.current.criteria_set),
                (
                    "clinical time zone",
                    changes["clinical_timezone"] != self.current.clinical_timezone,
                ),
                ("site reference ranges", bool(ranges) or bool(removed)),
            )
            if changed
        ]
        regrade = bool(regrading)

        def work(session: Any, user: str) -> int:
            # one transaction (run_write): the settings, the ranges and the regrade together
            team.update_settings(session, user, changes, regrade=False)
            for row in ranges:
                team.set_site_range(
                    session,
                    user,
                    row["analyte"],
                    lln=row["lln"],
                    uln=row["uln"],
                    unit=row["unit"],
                    sex=row["sex"],
                )
            for analyte, sex in removed:
                team.delete_site_range(session, user, analyte, sex)
            if regrade:
                why = ", ".join(regrading) + " changed in Settings"
                return team.regrade_everything(session, user, why)
            return 0

        self.buttons.setEnabled(False)
        self.message.setText("Saving\u2026" + (" and regrading stored results" if regrade else ""))
        self.write = run_write(
            self.db,
            work,
            title="Save settings",
            change=Change(frozenset({SETTINGS, LABS, ALERTS})),
            on_success=lambda _n: self._saved(url),
            on_failure=self._failed,
        )
        self.job = self.write.job
        assert self.job is not None
        DelayedProgress(self.job, self, cancellable=False)
        return True

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        message = plain_message(exc)
        if message is None:
            self.message.setText("")
            show_error(self, exc, action="save the settings")
            message = "unexpected error"
        else:
            self.message.setText(message)
        self.save_failed.emit(message)

    def _saved(self, url: str) -> None:
        if url:
            self.qsettings.setValue(DB_URL_KEY, url)
        else:
            self.qsettings.remove(DB_URL_KEY)
        self.qsettings.sync()
        self.applied.emit()
        self.accept()


def zone_box(parent: QWidget, current: str) -> QComboBox:
    """An editable list of every IANA zone, searched by any part of the name as one types
    ("sydney", "kolkata")."""
    box = QComboBox(parent)
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.addItems(sorted(available_timezones() | {"UTC"}))
    completer = QCompleter(box.model(), box)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    box.setCompleter(completer)
    box.setCurrentText(current)
    return box
