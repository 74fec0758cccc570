"""Patient menu commands that add to the record: a treatment line, an irAE episode, a note.

Each opens the patient (when the worklist is showing), turns to the tab the record lives on and
opens the same form as that tab's Add button, so one save path serves both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from irae_desktop.ui.main_window import MainWindow
    from irae_desktop.ui.patient.view import PatientView

# kind, menu text, shortcut (none of them taken by another command of the window)
RECORD_FORMS: tuple[tuple[str, str, str], ...] = (
    ("treatment", "Add &treatment line\u2026", "Ctrl+T"),
    ("episode", "Add irAE e&pisode\u2026", "Ctrl+Shift+E"),
    ("note", "Add consult &note\u2026", "Ctrl+Shift+N"),
)


def _open_form(view: PatientView, kind: str) -> Any:
    if kind == "treatment":
        view.tabs.setCurrentWidget(view.treatments)
        return view.treatments.add_line()
    view.tabs.setCurrentWidget(view.notes)
    return view.notes.add_episode() if kind == "episode" else view.notes.add_note()


def open_record_form(window: MainWindow, kind: str) -> Any:
    """Opens the form now when the patient is on screen, else once the patient has loaded;
    returns the form when it opened at once."""
    pid = window.current_patient_id()
    if pid is None:
        window.show_message("Select a patient first.")
        return None
    from irae_desktop.ui.main_window import PAGE_PATIENT

    view = window.patient_view
    ready = view.snapshot is not None and view.snapshot.header.id == pid and view.tabs.isEnabled()
    if window.pages.currentIndex() != PAGE_PATIENT or view.current_patient_id != pid:
        window.open_patient(pid)
    if ready:
        return _open_form(view, kind)

    def when_loaded(loaded_id: int) -> None:
        view.loaded.disconnect(when_loaded)
        if loaded_id == pid:
            _open_form(view, kind)

    view.loaded.connect(when_loaded)
    return None


def record_actions(window: MainWindow, make: Callable[..., QAction]) -> list[QAction]:
    """The window's actions for the record forms, made by its own action factory."""
    return [
        make(text, lambda k=kind: open_record_form(window, k), QKeySequence(shortcut))
        for kind, text, shortcut in RECORD_FORMS
    ]
