"""The held-results screen driven like a user: results for unknown MRNs assigned through the
side-by-side confirmation, dropped with a reason, or left alone when the user cancels."""

from __future__ import annotations

import getpass
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from irae_desktop.importers.service import ImportOptions, import_files
from irae_desktop.store.database import Database
from irae_desktop.store.models import AuditEvent, ImportBatch, LabResult, Patient, UnmatchedLabRow
from irae_desktop.store.unmatched import drop_unmatched
from irae_desktop.ui.held_confirm import AssignConfirmDialog, DropDialog
from irae_desktop.ui.held_results import (
    COL_BATCH,
    COL_COLLECTED,
    COL_FILE,
    COL_IMPORTED,
    COL_MRN,
    COL_RESULT,
    COL_ROW,
    COL_TEST,
    HeldResultsDialog,
)
from irae_desktop.ui.main_window import MainWindow
from irae_desktop.ui.patient_dialog import PatientDialog
from irae_desktop.ui.workers import active_jobs
from tests.ui.conftest import add_patient

# yesterday, so the results fall inside the fixture patients' current ICI line
DAY = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%d")
HELD_CSV = (
    "MRN,Collected,Test,Result,Unit,Ref Low,Ref High\n"
    f"MRN-900,{DAY} 08:00,ALT,262,U/L,7,40\n"
    f"MRN-900,{DAY} 09:00,AST,<5,U/L,10,40\n"
    f"MRN-901,{DAY} 10:00,ALT,80,U/L,7,40\n"
)
TABLES = (Patient, LabResult, UnmatchedLabRow, AuditEvent)


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IRAE_USER", "dr.held")


@pytest.fixture
def held_file(tmp_path: Path) -> Path:
    path = tmp_path / "overnight_labs.csv"
    path.write_text(HELD_CSV, encoding="utf-8")
    return path


@pytest.fixture
def held_db(ui_db: Database, held_file: Path) -> Database:
    (summary,) = import_files(ui_db, [held_file], ImportOptions(user="importer", timezone="UTC"))
    assert (summary.imported, summary.unmatched) == (0, 3)
    return ui_db


def snapshot(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables an assign or drop could touch, for 'nothing else changed'."""
    with db.read() as s:
        return {
            model.__tablename__: [
                tuple(getattr(row, c.key) for c in model.__table__.columns)
                for row in s.scalars(select(model).order_by(model.id))  # type: ignore[attr-defined]
            ]
            for model in TABLES
        }


def events(db: Database, action: str) -> list[AuditEvent]:
    with db.read() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def open_dialog(qtbot, db: Database) -> HeldResultsDialog:  # type: ignore[no-untyped-def]
    dialog = HeldResultsDialog(db)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.show()
    return dialog


def cells(dialog: HeldResultsDialog) -> list[tuple[str, ...]]:
    t = dialog.table
    cols = (COL_MRN, COL_TEST, COL_RESULT, COL_FILE, COL_ROW)
    return [tuple(t.item(r, c).text() for c in cols) for r in range(t.rowCount())]


def select_rows(dialog: HeldResultsDialog, mrn: str, test: str | None = None) -> None:
    ids = [h.id for h in dialog.held if h.mrn == mrn and (test is None or h.analyte == test)]
    dialog.select_ids(ids)
    assert [h.id for h in dialog.selected_rows()] == ids


def choose_patient(qtbot, dialog: HeldResultsDialog, typed: str) -> None:  # type: ignore[no-untyped-def]
    dialog.picker.search.clear()
    qtbot.keyClicks(dialog.picker.search, typed)
    qtbot.keyClick(dialog.picker.search, Qt.Key.Key_Down)  # to the matches, first one selected


def test_held_results_are_listed_with_their_source(qtbot, held_db: Database) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, held_db)

    assert cells(dialog) == [
        ("MRN-900", "ALT", "262 U/L", "overnight_labs.csv", "line 2"),
        ("MRN-900", "AST", "<5 U/L", "overnight_labs.csv", "line 3"),
        ("MRN-901", "ALT", "80 U/L", "overnight_labs.csv", "line 4"),
    ]
    with held_db.read() as s:
        batch = s.scalars(select(ImportBatch)).one()
    assert dialog.table.item(0, COL_BATCH).text() == str(batch.id)
    local = datetime.fromisoformat(f"{DAY}T08:00+00:00").astimezone()
    assert dialog.table.item(0, COL_COLLECTED).text() == local.strftime("%Y-%m-%d %H:%M")
    assert "by importer" in dialog.table.item(0, COL_IMPORTED).text()
    assert dialog.count_label.text() == "3 held results for 2 MRNs"
    # selecting one result of an MRN and widening to all of that MRN
    select_rows(dialog, "MRN-900", "AST")
    dialog.select_same_mrn()
    assert [h.analyte for h in dialog.selected_rows()] == ["ALT", "AST"]
    assert "MRN in the file: MRN-900" in dialog.selection_label.text()


def test_assign_to_a_patient_with_another_mrn_needs_an_explicit_confirmation(  # type: ignore[no-untyped-def]
    qtbot, held_db: Database
) -> None:
    dialog = open_dialog(qtbot, held_db)
    select_rows(dialog, "MRN-900", "ALT")
    assert dialog.picker.search.text() == "MRN-900"  # looked up at once: no patient has it
    assert dialog.chosen_patient() is None and not dialog.assign_button.isEnabled()
    choose_patient(qtbot, dialog, "hopper")
    assert dialog.chosen_patient() is not None and dialog.chosen_patient().mrn == "MRN-200"
    before = snapshot(held_db)

    confirm = dialog.request_assign()

    assert isinstance(confirm, AssignConfirmDialog) and confirm.mismatch
    shown = {what: (held.text(), chosen.text()) for what, (held, chosen) in confirm.cells.items()}
    assert shown == {
        "MRN": ("MRN-900", "MRN-200"),
        "Name": ("not in the file", "Grace Hopper"),
        "Date of birth": ("not in the file", "1960-01-01"),
        "Sex": ("not in the file", "female"),
    }
    assert "is not this patient's MRN (MRN-200)" in confirm.verdict.text()
    # Enter means Cancel here; the button and a direct accept wait for the tick and the reason
    qtbot.keyClick(confirm, Qt.Key.Key_Return)
    assert not confirm.isVisible()
    assert snapshot(held_db) == before
    confirm = dialog.request_assign()
    assert isinstance(confirm, AssignConfirmDialog)
    assert not confirm.confirm_button.isEnabled()
    confirm.checked_box.setChecked(True)
    confirm.accept()
    assert confirm.isVisible() and "give the reason" in confirm.message.text()
    assert snapshot(held_db) == before
    qtbot.keyClicks(confirm.reason, "MRN-900 merged into MRN-200 by registration")
    assert confirm.confirm_button.isEnabled()

    with qtbot.waitSignal(dialog.changed, timeout=10_000) as changed:
        qtbot.mouseClick(confirm.confirm_button, Qt.MouseButton.LeftButton)
    assert "Assigned 1 result to Grace Hopper (MRN MRN-200) and graded them" in changed.args[0]

    with held_db.read() as s:
        lab = s.scalars(
            select(LabResult).join(Patient).where(Patient.mrn == "MRN-200", LabResult.value == 262)
        ).one()
        held_left = [(r.mrn, r.analyte) for r in s.scalars(select(UnmatchedLabRow))]
    assert (lab.grade, lab.grade_criteria) == (3, "ctcae-5.0")  # 262 U/L is 6.6 x ULN 40
    assert (lab.source_file, lab.source_ref, lab.entered_by) == (
        "overnight_labs.csv",
        "line 2",
        getpass.getuser(),
    )
    assert held_left == [("MRN-900", "AST"), ("MRN-901", "ALT")]
    (event,) = events(held_db, "assign")
    # IRAE_USER is a claim: kept beside the operating-system user, never in its place
    assert (event.user, event.claimed_by) == (getpass.getuser(), "dr.held")
    assert (event.patient_mrn, event.entity_id) == ("MRN-200", lab.id)
    assert "although the file said MRN-900: MRN-900 merged into MRN-200" in (event.reason or "")
    assert json.loads(event.after_json or "{}")["mrn_differs"] is True
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=10_000)


def test_keyboard_only_reaches_the_confirmation(qtbot, held_db: Database) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, held_db)
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)  # the first held result
    assert [h.mrn for h in dialog.selected_rows()] == ["MRN-900"]
    dialog.picker.search.clear()
    qtbot.keyClicks(dialog.picker.search, "lovelace")
    qtbot.keyClick(dialog.picker.search, Qt.Key.Key_Return)  # to the matches, never a button
    assert dialog.confirm is None
    assert dialog.picker.table.hasFocus() or QApplication.focusWidget() is None
    assert dialog.chosen_patient() is not None and dialog.chosen_patient().mrn == "MRN-100"

    qtbot.keyClick(dialog.picker.table, Qt.Key.Key_Return)

    assert isinstance(dialog.confirm, AssignConfirmDialog) and dialog.confirm.isVisible()
    assert dialog.confirm.patient.mrn == "MRN-100"


def test_enter_on_the_exact_mrn_patient_still_asks_first(qtbot, held_db: Database) -> None:  # type: ignore[no-untyped-def]
    add_patient(held_db, "MRN-900", "Mary Jackson")
    dialog = open_dialog(qtbot, held_db)
    select_rows(dialog, "MRN-900")
    chosen = dialog.chosen_patient()  # the patient with the file's MRN is found at once
    assert chosen is not None and chosen.name == "Mary Jackson"
    before = snapshot(held_db)

    qtbot.keyClick(dialog.picker.table, Qt.Key.Key_Return)
    # a write runs as a background job: none is running, and one that already ended has written
    assert active_jobs() == []

    assert isinstance(dialog.confirm, AssignConfirmDialog) and dialog.confirm.isVisible()
    assert not dialog.confirm.mismatch
    assert snapshot(held_db) == before


def test_drop_needs_a_reason_and_changes_nothing_else(qtbot, held_db: Database) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, held_db)
    select_rows(dialog, "MRN-901")
    before = snapshot(held_db)

    drop = dialog.request_drop()
    assert isinstance(drop, DropDialog)
    assert drop.reason_text() == "" and not drop.confirm_button.isEnabled()
    drop.accept()  # refused without a reason
    assert drop.isVisible() and "Give a reason" in drop.message.text()
    assert snapshot(held_db) == before
    drop.reason.setEditText("Not a patient of this service")

    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        qtbot.mouseClick(drop.confirm_button, Qt.MouseButton.LeftButton)

    after = snapshot(held_db)
    (event,) = events(held_db, "delete")
    assert (event.reason, event.claimed_by, event.patient_mrn) == (
        "Not a patient of this service",
        "dr.held",
        "MRN-901",
    )
    assert json.loads(event.before_json or "{}")["original_text"] == "80"
    held_before = before["unmatched_lab_rows"]
    assert after["unmatched_lab_rows"] == [r for r in held_before if "MRN-901" not in r]
    assert len(after["unmatched_lab_rows"]) == 2
    for table in ("patients", "lab_results"):
        assert after[table] == before[table]
    assert after["audit_events"][:-1] == before["audit_events"]  # one new event: the drop
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=10_000)


@pytest.mark.parametrize("action", ["assign", "drop"])
def test_cancel_in_the_confirmation_leaves_everything_held(
    qtbot, held_db: Database, action
) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, held_db)
    select_rows(dialog, "MRN-900")
    choose_patient(qtbot, dialog, "MRN-100")
    before = snapshot(held_db)

    confirm = dialog.request_assign() if action == "assign" else dialog.request_drop()
    assert confirm is not None
    if isinstance(confirm, AssignConfirmDialog):
        confirm.checked_box.setChecked(True)
        qtbot.keyClicks(confirm.reason, "typed, then thought better of it")
    else:
        confirm.reason.setEditText("typed, then thought better of it")
    qtbot.keyClick(confirm, Qt.Key.Key_Escape)
    # a write runs as a background job: none is running, and one that already ended has written
    assert active_jobs() == []

    assert not confirm.isVisible()
    assert dialog.job is not None and dialog.job.title == "Loading held results"
    assert snapshot(held_db) == before
    assert dialog.table.rowCount() == 3 and dialog.message.text() == ""


def test_assign_with_the_same_mrn_needs_no_reason(qtbot, held_db: Database) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, held_db)
    select_rows(dialog, "MRN-901")
    new = dialog.new_patient_for_mrn()  # no patient has MRN-901: create it from here
    assert isinstance(new, PatientDialog) and new.mrn.text() == "MRN-901"
    qtbot.keyClicks(new.name, "Katherine Johnson")

    # saving the patient reloads the list and goes straight to the confirmation
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        assert new.save()
    confirm = dialog.confirm
    assert isinstance(confirm, AssignConfirmDialog) and confirm.isVisible()
    assert not confirm.mismatch and not confirm.checked_box.isVisible()
    assert confirm.patient.name == "Katherine Johnson"
    assert "is this patient's MRN (MRN-901)" in confirm.verdict.text()
    assert confirm.confirm_button.isDefault()
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        qtbot.mouseClick(confirm.confirm_button, Qt.MouseButton.LeftButton)

    with held_db.read() as s:
        (lab,) = s.scalars(select(LabResult).join(Patient).where(Patient.mrn == "MRN-901"))
    assert (lab.value, lab.grade) == (80.0, 1)  # 80 U/L is 2 x ULN 40
    (event,) = events(held_db, "assign")
    assert json.loads(event.after_json or "{}")["mrn_differs"] is False


def test_results_someone_else_handled_meanwhile_give_a_plain_message(
    qtbot, held_db: Database
) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, held_db)
    select_rows(dialog, "MRN-901")
    choose_patient(qtbot, dialog, "MRN-100")
    with held_db.write() as s:  # another workstation drops it first
        drop_unmatched(s, [dialog.selected_rows()[0].id], user="other", reason="theirs")
    before = snapshot(held_db)
    confirm = dialog.request_assign()
    assert confirm is not None
    confirm.checked_box.setChecked(True)
    qtbot.keyClicks(confirm.reason, "checked the request form")

    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        confirm.accept()

    box = dialog.findChild(QMessageBox, "errorBox")
    assert box is not None
    assert "no longer exist" in box.text()
    box.close()
    assert snapshot(held_db) == before
    assert "could not be assigned" in dialog.message.text()
    assert dialog.table.rowCount() == 2


def test_main_window_counts_held_results_and_opens_the_screen(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, held_file: Path
) -> None:
    assert window.held_count == 0 and not window.held_label.isVisible()
    wizard = window.import_files([held_file])
    wizard.timezone.setCurrentText("UTC")
    with qtbot.waitSignal(wizard.preview_done, timeout=20_000):
        wizard.start_preview()
    # a file of unknown MRNs only is importable: its results are held
    assert wizard.import_button.isEnabled()
    assert wizard.import_button.text() == "&Import 0 results and hold 3"
    with qtbot.waitSignal(window.held_count_changed, timeout=20_000) as counted:
        qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    assert counted.args == [3]
    assert "(3 held for unknown MRNs)" in wizard.summary_label.text()
    assert window.act_held.text() == "&Held rows (3)…"
    assert window.held_label.isVisible() and "3 held rows" in window.held_label.text()

    assert wizard.held_button.isVisible()
    qtbot.mouseClick(wizard.held_button, Qt.MouseButton.LeftButton)
    dialog = window.held_dialog
    assert dialog is not None and dialog.isVisible() and not wizard.isVisible()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 3, timeout=10_000)

    # assigning refreshes the worklist and the count
    select_rows(dialog, "MRN-901")
    choose_patient(qtbot, dialog, "lovelace")
    confirm = dialog.request_assign()
    assert confirm is not None
    confirm.checked_box.setChecked(True)
    qtbot.keyClicks(confirm.reason, "phoned the lab: MRN typo")
    with (
        qtbot.waitSignal(window.worklist.loaded, timeout=10_000),
        qtbot.waitSignal(window.held_count_changed, timeout=10_000) as recount,
    ):
        confirm.accept()
    assert recount.args == [2]
    assert "Assigned 1 result to Ada Lovelace" in window.statusBar().currentMessage()

    # closed and opened again from the menu: the same window, reloaded
    dialog.close()
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        window.act_held.trigger()
    assert window.held_dialog is dialog and dialog.isVisible()
    assert dialog.table.rowCount() == 2


def test_the_shortcut_clashes_with_no_other_command(window: MainWindow) -> None:
    assert window.act_held.shortcut() == QKeySequence("Ctrl+Shift+H")
    taken = [s.toString() for a in window.actions() for s in a.shortcuts()]
    assert len(taken) == len(set(taken))
    assert window.act_held in window.menuBar().actions()[0].menu().actions()
