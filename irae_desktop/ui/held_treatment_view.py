"""The held treatment rows on the held-results screen: their table, and the words that say what
each row is (a whole line, or one dose given) as the file gave it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QWidget

from irae_desktop.store.held_treatments import GIVEN, HeldTreatment
from irae_desktop.ui.held_format import fit_columns, imported_text, make_table, table_item

TREATMENT_COLUMNS = (
    "MRN in file", "Agent", "Dose", "Schedule", "Dates", "File", "Row", "Imported", "Batch",
)  # fmt: skip
(
    TCOL_MRN, TCOL_AGENT, TCOL_DOSE, TCOL_SCHEDULE, TCOL_DATES, TCOL_FILE, TCOL_ROW,
    TCOL_IMPORTED, TCOL_BATCH,
) = range(len(TREATMENT_COLUMNS))  # fmt: skip
CATEGORY_WORDS = {
    "ici": "checkpoint inhibitor",
    "immunosuppression": "immunosuppression",
    "insulin": "insulin",
}


def agent_text(held: HeldTreatment) -> str:
    return held.agent


def agent_tooltip(held: HeldTreatment) -> str:
    what = CATEGORY_WORDS.get(held.category, held.category or "treatment")
    return what + (f"; for {held.indication}" if held.indication else "")


def dose_text(held: HeldTreatment) -> str:
    if held.dose is None:
        return "no dose in the file"
    return f"{held.dose:g} {held.dose_unit or ''}".strip()


def schedule_text(held: HeldTreatment) -> str:
    parts = [p for p in (held.frequency, held.route) if p]
    return ", ".join(parts)


def dates_text(held: HeldTreatment) -> str:
    """A dose says the day it was given; a line its start and, if the file had one, its stop."""
    if held.kind == GIVEN:
        return f"given {held.start.isoformat()}"
    if held.stop is None:
        return f"from {held.start.isoformat()}"
    return f"{held.start.isoformat()} to {held.stop.isoformat()}"


def make_treatment_table(parent: QWidget) -> QTableWidget:
    return make_table(TREATMENT_COLUMNS, "Held treatment rows", TCOL_FILE, parent)


def fill_treatment_table(table: QTableWidget, rows: list[HeldTreatment]) -> None:
    table.setSortingEnabled(False)
    table.clearSelection()
    table.setRowCount(len(rows))
    for r, h in enumerate(rows):
        batch = QTableWidgetItem()
        if h.batch_id is not None:
            batch.setData(Qt.ItemDataRole.DisplayRole, h.batch_id)
        kind = (
            "one dose given (doses become a line when assigned)"
            if h.kind == GIVEN
            else ("a treatment line")
        )
        cells = {
            TCOL_MRN: table_item(h.mrn, row_id=h.id),
            TCOL_AGENT: table_item(agent_text(h), agent_tooltip(h)),
            TCOL_DOSE: table_item(dose_text(h), "as in the file"),
            TCOL_SCHEDULE: table_item(schedule_text(h)),
            TCOL_DATES: table_item(dates_text(h), kind),
            TCOL_FILE: table_item(h.source_file or "unknown", h.source_file or ""),
            TCOL_ROW: table_item(h.source_ref or ""),
            TCOL_IMPORTED: table_item(imported_text(h)),
            TCOL_BATCH: batch,
        }
        for c, item in cells.items():
            table.setItem(r, c, item)
    table.setSortingEnabled(True)
    fit_columns(table)
