"""The privacy screen covers the window after the team's idle time; a click or key uncovers it.

The idle timer is driven directly (its timeout emitted, its restart observed), never waited for.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QWidget

from irae_desktop.store.database import Database
from irae_desktop.store.errors import StoreError
from irae_desktop.store.settings import get_settings, update_settings
from irae_desktop.ui.operations import SETTINGS, Change, announce
from irae_desktop.ui.privacy_screen import COVER_TEXT, PrivacyScreen, install_privacy_screen

TITLE = "Grace Hopper (MRN-100) \u2013 irae-desktop"


@pytest.fixture
def screen(qtbot, window):  # type: ignore[no-untyped-def]
    window.setWindowTitle(TITLE)
    screen = PrivacyScreen(window, 5)
    yield screen
    screen.stop()


def test_activity_restarts_the_idle_timer(qtbot, window, screen) -> None:  # type: ignore[no-untyped-def]
    assert screen.timer.isActive() and screen.timer.interval() == 5 * 60_000
    screen.timer.stop()
    qtbot.keyClick(window.worklist, Qt.Key.Key_Shift)
    assert screen.timer.isActive()
    screen.timer.stop()
    qtbot.mouseMove(window.worklist, QPoint(10, 10))
    qtbot.mouseClick(window.worklist, Qt.MouseButton.LeftButton)
    assert screen.timer.isActive() and not screen.covered


def test_idle_time_covers_the_window_and_other_windows(qtbot, window, screen) -> None:  # type: ignore[no-untyped-def]
    other = QWidget()
    qtbot.addWidget(other)
    other.setWindowTitle("Audit trail")
    other.show()
    qtbot.waitExposed(other)
    screen.timer.timeout.emit()
    assert screen.covered
    assert screen.cover.geometry() == window.rect()
    assert window.windowTitle() == "irae-desktop"  # the title named the patient
    assert not other.isVisible()
    assert window.findChild(QWidget, "privacyCover") is screen.cover
    assert [label.text() for label in screen.cover.findChildren(QLabel)] == [COVER_TEXT]
    # moving the mouse does not uncover; a key does
    qtbot.mouseMove(window, QPoint(20, 20))
    assert screen.covered
    qtbot.keyClick(window, Qt.Key.Key_A)
    assert not screen.covered
    assert window.windowTitle() == TITLE and other.isVisible()
    assert screen.timer.isActive()


def test_a_click_uncovers(qtbot, window, screen) -> None:  # type: ignore[no-untyped-def]
    screen.timer.timeout.emit()
    qtbot.mouseClick(screen.cover, Qt.MouseButton.LeftButton)
    assert not screen.covered and window.windowTitle() == TITLE


def test_zero_minutes_never_covers(qtbot, window, screen) -> None:  # type: ignore[no-untyped-def]
    screen.set_minutes(0)
    qtbot.keyClick(window.worklist, Qt.Key.Key_Shift)
    assert not screen.timer.isActive()


def test_the_team_setting_sets_the_idle_time(qtbot, window, ui_db: Database) -> None:  # type: ignore[no-untyped-def]
    with ui_db.read() as s:
        assert get_settings(s).privacy_minutes == 10
    screen = install_privacy_screen(window, ui_db)
    try:
        assert screen.timer.interval() == 10 * 60_000
        with ui_db.write() as s:
            update_settings(s, "alice", {"privacy_minutes": 3})
        announce(Change(frozenset({SETTINGS})))
        assert screen.timer.interval() == 3 * 60_000
    finally:
        screen.stop()


@pytest.mark.parametrize("minutes", [-1, 241, 2.5, "5", True])
def test_an_idle_time_out_of_range_is_refused(ui_db: Database, minutes: object) -> None:
    with pytest.raises(StoreError, match="idle time"), ui_db.write() as s:
        update_settings(s, "alice", {"privacy_minutes": minutes})
    with ui_db.read() as s:
        assert get_settings(s).privacy_minutes == 10


def test_the_settings_dialog_sets_the_idle_time(qtbot, ui_db: Database, qsettings) -> None:  # type: ignore[no-untyped-def]
    from irae_desktop.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(ui_db, qsettings)
    qtbot.addWidget(dialog)
    assert dialog.privacy.value() == 10
    dialog.privacy.setValue(0)
    assert dialog.privacy.text() == "never"
    dialog.privacy.setValue(2)
    with qtbot.waitSignal(dialog.applied, timeout=20_000):
        assert dialog.save()
    with ui_db.read() as s:
        assert get_settings(s).privacy_minutes == 2
