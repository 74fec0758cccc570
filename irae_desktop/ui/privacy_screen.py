"""The privacy screen: after the team's idle time the window hides patient data behind a plain
cover, and a click or a key shows it again.

Idle means no key, click, wheel turn or mouse movement in any of the app's windows. The window
title (it names the open patient) is blanked while covered, and the app's other windows (an
audit trail, a form) are hidden and come back with the main window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from irae_desktop.store.errors import StoreError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    from irae_desktop.store.database import Database

COVER_TEXT = "Patient data hidden after inactivity.\nClick or press a key to show it again."
_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)
_UNCOVER = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin})


class PrivacyScreen(QObject):
    """Covers `window` after `minutes` without activity (0: never)."""

    def __init__(self, window: QMainWindow, minutes: int) -> None:
        super().__init__(window)
        self.window = window
        self.cover = QWidget(window)
        self.cover.setObjectName("privacyCover")
        self.cover.setAutoFillBackground(True)
        self.cover.setAccessibleName("Patient data hidden")
        label = QLabel(COVER_TEXT, self.cover)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self.cover)
        layout.addWidget(label)
        self.cover.hide()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.cover_up)
        self._title = ""
        self._hidden: list[QWidget] = []
        self.db: Database | None = None  # set to follow the team setting
        self.set_minutes(minutes)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def covered(self) -> bool:
        return self.cover.isVisible()

    def set_minutes(self, minutes: int) -> None:
        self.minutes = max(0, minutes)
        if self.minutes == 0:
            self.timer.stop()
        elif not self.covered:
            self.timer.start(self.minutes * 60_000)

    def cover_up(self) -> None:
        if self.covered:
            return
        self._title = self.window.windowTitle()
        self.window.setWindowTitle("irae-desktop")
        self._hidden = [
            w
            for w in QApplication.topLevelWidgets()
            if w is not self.window and w.isVisible() and not w.isHidden()
        ]
        for w in self._hidden:
            w.hide()
        self.cover.setGeometry(self.window.rect())
        self.cover.show()
        self.cover.raise_()

    def uncover(self) -> None:
        if not self.covered:
            return
        self.cover.hide()
        self.window.setWindowTitle(self._title)
        for w in self._hidden:
            w.show()
        self._hidden = []
        self.set_minutes(self.minutes)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _ACTIVITY:
            if self.covered:
                if kind in _UNCOVER:
                    self.uncover()
                    return True  # the click or key only uncovers; it does not act
                return False
            if self.minutes:
                self.timer.start(self.minutes * 60_000)
        elif kind == QEvent.Type.Resize and watched is self.window and self.covered:
            self.cover.setGeometry(self.window.rect())
        return False

    def settings_changed(self, change: object) -> None:
        from irae_desktop.ui.operations import SETTINGS, Change

        if self.db is not None and isinstance(change, Change) and SETTINGS in change.kinds:
            self.set_minutes(_team_minutes(self.db))

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


def _team_minutes(db: Database) -> int:
    from irae_desktop.store.settings import get_settings

    try:
        with db.read() as session:
            return get_settings(session).privacy_minutes
    except StoreError:  # unreadable now: keep covering after the default time
        from irae_desktop.store.settings import DEFAULTS

        return DEFAULTS.privacy_minutes


def install_privacy_screen(window: QMainWindow, db: Database) -> PrivacyScreen:
    """The screen with the team's idle time, updated when the team settings change."""
    from irae_desktop.ui.operations import change_notice

    screen = PrivacyScreen(window, _team_minutes(db))
    screen.db = db
    # a slot of the screen itself: Qt disconnects it when the screen goes with its window
    change_notice().changed.connect(screen.settings_changed)
    return screen
