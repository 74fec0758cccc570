"""The labs table model, tested without a view: order, grade colour and text, units, filter."""

from __future__ import annotations

from PySide6.QtCore import Qt

from irae_desktop.ui.grade_style import GRADE_COLORS
from irae_desktop.ui.patient.lab_model import (
    COL_GRADE,
    COL_SOURCE,
    COL_UNIT,
    COL_VALUE,
    LAB_ROLE,
    LabFilterProxy,
    LabTableModel,
)
from irae_desktop.ui.patient.snapshot import load_snapshot


def _model(patient_db):  # type: ignore[no-untyped-def]
    db, pid = patient_db
    snap = load_snapshot(db, pid)
    model = LabTableModel()
    model.set_labs(snap.labs)
    return model, snap


def test_rows_newest_first_with_grade_colour_and_text(qtbot, patient_db) -> None:  # type: ignore[no-untyped-def]
    model, snap = _model(patient_db)
    assert model.rowCount() == len(snap.labs) == 27
    first, last = model.lab_at(0), model.lab_at(model.rowCount() - 1)
    assert first.collected_at >= last.collected_at
    # find the 892 U/L ALT: grade 4 in the fixture
    row = next(r for r in range(model.rowCount()) if model.lab_at(r).value == 892.0)
    index = model.index(row, COL_GRADE)
    assert model.data(index) == "G4"
    assert (
        model.data(index, Qt.ItemDataRole.BackgroundRole).name().lower() == GRADE_COLORS[4].lower()
    )
    assert "lab.csv" in model.data(model.index(row, COL_SOURCE))


def test_censored_value_keeps_comparator(qtbot, patient_db) -> None:  # type: ignore[no-untyped-def]
    model, _ = _model(patient_db)
    row = next(r for r in range(model.rowCount()) if model.lab_at(r).analyte == "TBILI")
    assert model.data(model.index(row, COL_VALUE)) == "<0.1"
    model.set_units("SI")  # 0.1 mg/dL = 1.71 umol/L, a "<" limit rounded up to stay true
    assert model.data(model.index(row, COL_VALUE)) == "<2"


def test_units_switch_changes_glucose_text_and_signals(qtbot, patient_db) -> None:  # type: ignore[no-untyped-def]
    model, _ = _model(patient_db)
    row = next(r for r in range(model.rowCount()) if model.lab_at(r).analyte == "GLUCOSE")
    lab = model.lab_at(row)
    assert model.data(model.index(row, COL_UNIT)) == "mg/dL"
    with qtbot.waitSignal(model.dataChanged, timeout=1000):
        model.set_units("SI")
    assert model.data(model.index(row, COL_UNIT)) == "mmol/L"
    shown = float(model.data(model.index(row, COL_VALUE)))
    assert abs(shown - lab.value / 18.016) < 0.01


def test_filter_by_analyte(qtbot, patient_db) -> None:  # type: ignore[no-untyped-def]
    model, _ = _model(patient_db)
    proxy = LabFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_analyte("ALT")
    assert proxy.rowCount() == 13
    proxy.set_analyte(None)
    assert proxy.rowCount() == 27


def test_filter_matches_the_whole_code(qtbot, patient_db) -> None:  # type: ignore[no-untyped-def]
    model, snap = _model(patient_db)
    proxy = LabFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_analyte("GLUC")  # a prefix of GLUCOSE is another analyte, not a match
    assert proxy.rowCount() == 0
    proxy.set_analyte("GLUCOSE")
    assert proxy.rowCount() == sum(lab.analyte == "GLUCOSE" for lab in snap.labs) == 13
    model.sort(COL_VALUE, Qt.SortOrder.AscendingOrder)  # the filter holds through a re-sort
    assert proxy.rowCount() == 13
    values = [proxy.data(proxy.index(r, COL_VALUE), LAB_ROLE).value for r in range(13)]
    assert values == sorted(values)


def test_display_text_follows_the_unit_switch(qtbot, patient_db) -> None:  # type: ignore[no-untyped-def]
    model, _ = _model(patient_db)
    row = next(r for r in range(model.rowCount()) if model.lab_at(r).analyte == "GLUCOSE")
    index = model.index(row, COL_VALUE)
    us = model.data(index)
    model.set_units("SI")
    assert model.data(index) != us  # the cached text of the other system is not served
    model.set_units("US")
    assert model.data(index) == us


def test_cached_cell_sizes_equal_qt_own(qtbot, patient_db) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

    from irae_desktop.ui.patient.labs_tab import LabsTab

    db, pid = patient_db
    tab = LabsTab(lambda _action: None)
    qtbot.addWidget(tab)
    tab.set_labs(load_snapshot(db, pid).labs)
    plain, cached = QStyledItemDelegate(), tab.table.itemDelegate()
    option = QStyleOptionViewItem()
    option.initFrom(tab.table)
    for row in range(tab.proxy.rowCount()):
        for column in range(tab.proxy.columnCount()):
            index = tab.proxy.index(row, column)
            assert cached.sizeHint(option, index) == plain.sizeHint(option, index)
            assert cached.sizeHint(option, index) == plain.sizeHint(option, index)  # from cache


def test_hidden_labs_table_does_not_size_its_columns(qtbot, patient_db) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QHeaderView

    from irae_desktop.ui.patient.labs_tab import LabsTab

    tab = LabsTab(lambda _action: None)
    qtbot.addWidget(tab)
    header = tab.table.horizontalHeader()
    assert header.sectionResizeMode(COL_VALUE) == QHeaderView.ResizeMode.Interactive
    tab.show()
    assert header.sectionResizeMode(COL_VALUE) == QHeaderView.ResizeMode.ResizeToContents
    assert header.sectionResizeMode(COL_SOURCE) == QHeaderView.ResizeMode.Interactive
    tab.hide()
    assert header.sectionResizeMode(COL_VALUE) == QHeaderView.ResizeMode.Interactive


def test_censored_range_and_non_fasting_show_what_is_known(qtbot, patient_db) -> None:  # type: ignore[no-untyped-def]
    # clinical reference, decisions 6 and 9: never a bare G0 the value does not have
    from datetime import UTC, datetime

    from irae_desktop.store import labs

    db, pid = patient_db
    at = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    with db.write() as s:
        labs.add_manual_lab(s, "alice", pid, "ALT", at, "<100", "U/L", None, 40)
        labs.add_manual_lab(s, "alice", pid, "GLUCOSE", at, "241", "mg/dL", 70, 140)
        labs.add_manual_lab(
            s, "alice", pid, "GLUCOSE", at.replace(hour=9), ">600", "mg/dL", 70, 140
        )
    model, _ = _model(patient_db)
    shown = {
        (model.lab_at(r).analyte, model.lab_at(r).comparator, model.lab_at(r).value): model.data(
            model.index(r, COL_GRADE)
        )
        for r in range(model.rowCount())
        if model.lab_at(r).collected_at.date() == at.date()
    }
    assert shown[("ALT", "<", 100.0)] == "G0\u20131"
    assert shown[("GLUCOSE", "", 241.0)] == "<G3, non-fasting"
    assert shown[("GLUCOSE", ">", 600.0)] == "G4"
