"""What the main window reads or loads beside its widgets: the held-results count, the criteria
label of the status bar (and the label showing the units), the About text, the Settings keys, and
the patient view's modules ahead of the first open."""

from __future__ import annotations

import logging
import sys
import threading

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from irae_desktop.store.database import Database

log = logging.getLogger(__name__)


def settings_keys() -> list[QKeySequence]:
    """Ctrl+, everywhere, plus the platform's own Preferences key where it has one.

    The standard key is empty on Windows and most Linux desktops, and is Ctrl+, (Cmd+,) on macOS,
    so the usual key is added only when the platform has not already bound it.
    """
    keys = list(QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences))
    usual = QKeySequence("Ctrl+,")
    if usual not in keys:
        keys.append(usual)
    return keys


def count_held(db: Database) -> int:
    """Lab results and treatment rows held for unknown MRNs."""
    from irae_desktop.store.held_treatments import count_held_treatments
    from irae_desktop.store.unmatched import count_unmatched

    with db.read() as session:
        return count_unmatched(session) + count_held_treatments(session)


def _import_patient_view() -> None:
    try:
        import irae_desktop.ui.patient.view  # noqa: F401
    except Exception:  # the first open imports it again and reports the error there
        log.exception("the patient view could not be loaded ahead of time")


def preload_patient_view() -> None:
    """Imports the patient view (pyqtgraph, numpy: most of a second) on a worker thread once the
    worklist shows, so the first patient opened does not freeze the window for it. The GUI
    thread keeps running meanwhile; a patient opened before it is done waits for the import,
    as it would have anyway. Importing creates no widgets, which must stay on the GUI thread."""
    if "irae_desktop.ui.patient.view" in sys.modules:
        return
    threading.Thread(target=_import_patient_view, name="irae-preload-patient-view").start()


def criteria_label(db: Database) -> tuple[str, str]:
    """The team's criteria set and default unit system ("US" or "SI") for the status bar."""
    from irae_desktop.store.settings import get_settings
    from irae_desktop.ui.settings_dialog import CRITERIA_LABELS

    try:
        with db.read() as session:
            current = get_settings(session)
    except Exception:
        log.warning("settings not readable")
        return "unknown", ""
    return CRITERIA_LABELS.get(current.criteria_set, current.criteria_set), current.units_system


class CriteriaStatus(QLabel):
    """The status bar's "Criteria: CTCAE v5.0, SI units": the team's criteria, and the units on
    display (the patient view's toggle once a patient is open, else the team default)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._criteria, self._team_units, self._view_units = "\u2026", "", ""
        self._render()

    def show_settings(self, criteria: str, team_units: str) -> None:
        self._criteria, self._team_units = criteria, team_units
        self._render()

    def show_units(self, system: str) -> None:
        self._view_units = system
        self._render()

    def _render(self) -> None:
        shown = self._view_units or self._team_units
        self.setText(f"Criteria: {self._criteria}" + (f", {shown} units" if shown else ""))


def about_text() -> str:
    from irae_desktop import __version__

    return (
        f"irae-desktop {__version__}\n\nWorkstation for immunotherapy toxicity consult teams: "
        "CTCAE-graded liver and glucose labs, alerts, trends and handoff PDFs.\n\n"
        "Free software under the GPL, version 3 or later."
    )


def show_about(parent: QWidget) -> QMessageBox:
    """The About box, opened window-modal (not blocking the event loop)."""
    box = QMessageBox(
        QMessageBox.Icon.Information,
        "About irae-desktop",
        about_text(),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.open()
    return box
