"""What the main window reads or loads beside its widgets: the held-results count, the criteria
label of the status bar, the About text, and the patient view's modules ahead of the first open."""

from __future__ import annotations

import logging
import sys
import threading

from irae_desktop.store.database import Database

log = logging.getLogger(__name__)


def count_held(db: Database) -> int:
    from irae_desktop.store.unmatched import count_unmatched

    with db.read() as session:
        return count_unmatched(session)


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


def about_text() -> str:
    from irae_desktop import __version__

    return (
        f"irae-desktop {__version__}\n\nWorkstation for immunotherapy toxicity consult teams: "
        "CTCAE-graded liver and glucose labs, alerts, trends and handoff PDFs.\n\n"
        "Free software under the GPL, version 3 or later."
    )
