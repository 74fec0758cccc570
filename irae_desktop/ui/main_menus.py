"""The main window's menus and toolbar, built from the actions the window made."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from irae_desktop.ui.main_window import MainWindow


def build_menus(window: MainWindow) -> None:
    """File, Patient, View and Help menus, and the toolbar of the most used actions."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    for act in (
        window.act_new_patient,
        window.act_import,
        window.act_held,
        None,
        window.act_print,
        window.act_save_pdf,
        window.act_service_list,
        None,
        window.act_backup,
        window.act_settings,
        None,
        window.act_quit,
    ):
        file_menu.addSeparator() if act is None else file_menu.addAction(act)
    patient_menu = bar.addMenu("&Patient")
    for act in (window.act_edit_patient, window.act_add_lab, *window.act_add_records):
        patient_menu.addAction(act)
    view_menu = bar.addMenu("&View")
    view_acts = (window.act_find, window.act_refresh, window.act_back, None, window.act_audit)
    for act in (*view_acts, window.act_outcomes):
        view_menu.addSeparator() if act is None else view_menu.addAction(act)
    bar.addMenu("&Help").addAction(window.act_about)
    tools = window.addToolBar("Main")
    tools.setObjectName("mainToolbar")
    tools.setMovable(False)
    tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    for act in (
        window.act_new_patient,
        window.act_import,
        window.act_held,
        window.act_refresh,
        None,
        window.act_service_list,
        window.act_audit,
    ):
        tools.addSeparator() if act is None else tools.addAction(act)
