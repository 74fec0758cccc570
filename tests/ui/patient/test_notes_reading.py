"""Consult notes are read in full before anyone edits them; editing is its own action."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from irae_desktop.store.models import ConsultNote
from irae_desktop.ui.patient.forms import NoteDialog

LONG = (
    "ALT 262 U/L (6.6 x ULN), grade 3. No alcohol, paracetamol or new drugs. Viral serology "
    "sent. Ultrasound: no biliary dilatation, no metastases seen in the liver today."
)
PLAN = "Hold pembrolizumab.\nPrednisone 1 mg/kg.\nLFTs daily."


def _add_long_note(db, pid: int) -> None:  # type: ignore[no-untyped-def]
    with db.write() as s:
        s.add(
            ConsultNote(
                patient_id=pid,
                written_at=datetime.now(UTC) - timedelta(hours=1),
                author="Dr. Long",
                text=LONG,
                plan=PLAN,
            )
        )


def test_the_newest_note_is_shown_whole_and_wrapped(qtbot, patient_db) -> None:  # type: ignore[no-untyped-def]
    from irae_desktop.ui.patient.view import PatientView

    db, pid = patient_db
    _add_long_note(db, pid)
    view = PatientView(db)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.show_patient(pid)
    tab = view.notes
    assert tab.notes.currentItem().text(1) == "Dr. Long"
    text = tab.reader.toPlainText()
    assert LONG in text
    assert "Hold pembrolizumab.\nPrednisone 1 mg/kg.\nLFTs daily." in text
    assert tab.reader.lineWrapMode() == tab.reader.LineWrapMode.WidgetWidth


def test_choosing_another_note_shows_it_and_opens_no_editor(qtbot, view, patient_db) -> None:  # type: ignore[no-untyped-def]
    db, pid = patient_db
    _add_long_note(db, pid)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        view.refresh()
    tab = view.notes
    older = tab.notes.topLevelItem(1)
    assert older.text(1) == "Dr. Test"
    tab.notes.setCurrentItem(older)
    tab.notes.itemDoubleClicked.emit(older, 2)
    assert tab.active_dialog is None  # reading is not editing
    assert "Improving." in tab.reader.toPlainText()
    assert "Taper prednisone to 20 mg." in tab.reader.toPlainText()
    assert tab.edit_buttons["note"].text() == "Edit note\u2026"
    tab.edit_buttons["note"].click()
    assert isinstance(tab.active_dialog, NoteDialog)
    assert tab.active_dialog.text.toPlainText() == "Improving."
    tab.active_dialog.close()
