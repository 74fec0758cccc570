"""Held treatment rows on the held-rows screen, driven like a user: listed on their own tab with
what the file said, assigned to a patient through the confirmation (stored as lines), dropped
with a reason, and reached from the import wizard after a treatment file held rows."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from irae_desktop.importers.service import ImportOptions, import_files
from irae_desktop.store.database import Database
from irae_desktop.store.models import AuditEvent, HeldTreatmentRow, Patient, TreatmentLine
from irae_desktop.ui.held_confirm import AssignConfirmDialog, DropDialog
from irae_desktop.ui.held_results import TREATMENTS, HeldResultsDialog
from irae_desktop.ui.held_treatment_view import (
    TCOL_AGENT,
    TCOL_DATES,
    TCOL_DOSE,
    TCOL_FILE,
    TCOL_MRN,
    TCOL_ROW,
    TCOL_SCHEDULE,
)
from irae_desktop.ui.main_window import MainWindow

LINES_CSV = (
    "MRN,Drug,Dose,Unit,Frequency,Route,Start date,Stop date,Indication\n"
    "MRN-900,KEYTRUDA,200,mg,q3w,IV,2024-01-15,,melanoma\n"
    "MRN-900,Solu-Medrol,1,mg/kg,BID,IV,2024-03-01,2024-03-04,hepatitis\n"
)
INFUSIONS_CSV = (
    "MRN,Medication,Dose,Unit,Route,Administered At\nMRN-901,Yervoy,3,mg/kg,IV,2024-02-05 09:30\n"
)


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IRAE_USER", "dr.held")


@pytest.fixture
def treatment_files(tmp_path: Path) -> list[Path]:
    lines = tmp_path / "oncology_lines.csv"
    lines.write_text(LINES_CSV, encoding="utf-8")
    given = tmp_path / "infusions.csv"
    given.write_text(INFUSIONS_CSV, encoding="utf-8")
    return [lines, given]


@pytest.fixture
def held_db(ui_db: Database, treatment_files: list[Path]) -> Database:
    summaries = import_files(ui_db, treatment_files, ImportOptions(user="importer", timezone="UTC"))
    assert [s.unmatched for s in summaries] == [2, 1]
    return ui_db


def open_dialog(qtbot, db: Database) -> HeldResultsDialog:  # type: ignore[no-untyped-def]
    dialog = HeldResultsDialog(db)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.show()
    return dialog


def treatment_cells(dialog: HeldResultsDialog) -> list[tuple[str, ...]]:
    t = dialog.treatment_table
    cols = (TCOL_MRN, TCOL_AGENT, TCOL_DOSE, TCOL_SCHEDULE, TCOL_DATES, TCOL_FILE, TCOL_ROW)
    return [tuple(t.item(r, c).text() for c in cols) for r in range(t.rowCount())]


def test_held_treatment_rows_are_listed_on_their_own_tab(qtbot, held_db: Database) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, held_db)

    # no lab result is held: the screen opens on the treatment rows
    assert dialog.kind() == TREATMENTS and dialog.tabs.currentWidget() is dialog.treatment_table
    assert [dialog.tabs.tabText(i) for i in range(2)] == [
        "&Lab results (0)",
        "&Treatment rows (3)",
    ]
    assert dialog.count_label.text() == "3 held treatment rows for 2 MRNs"
    assert treatment_cells(dialog) == [
        (
            "MRN-900", "methylprednisolone", "1 mg/kg", "BID, IV", "2024-03-01 to 2024-03-04",
            "oncology_lines.csv", "line 3",
        ),
        (
            "MRN-900", "pembrolizumab", "200 mg", "q3w, IV", "from 2024-01-15",
            "oncology_lines.csv", "line 2",
        ),
        ("MRN-901", "ipilimumab", "3 mg/kg", "IV", "given 2024-02-05", "infusions.csv", "line 2"),
    ]  # fmt: skip
    assert "for melanoma" in dialog.treatment_table.item(1, TCOL_AGENT).toolTip()


def test_a_held_line_is_assigned_through_the_confirmation(qtbot, held_db: Database) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, held_db)
    keytruda = [h.id for h in dialog.held_treatments if h.agent == "pembrolizumab"]
    dialog.select_ids(keytruda)
    assert [h.agent for h in dialog.selected_rows()] == ["pembrolizumab"]
    dialog.picker.search.clear()
    qtbot.keyClicks(dialog.picker.search, "turing")
    qtbot.keyClick(dialog.picker.search, Qt.Key.Key_Down)
    assert dialog.chosen_patient() is not None and dialog.chosen_patient().mrn == "MRN-300"

    confirm = dialog.request_assign()

    assert isinstance(confirm, AssignConfirmDialog) and confirm.mismatch and confirm.treatments
    assert confirm.windowTitle() == "Confirm: assign held treatment rows"
    assert not confirm.confirm_button.isEnabled()
    confirm.checked_box.setChecked(True)
    qtbot.keyClicks(confirm.reason, "MRN-900 is Alan Turing's old record")
    with qtbot.waitSignal(dialog.changed, timeout=10_000) as changed:
        qtbot.mouseClick(confirm.confirm_button, Qt.MouseButton.LeftButton)

    assert changed.args[0] == (
        "Assigned 1 treatment row to Alan Turing (MRN MRN-300) as treatment lines."
    )
    with held_db.read() as s:
        line = s.scalars(select(TreatmentLine).join(Patient).where(Patient.mrn == "MRN-300")).one()
        waiting = select(HeldTreatmentRow).where(HeldTreatmentRow.assigned_mrn.is_(None))
        left = sorted(r.agent for r in s.scalars(waiting))
        (event,) = s.scalars(select(AuditEvent).where(AuditEvent.action == "assign")).all()
    assert (line.agent, line.dose, line.dose_unit, line.start_date, line.indication) == (
        "pembrolizumab", 200.0, "mg", date(2024, 1, 15), "melanoma",
    )  # fmt: skip
    assert left == ["ipilimumab", "methylprednisolone"]
    assert (event.claimed_by, event.entity, event.patient_mrn) == (
        "dr.held", "held_treatment_row", "MRN-300",
    )  # fmt: skip
    assert json.loads(event.after_json or "{}")["mrn_differs"] is True
    qtbot.waitUntil(lambda: dialog.treatment_table.rowCount() == 2, timeout=10_000)


def test_a_held_dose_is_dropped_with_a_reason(qtbot, held_db: Database) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, held_db)
    dialog.select_ids([h.id for h in dialog.held_treatments if h.mrn == "MRN-901"])

    drop = dialog.request_drop()

    assert (
        isinstance(drop, DropDialog) and drop.windowTitle() == "Confirm: drop held treatment rows"
    )
    assert drop.confirm_button.text() == "&Drop 1 row"
    drop.reason.setCurrentText("Wrong file imported")
    with qtbot.waitSignal(dialog.changed, timeout=10_000) as changed:
        qtbot.mouseClick(drop.confirm_button, Qt.MouseButton.LeftButton)
    assert changed.args[0] == "Dropped 1 held treatment row; the reason is in the audit trail."
    with held_db.read() as s:
        assert sorted(r.mrn for r in s.scalars(select(HeldTreatmentRow))) == ["MRN-900"] * 2
        (event,) = s.scalars(select(AuditEvent).where(AuditEvent.action == "delete")).all()
    assert (event.entity, event.reason) == ("held_treatment_row", "Wrong file imported")


def test_the_wizard_leads_to_the_held_treatment_rows(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, treatment_files: list[Path]
) -> None:
    wizard = window.import_files(treatment_files)
    wizard.timezone.setCurrentText("UTC")
    with qtbot.waitSignal(wizard.preview_done, timeout=20_000):
        wizard.start_preview()
    with qtbot.waitSignal(window.held_count_changed, timeout=20_000) as counted:
        qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    assert counted.args == [3]
    assert window.held_label.isVisible() and "3 held rows to assign" in window.held_label.text()
    assert wizard.held_button.text() == "Review &held treatment rows (3)\u2026"

    qtbot.mouseClick(wizard.held_button, Qt.MouseButton.LeftButton)

    dialog = window.held_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.kind() == TREATMENTS
    qtbot.waitUntil(lambda: dialog.treatment_table.rowCount() == 3, timeout=10_000)
