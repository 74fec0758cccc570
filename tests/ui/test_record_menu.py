"""Patient menu: add a treatment line, an irAE episode or a consult note from anywhere."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from irae_desktop.ui.main_window import PAGE_PATIENT, MainWindow
from irae_desktop.ui.patient.forms import EpisodeDialog, NoteDialog
from irae_desktop.ui.patient.treatment_form import TreatmentDialog
from irae_desktop.ui.worklist_model import COL_MRN


def _select(window: MainWindow, mrn: str) -> None:
    proxy = window.worklist.proxy
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, COL_MRN).data() == mrn)
    window.worklist.table.setFocus()
    window.worklist.table.selectRow(row)


def test_patient_menu_lists_the_record_forms(window: MainWindow) -> None:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Patient")
    items = [(a.text(), a.shortcut().toString()) for a in menu.actions() if not a.isSeparator()]
    assert items == [
        ("&Edit patient…", "Ctrl+E"),
        ("Add &lab result…", "Ctrl+L"),
        ("Add &treatment line…", "Ctrl+T"),
        ("Add irAE e&pisode…", "Ctrl+Shift+E"),
        ("Add consult &note…", "Ctrl+Shift+N"),
    ]


def test_no_two_commands_share_a_shortcut(window: MainWindow) -> None:
    seen: dict[str, str] = {}
    for action in window.actions():
        for shortcut in action.shortcuts():
            text = shortcut.toString()
            assert text not in seen, f"{text}: {seen.get(text)} and {action.text()}"
            seen[text] = action.text()
    # Ctrl+, belongs to Settings: none of the record commands may take it
    for action in window.act_add_records:
        assert action.shortcut() != QKeySequence("Ctrl+,")


@pytest.mark.parametrize(
    ("key", "modifiers", "dialog_class", "tab"),
    [
        (Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier, TreatmentDialog, "treatments"),
        (
            Qt.Key.Key_E,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
            EpisodeDialog,
            "notes",
        ),
        (
            Qt.Key.Key_N,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
            NoteDialog,
            "notes",
        ),
    ],
)
def test_shortcut_from_the_worklist_opens_the_patient_and_the_form(
    qtbot, window: MainWindow, key, modifiers, dialog_class, tab
) -> None:  # type: ignore[no-untyped-def]
    _select(window, "MRN-100")
    view = window.patient_view
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        qtbot.keyClick(window, key, modifiers)
    assert window.pages.currentIndex() == PAGE_PATIENT
    assert ">Ada Lovelace<" in view.header.name_label.text()
    holder = getattr(view, tab)
    assert view.tabs.currentWidget() is holder
    dialog = holder.active_dialog
    assert isinstance(dialog, dialog_class) and dialog.isVisible()
    dialog.close()


def test_form_opens_at_once_when_the_patient_is_on_screen(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    _select(window, "MRN-100")
    view = window.patient_view
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        window.open_patient(window.current_patient_id())
    window.act_add_records[2].trigger()
    assert isinstance(view.notes.active_dialog, NoteDialog)
    assert view.notes.active_dialog.isVisible()
    view.notes.active_dialog.close()


def test_without_a_patient_it_asks_for_one(window: MainWindow) -> None:
    window.worklist.table.clearSelection()
    window.worklist.table.setCurrentIndex(window.worklist.proxy.index(-1, -1))
    window.act_add_records[0].trigger()
    assert window.statusBar().currentMessage() == "Select a patient first."
