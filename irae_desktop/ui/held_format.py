"""Text, colours and table helpers shared by the held-results screens."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from irae_desktop.store.held_treatments import HeldTreatment
from irae_desktop.store.unmatched import HeldResult, PatientChoice
from irae_desktop.ui.patient.display import analyte_label, local_time_text
from irae_desktop.ui.patient_dialog import SEXES

NOT_IN_FILE = "not in the file"
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SEX_LABELS = dict(SEXES)


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def result_text(held: HeldResult) -> str:
    """The value and unit exactly as the file gave them, with a non-final status named."""
    text = f"{held.original_text} {held.original_unit}".strip()
    return text if held.status == "final" else f"{text} ({held.status})"


def analyte_text(held: HeldResult) -> str:
    return analyte_label(held.analyte)


def source_text(held: HeldResult | HeldTreatment) -> str:
    return f"{held.source_file or 'unknown file'}, {held.source_ref or 'no row reference'}"


def imported_text(held: HeldResult | HeldTreatment) -> str:
    if held.imported_at is None:
        return "unknown"
    who = f" by {held.imported_by}" if held.imported_by else ""
    return local_time_text(held.imported_at) + who


def birth_text(patient: PatientChoice) -> str:
    return patient.birth_date.isoformat() if patient.birth_date else "not recorded"


def sex_text(patient: PatientChoice) -> str:
    return SEX_LABELS.get(patient.sex or "", patient.sex or "not recorded")


def status_text(patient: PatientChoice) -> str:
    return "signed off" if patient.status == "signed_off" else patient.status


def patient_text(patient: PatientChoice) -> str:
    return f"{patient.name or 'no name recorded'} ({patient.mrn})"


def is_dark(widget: QWidget) -> bool:
    """Read from the palette the widget really uses, so a forced palette is honoured too."""
    return widget.palette().color(QPalette.ColorRole.Window).lightness() < 128


# (text, background, border) that keep their contrast on the light and the dark palette
TONES = {
    "warning": {
        "light": ("#7A3E00", "#FFF3DF", "#D98E2B"),
        "dark": ("#F6C177", "#3A2A12", "#A8742A"),
    },
    "ok": {"light": ("#1E6B34", "#E9F6EC", "#6DBB82"), "dark": ("#8FDCA3", "#15301D", "#3F7D52")},
}


def tone_style(widget: QWidget, tone: str, selector: str) -> str:
    """A style sheet for a framed notice (`selector` like "QFrame#mismatch") in `tone`."""
    fg, bg, border = TONES[tone]["dark" if is_dark(widget) else "light"]
    return (
        f"{selector} {{ background: {bg}; border: 1px solid {border}; border-radius: 4px; }}"
        f"{selector} QLabel, {selector} QCheckBox {{ color: {fg}; background: transparent; "
        "border: none; }"
    )


def tone_color(widget: QWidget, tone: str) -> str:
    return TONES[tone]["dark" if is_dark(widget) else "light"][0]


def make_table(columns: tuple[str, ...], name: str, stretch: int, parent: QWidget) -> QTableWidget:
    """A read-only row table; the spare width goes to column `stretch` (see `fit_columns`)."""
    table = QTableWidget(0, len(columns), parent)
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(list(columns))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setTabKeyNavigation(False)
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def fit_columns(table: QTableWidget) -> None:
    """Fits the columns to the rows shown now, so an MRN is never elided to "MRN…".

    ResizeToContents would miss rows shown later by a search, and resizing the stretched
    column by hand stops it stretching, so it is left alone.
    """
    header = table.horizontalHeader()
    for column in range(table.columnCount()):
        if header.sectionResizeMode(column) != QHeaderView.ResizeMode.Stretch:
            table.resizeColumnToContents(column)


def row_id(table: QTableWidget, row: int) -> int | None:
    """The database id kept on the first cell of a row."""
    value = table.model().index(row, 0).data(ID_ROLE)
    return value if isinstance(value, int) else None


def table_item(text: str, tooltip: str = "", *, row_id: int | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if tooltip:
        item.setToolTip(tooltip)
    if row_id is not None:
        item.setData(ID_ROLE, row_id)
    return item
