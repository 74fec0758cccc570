"""The labs table model, tested without a view: order, grade colour and text, units, filter."""

from __future__ import annotations

from PySide6.QtCore import Qt

from irae_desktop.ui.grade_style import GRADE_COLORS
from irae_desktop.ui.patient.lab_model import (
    COL_GRADE,
    COL_SOURCE,
    COL_UNIT,
    COL_VALUE,
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
    model.set_units("SI")  # 0.1 mg/dL = 1.71 umol/L
    assert model.data(model.index(row, COL_VALUE)) == "<1.71"


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
