"""Decisions 11 and 12 in the window: a result saved without a grade says so at once, the
worklist shows a newer ungraded result beside the last graded one, an impossible value is
refused."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, Qt
from sqlalchemy import select

from irae_desktop.store.models import LabResult, Patient
from irae_desktop.ui.worklist_model import COL_LIVER, UNGRADED_ROLE
from tests.ui.conftest import wait_written

NO_RANGE = (
    "Lab result saved WITHOUT a grade (no range): ALT 90 U/L: no ULN reported and no site "
    "default: not graded. To grade it, set your laboratory's reference ranges in Settings "
    "(or with 'irae-desktop ranges import')."
)


def _pid(db, mrn: str) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return int(s.scalars(select(Patient.id).where(Patient.mrn == mrn)).one())


def test_manual_entry_without_range_says_so_and_worklist_keeps_the_grade(  # type: ignore[no-untyped-def]
    qtbot, window, ui_db
) -> None:
    pid = _pid(ui_db, "MRN-100")  # ALT 262 U/L, grade 3, yesterday
    window.worklist.select_patient(pid)
    dialog = window.add_lab()
    dialog.analyte.setCurrentIndex(dialog.analyte.findData("ALT"))
    dialog.when.setDateTime(QDateTime.currentDateTime().addSecs(-600))
    dialog.value.setText("90")
    with qtbot.waitSignal(window.worklist.model.modelReset, timeout=10_000):
        assert dialog.save()
    assert window.statusBar().currentMessage() == NO_RANGE
    assert "graded:" not in window.statusBar().currentMessage()
    assert dialog.notice is not None and dialog.notice.text() == NO_RANGE
    dialog.notice.close()
    model = window.worklist.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).patient_id == pid)
    index = model.index(row, COL_LIVER)
    assert index.data() == "G3 ALT \u00b7 latest ungraded: no range"
    assert index.data(UNGRADED_ROLE) == "latest ungraded: no range"
    assert "has no grade: ALT 90 U/L: no ULN reported" in index.data(Qt.ItemDataRole.ToolTipRole)


def test_graded_manual_entry_says_graded_and_opens_no_notice(qtbot, window, ui_db) -> None:  # type: ignore[no-untyped-def]
    window.worklist.select_patient(_pid(ui_db, "MRN-100"))
    dialog = window.add_lab()
    dialog.analyte.setCurrentIndex(dialog.analyte.findData("ALT"))
    dialog.when.setDateTime(QDateTime.currentDateTime().addSecs(-600))
    dialog.value.setText("60")
    dialog.lln.setText("7")
    dialog.uln.setText("40")
    with qtbot.waitSignal(window.worklist.model.modelReset, timeout=10_000):
        assert dialog.save()
    assert (
        window.statusBar()
        .currentMessage()
        .startswith("Lab result saved and graded: grade 1 (ALT 60 U/L = 1.5 x ULN (40)")
    )
    assert dialog.notice is None


def test_impossible_manual_value_keeps_the_dialog_open_and_writes_nothing(
    qtbot, window, ui_db
) -> None:  # type: ignore[no-untyped-def]
    pid = _pid(ui_db, "MRN-100")
    window.worklist.select_patient(pid)
    dialog = window.add_lab()
    dialog.analyte.setCurrentIndex(dialog.analyte.findData("ALT"))
    dialog.when.setDateTime(QDateTime.currentDateTime().addSecs(-600))
    dialog.value.setText("-5")
    assert wait_written(qtbot, dialog.save()).error is not None
    assert dialog.message.text() == (
        "ALT -5 U/L cannot be true: no result is negative; nothing was saved."
    )
    with ui_db.read() as s:
        values = s.scalars(select(LabResult.value).where(LabResult.patient_id == pid)).all()
    assert values == [262.0]
