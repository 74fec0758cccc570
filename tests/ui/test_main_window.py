"""Driving the main window like a user: find, open, go back, remembered layout, drag and drop."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication

from irae_desktop.ui.main_window import PAGE_PATIENT, PAGE_WORKLIST, MainWindow
from irae_desktop.ui.worklist_model import COL_MRN, COL_NAME, PATIENT_ID_ROLE


def visible_mrns(win: MainWindow) -> list[str]:
    proxy = win.worklist.proxy
    return [proxy.index(r, COL_MRN).data() for r in range(proxy.rowCount())]


def row_of(win: MainWindow, mrn: str) -> int:
    return visible_mrns(win).index(mrn)


def test_worklist_lists_active_patients_with_counts(window: MainWindow) -> None:
    assert sorted(visible_mrns(window)) == ["MRN-100", "MRN-200"]
    assert window.worklist.count_label.text() == "2 of 3 patients shown"
    assert window.count_label.text() == "3 patients: 2 active, 0 with alerts"
    assert str(window.db.sqlite_file) in window.db_label.text()
    assert "CTCAE v5.0" in window.criteria_label.text()


def test_search_filters_as_you_type(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.worklist.search.hasFocus() or QApplication.focusWidget() is None
    qtbot.keyClicks(window.worklist.search, "hop")
    qtbot.waitUntil(lambda: visible_mrns(window) == ["MRN-200"], timeout=3000)
    window.worklist.search.clear()
    qtbot.keyClicks(window.worklist.search, "mrn-1")
    qtbot.waitUntil(lambda: visible_mrns(window) == ["MRN-100"], timeout=3000)
    window.worklist.search.clear()
    qtbot.keyClicks(window.worklist.search, "turing")
    qtbot.waitUntil(lambda: visible_mrns(window) == [], timeout=3000)
    # signed off: hidden until "All patients" is chosen, and the empty list says why
    assert "No patient matches" in window.worklist.empty_label.text()
    window.worklist.status_filter.setCurrentIndex(2)
    assert visible_mrns(window) == ["MRN-300"]
    qtbot.keyClick(window.worklist.search, Qt.Key.Key_Escape)
    assert window.worklist.search.text() == ""
    qtbot.waitUntil(lambda: len(visible_mrns(window)) == 3, timeout=3000)


def test_sorting_keeps_the_selected_patient(window: MainWindow) -> None:
    window.worklist.select_patient(window.worklist.model.row_at(0).patient_id)
    chosen = window.worklist.selected_patient_id()
    window.worklist.table.sortByColumn(COL_MRN, Qt.SortOrder.DescendingOrder)
    assert visible_mrns(window) == ["MRN-200", "MRN-100"]
    assert window.worklist.selected_patient_id() == chosen


def test_double_click_opens_the_patient(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    table = window.worklist.table
    index = window.worklist.proxy.index(row_of(window, "MRN-200"), COL_NAME)
    expected = index.data(PATIENT_ID_ROLE)
    rect = table.visualRect(index)
    with qtbot.waitSignal(window.patient_opened) as opened:
        # a real double-click is press, release, then the double-click event
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [expected]
    assert window.pages.currentIndex() == PAGE_PATIENT
    assert window.current_patient_id() == expected
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.pages.currentIndex() == PAGE_WORKLIST


def test_enter_opens_the_selected_patient_and_escape_goes_back(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    table = window.worklist.table
    table.setFocus()
    table.selectRow(row_of(window, "MRN-100"))
    expected = table.currentIndex().data(PATIENT_ID_ROLE)
    with qtbot.waitSignal(window.patient_opened) as opened:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened.args == [expected]
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.pages.currentIndex() == PAGE_WORKLIST


def test_enter_in_search_opens_the_first_match(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(window.worklist.search, "lovelace")
    with qtbot.waitSignal(window.patient_opened) as opened:
        qtbot.keyClick(window.worklist.search, Qt.Key.Key_Return)
    index = window.worklist.proxy.index(0, COL_NAME)
    assert opened.args == [index.data(PATIENT_ID_ROLE)]


def test_layout_and_last_patient_are_remembered(
    qtbot, window: MainWindow, ui_db, qsettings
) -> None:  # type: ignore[no-untyped-def]
    window.worklist.table.setColumnWidth(COL_MRN, 177)
    index = window.worklist.proxy.index(row_of(window, "MRN-200"), COL_NAME)
    window.open_patient(index.data(PATIENT_ID_ROLE))
    window.close()
    again = MainWindow(ui_db, qsettings)
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.worklist.loaded, timeout=10_000):
        again.worklist.refresh()
    assert again.worklist.table.columnWidth(COL_MRN) == 177
    assert again.worklist.selected_patient_id() == index.data(PATIENT_ID_ROLE)


def test_dropping_files_opens_the_import_wizard(
    qtbot, window: MainWindow, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    seen: list[list] = []
    monkeypatch.setattr(window, "import_files", lambda files=None: seen.append(files))
    file = tmp_path / "labs.csv"
    file.write_text("x\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(file))])
    event = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    assert seen == [[file]]


def test_every_menu_action_has_a_mnemonic(window: MainWindow) -> None:
    for menu_action in window.menuBar().actions():
        assert "&" in menu_action.text()
        for action in menu_action.menu().actions():
            assert action.isSeparator() or "&" in action.text(), action.text()


def test_title_names_the_open_patient(window: MainWindow) -> None:
    index = window.worklist.proxy.index(row_of(window, "MRN-100"), COL_NAME)
    window.open_patient(index.data(PATIENT_ID_ROLE))
    assert window.windowTitle().startswith("Ada Lovelace (MRN-100)")
    window.show_worklist()
    assert window.windowTitle() == "irae-desktop"


@pytest.mark.parametrize(
    ("key", "dialog_class"),
    [
        (Qt.Key.Key_N, "PatientDialog"),
        (Qt.Key.Key_I, "ImportWizard"),
        (Qt.Key.Key_L, "LabDialog"),
        (Qt.Key.Key_Comma, "SettingsDialog"),
    ],
)
def test_shortcuts_open_their_dialogs(qtbot, window: MainWindow, key, dialog_class: str) -> None:  # type: ignore[no-untyped-def]
    window.worklist.table.setFocus()
    window.worklist.table.selectRow(0)
    qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
    opened = [d for d in window.dialogs if type(d).__name__ == dialog_class]
    assert opened and opened[0].isVisible()
    opened[0].close()


def test_settings_is_in_the_file_menu_with_its_shortcut(window: MainWindow) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    assert window.act_settings in file_menu.actions()
    assert "Ctrl+," in [k.toString() for k in window.act_settings.shortcuts()]


def test_worklist_that_cannot_load_says_so(
    qtbot, ui_db, qsettings, no_alert_engine, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from irae_desktop.ui import errors, worklist_view

    path = ui_db.sqlite_file
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    waiter = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        waiter.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        real = exc  # SQLite's own "database is locked", with its code
    finally:
        waiter.close()
        holder.rollback()
        holder.close()

    def locked(_db):  # type: ignore[no-untyped-def]
        raise OperationalError("SELECT", {}, real)

    shown: list[str] = []
    monkeypatch.setattr(worklist_view, "_load_rows", locked)
    monkeypatch.setattr(
        worklist_view,
        "show_error",
        lambda _p, exc, action="": shown.append(errors.plain_message(exc) or ""),
    )
    win = MainWindow(ui_db, qsettings)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.worklist.loaded, timeout=10_000):
        win.worklist.refresh()
    assert shown and "database is busy" in shown[0]
    assert "could not be loaded" in win.worklist.empty_label.text()


def test_a_first_start_fits_the_screen(qtbot, ui_db, qsettings, no_alert_engine) -> None:  # type: ignore[no-untyped-def]
    # the offscreen screen (800x800) is smaller than the built-in 1400x850: the whole window,
    # right-hand buttons and status bar included, must still be on it
    from irae_desktop.ui.main_window import MainWindow

    win = MainWindow(ui_db, qsettings)
    qtbot.addWidget(win)
    free = win.screen().availableGeometry()
    assert free.width() < 1400 and free.height() < 850
    assert win.width() <= free.width() - 16 and win.height() <= free.height() - 48
    win.close()


def test_status_bar_names_the_units_on_display(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert window.criteria_label.text() == "Criteria: CTCAE v5.0, US units"
    index = window.worklist.proxy.index(row_of(window, "MRN-100"), COL_NAME)
    with qtbot.waitSignal(window.patient_view.loaded, timeout=10_000):
        window.open_patient(index.data(PATIENT_ID_ROLE))
    window.patient_view.si_button.click()
    assert window.criteria_label.text() == "Criteria: CTCAE v5.0, SI units"
    window.patient_view.us_button.click()
    assert window.criteria_label.text() == "Criteria: CTCAE v5.0, US units"
