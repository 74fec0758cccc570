"""What the import wizard learns about a file before importing it, and the mapping editor."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from irae_desktop.domain.analytes import lookup_analyte
from irae_desktop.importers.administration_reader import LAYOUT as GIVEN_LAYOUT
from irae_desktop.importers.administration_reader import administration_columns
from irae_desktop.importers.csv_reader import CsvSource, sniff_delimiter
from irae_desktop.importers.errors import ImportFileError
from irae_desktop.importers.screening_reader import LAYOUT as SCREENING_LAYOUT
from irae_desktop.importers.screening_reader import is_screening_file
from irae_desktop.importers.sniff import inspect_file, open_text
from irae_desktop.importers.treatment_reader import LAYOUT, treatment_columns

NONE = "(not in this file)"
# the roles a user may assign for a one-result-per-row file, with plain labels
EDITABLE_ROLES: tuple[tuple[str, str], ...] = (
    ("mrn", "Patient MRN"),
    ("collected", "Collection date/time"),
    ("test", "Test name"),
    ("code", "Test code (LOINC)"),
    ("value", "Value"),
    ("unit", "Unit"),
    ("low", "Range low"),
    ("high", "Range high"),
    ("range", "Range (as text)"),
    ("name", "Patient name"),
    ("birth", "Date of birth"),
    ("sex", "Sex"),
)


@dataclass
class FileInfo:
    """The detected format and layout of one file, or why it cannot be read."""

    path: Path
    format: str = ""
    layout: str = ""
    header: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    problem: str = ""

    @property
    def is_csv(self) -> bool:
        return self.format == "csv"

    def describe(self) -> str:
        if self.format and self.problem:
            return f"{self.format.upper()}: {self.problem}"
        if self.problem:
            return self.problem
        layout = f", {self.layout}" if self.layout else ""
        return f"{self.format.upper()}{layout}"


def _read_header(path: Path) -> list[str]:
    facts = inspect_file(path)
    text, _counter = open_text(facts)
    try:
        for line in text:
            if line.strip().strip(",;\t|"):
                return [
                    h.strip() for h in next(csv.reader([line], delimiter=sniff_delimiter(line)))
                ]
    finally:
        text.close()
    return []


def inspect(path: Path, mapping: dict[str, Any] | None = None) -> FileInfo:
    """Format, layout and column roles of a file, read without importing anything."""
    info = FileInfo(path)
    try:
        facts = inspect_file(path)
    except (ImportFileError, OSError) as exc:
        info.problem = str(exc)
        return info
    info.format = facts.format
    if facts.format != "csv":
        info.layout = {"hl7": "HL7 v2 messages", "fhir": "FHIR resources"}.get(facts.format, "")
        return info
    try:
        info.header = _read_header(path)
        # treatment lines or doses given: no lab columns to map
        if treatment_columns(info.header) is not None:
            info.layout = LAYOUT
            return info
        if administration_columns(info.header) is not None:
            info.layout = GIVEN_LAYOUT
            return info
        if is_screening_file(facts):  # infection screening results: no lab columns either
            info.layout = SCREENING_LAYOUT
            return info
        source = CsvSource(facts, lambda text: lookup_analyte(text) is not None, mapping)
    except (ImportFileError, OSError, UnicodeDecodeError) as exc:
        info.problem = str(exc)
        return info
    source.close()
    cmap = source.columns
    info.layout = source.layout
    info.columns = {role: cmap.header[cols[0]] for role, cols in cmap.roles.items() if cols}
    return info


class MappingEditor(QTableWidget):
    """One row per role with a choice of the file's columns; `changed` fires on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(len(EDITABLE_ROLES), 2, parent)
        self.setHorizontalHeaderLabels(["Meaning", "Column in the file"])
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self._boxes: dict[str, QComboBox] = {}
        for row, (role, label) in enumerate(EDITABLE_ROLES):
            self.setItem(row, 0, QTableWidgetItem(label))
            box = QComboBox(self)
            box.setAccessibleName(label)
            box.currentIndexChanged.connect(lambda _i: self.changed.emit())
            self._boxes[role] = box
            self.setCellWidget(row, 1, box)

    def show_file(self, header: list[str], columns: dict[str, str]) -> None:
        for role, box in self._boxes.items():
            box.blockSignals(True)
            box.clear()
            box.addItem(NONE, "")
            for name in header:
                box.addItem(name, name)
            box.setCurrentIndex(max(0, box.findData(columns.get(role, ""))))
            box.blockSignals(False)

    def set_column(self, role: str, column: str) -> None:
        box = self._boxes[role]
        box.setCurrentIndex(max(0, box.findData(column)))

    def mapping(self) -> dict[str, Any]:
        """The mapping in the import service's form: {"layout": "long", "columns": {...}}."""
        columns = {
            role: box.currentData() for role, box in self._boxes.items() if box.currentData()
        }
        return {"layout": "long", "columns": columns}

    def apply(self, mapping: dict[str, Any]) -> None:
        columns = mapping.get("columns") or {}
        for role, box in self._boxes.items():
            column = columns.get(role, "")
            box.setCurrentIndex(max(0, box.findData(column if isinstance(column, str) else "")))
