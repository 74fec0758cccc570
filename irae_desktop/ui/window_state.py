"""What the main window remembers between sessions: geometry, splitter, columns, sort, patient."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QSplitter

from irae_desktop.ui.worklist_view import WorklistPanel

LAST_PATIENT = "worklist/last_patient"


def last_patient(settings: QSettings) -> int | None:
    value = settings.value(LAST_PATIENT)
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


# the size a first start opens at, where the screen has room for it
FIRST_SIZE = (1400, 850)


def fit_first_size(window: QMainWindow) -> None:
    """The built-in size, shrunk to the screen's free area: a 1366x768 laptop, common on wards,
    must see the whole window, its right-hand buttons and status bar included."""
    width, height = FIRST_SIZE
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        free = screen.availableGeometry()
        # a frame and title bar the window manager adds are not in the size given here
        width = min(width, free.width() - 16)
        height = min(height, free.height() - 48)
    window.resize(max(width, 640), max(height, 480))


def restore(
    settings: QSettings, window: QMainWindow, splitter: QSplitter, worklist: WorklistPanel
) -> None:
    """Applies what was saved; anything missing or damaged keeps the built-in layout."""
    geometry = settings.value("window/geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    state = settings.value("window/splitter")
    if isinstance(state, QByteArray):
        splitter.restoreState(state)
    sort_col = settings.value("worklist/sort_column")
    sort_order = settings.value("worklist/sort_order")
    if sort_col is not None and sort_order is not None:
        with contextlib.suppress(TypeError, ValueError):
            worklist.table.sortByColumn(int(sort_col), Qt.SortOrder(int(sort_order)))
    widths = settings.value("worklist/column_widths")
    if isinstance(widths, list):
        with contextlib.suppress(TypeError, ValueError):
            worklist.set_column_widths([int(w) for w in widths])


def save(
    settings: QSettings,
    window: QMainWindow,
    splitter: QSplitter,
    worklist: WorklistPanel,
    patient_id: int | None,
) -> None:
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/splitter", splitter.saveState())
    settings.setValue("worklist/column_widths", worklist.column_widths())
    header = worklist.table.horizontalHeader()
    settings.setValue("worklist/sort_column", header.sortIndicatorSection())
    settings.setValue("worklist/sort_order", header.sortIndicatorOrder().value)
    if patient_id is not None:
        settings.setValue(LAST_PATIENT, patient_id)
    settings.sync()
