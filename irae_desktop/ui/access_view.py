"""Who is signed in, shown in the status bar; a read-only account gets a read-only window.

The database refuses a read-only account's writes whatever the window does (the server's
grants, and `Database.write` refusing up front); the window also greys out every command that
would write, with the reason, so nobody fills in a form that cannot be saved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel

from irae_desktop.store.errors import StoreError

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from irae_desktop.ui.main_window import MainWindow

READ_ONLY_REASON = (
    "Your account may read this database but not change it; "
    "ask the database administrator for write access."
)


def write_actions(window: MainWindow) -> list[QAction]:
    """The window's commands that change data."""
    return [
        window.act_new_patient,
        window.act_import,
        window.act_edit_patient,
        window.act_add_lab,
        *window.act_add_records,
    ]


def show_access(window: MainWindow) -> QLabel:
    """Adds "Signed in as NAME" to the status bar and, for a read-only account, disables the
    commands that write, each saying why."""
    try:
        user = window.db.signed_in_user()
    except StoreError:  # the name only; the window works without it
        user = "unknown"
    read_only = window.db.read_only
    label = QLabel(f"Signed in as {user}" + (" (read-only)" if read_only else ""), window)
    label.setObjectName("signedIn")
    label.setToolTip(READ_ONLY_REASON if read_only else "The name the audit trail records")
    window.statusBar().addPermanentWidget(label)
    if read_only:
        for action in write_actions(window):
            action.setEnabled(False)
            action.setToolTip(READ_ONLY_REASON)
            action.setStatusTip(READ_ONLY_REASON)
    return label
