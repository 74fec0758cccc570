"""A tab's buttons that change data: each tab enables them by its own rules (a row selected, a
line that is on), and none of them for an account that may only read."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton


class WriteButtons:
    def __init__(self) -> None:
        self.reason: str | None = None  # why this account cannot write; None when it can
        self._buttons: list[QPushButton] = []

    @property
    def writable(self) -> bool:
        return self.reason is None

    def add(self, button: QPushButton) -> QPushButton:
        self._buttons.append(button)
        return button

    def enable(self, button: QPushButton, allowed: bool) -> None:
        """The tab's rule, unless the account is read-only."""
        button.setEnabled(allowed and self.writable)

    def set_tip(self, button: QPushButton, tip: str) -> None:
        """A tab's help for the button; a read-only account sees why it cannot use it."""
        button.setToolTip(tip if self.reason is None else self.reason)

    def lock(self, reason: str) -> None:
        """Greys every button for good, each saying why."""
        self.reason = reason
        for button in self._buttons:
            button.setEnabled(False)
            button.setToolTip(reason)
