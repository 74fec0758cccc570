"""The patient view driven like a clinician would: open, add a line, correct a lab, switch units."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from sqlalchemy import select

from irae_desktop.store.models import AuditEvent, LabResult, TreatmentLine
from irae_desktop.ui.patient.treatment_form import TreatmentDialog


def test_open_shows_identity_and_plots(view, patient_db) -> None:  # type: ignore[no-untyped-def]
    header = view.header
    assert "Ada Testcase" in header.name_label.text() and "T-0001" in header.name_label.text()
    assert not header.synthetic_badge.isHidden()
    assert "70 kg" in header.details_label.text() and "Melanoma" in header.details_label.text()
    assert "pembrolizumab" in header.ici_label.text() and "HELD" in header.ici_label.text()
    assert "Taper prednisone to 20 mg." in header.plan_label.text()
    trends = view.trends
    assert set(trends.plots) == {"enzymes", "bilirubin", "glucose"}
    x, y = trends.curves["ALT"].getData()
    assert len(x) == 13
    assert np.isclose(np.nanmax(y), 910 / 40)  # ALT as multiples of ULN by default
    assert "TBILI" in trends.censored_items  # "<0.1" drawn with an open marker
    assert [lane.label.split()[0] for lane in trends.lanes] == ["pembrolizumab", "prednisone"]
    # 70 mg then 35 mg prednisone on 70 kg: 1.0 then 0.5 mg/kg/day
    assert trends.steroid_item is not None
    _, steroid = trends.steroid_item.getData()
    assert set(np.round(steroid, 3)) == {1.0, 0.5}


def test_hover_describes_the_point(view) -> None:  # type: ignore[no-untyped-def]
    trends = view.trends
    x, y = trends.curves["ALT"].getData()
    i = int(np.nanargmax(y))
    text = trends.hover_text("enzymes", float(x[i]), float(y[i]))
    assert text is not None
    assert "ALT" in text and "G4" in text and "rule for 910" in text and "lab.csv" in text


def test_zoom_presets_move_all_plots_together(view) -> None:  # type: ignore[no-untyped-def]
    trends = view.trends
    trends.show_last_days(14)
    lo, hi = trends.x_range()
    assert 14 <= (hi - lo) / 86400 <= 16
    for plot in trends.plots.values():
        plo, phi = plot.viewRange()[0]
        assert abs(plo - lo) < 1 and abs(phi - hi) < 1


def test_add_treatment_line_appears_on_timeline_and_audit(qtbot, view, patient_db) -> None:  # type: ignore[no-untyped-def]
    db, pid = patient_db
    view.tabs.setCurrentWidget(view.treatments)
    dialog = view.treatments.add_line()
    assert isinstance(dialog, TreatmentDialog)
    dialog.category.setCurrentText("Immunosuppression")
    dialog.agent.setCurrentText("methylprednisolone")
    dialog.dose.setText("100")
    dialog.dose_unit.setCurrentText("mg")
    # live figure: 100 mg methylprednisolone = 125 mg prednisone = 1.79 mg/kg/day at 70 kg
    assert "1.79 mg/kg/day" in dialog.equivalent.text()
    start = date.today() - timedelta(days=5)
    from PySide6.QtCore import QDate

    dialog.start.setDate(QDate(start.year, start.month, start.day))
    with qtbot.waitSignal(view.loaded, timeout=10000), qtbot.waitSignal(view.data_changed):
        dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    lanes = [lane for lane in view.trends.lanes if lane.label.startswith("methylprednisolone")]
    assert len(lanes) == 1
    _, steroid = view.trends.steroid_item.getData()
    assert np.isclose(steroid.max(), (35 + 125) / 70)  # prednisone 35 mg plus the new line
    with db.read() as s:
        line = s.scalars(
            select(TreatmentLine).where(TreatmentLine.agent == "methylprednisolone")
        ).one()
        event = s.scalars(
            select(AuditEvent).where(
                AuditEvent.entity == "treatment_line", AuditEvent.entity_id == line.id
            )
        ).one()
    assert event.action == "create" and event.patient_id == pid


def test_bad_dose_is_refused_and_nothing_saved(view, patient_db) -> None:  # type: ignore[no-untyped-def]
    db, _ = patient_db
    dialog = view.treatments.add_line()
    dialog.agent.setCurrentText("atezolizumab")
    dialog.dose.setText("-5")
    dialog.accept()
    assert dialog.isVisible() and "positive" in dialog.error_label.text()
    dialog.dose.setText("abc")
    dialog.accept()
    assert "number" in dialog.error_label.text()
    with db.read() as s:
        assert len(s.scalars(select(TreatmentLine)).all()) == 2


def test_correct_lab_needs_reason_and_is_audited(qtbot, view, patient_db) -> None:  # type: ignore[no-untyped-def]
    db, pid = patient_db
    view.tabs.setCurrentWidget(view.labs)
    with db.read() as s:
        lab = s.scalars(
            select(LabResult).where(LabResult.analyte == "ALT", LabResult.value == 892)
        ).one()
    view.labs.select_lab(lab.id)
    dialog = view.labs.correct_selected()
    assert dialog is not None
    dialog.value_edit.setText("89.2")
    dialog.accept()  # no reason: refused, dialog stays open, nothing written
    assert dialog.isVisible() and "reason" in dialog.error_label.text().lower()
    with db.read() as s:
        assert s.get(LabResult, lab.id).value == 892
    dialog.reason_edit.setText("decimal point lost in transcription")
    with qtbot.waitSignal(view.loaded, timeout=10000):
        dialog.accept()
    with db.read() as s:
        fixed = s.get(LabResult, lab.id)
        event = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "correct", AuditEvent.entity_id == lab.id)
        ).one()
    assert fixed.value == 89.2 and fixed.status == "corrected"
    assert (
        "892" in (event.before_json or "") and event.reason == "decimal point lost in transcription"
    )
    assert event.patient_id == pid
    _x, y = view.trends.curves["ALT"].getData()
    assert np.isclose(np.nanmax(y), 910 / 40) and np.any(np.isclose(y, 89.2 / 40))


def test_units_switch_changes_table_and_plots(qtbot, view) -> None:  # type: ignore[no-untyped-def]
    _, before = view.trends.curves["GLUCOSE"].getData()
    assert "mg/dL" in view.trends.plots["glucose"].getAxis("left").labelText
    view.si_button.click()
    assert view.units_system == "SI"
    _, after = view.trends.curves["GLUCOSE"].getData()
    assert np.allclose(after, before / 18.016, rtol=1e-3)
    assert "mmol/L" in view.trends.plots["glucose"].getAxis("left").labelText
    model = view.labs.model
    row = next(r for r in range(model.rowCount()) if model.lab_at(r).analyte == "GLUCOSE")
    assert model.data(model.index(row, 3)) == "mmol/L"
    view.us_button.click()
    _, back = view.trends.curves["GLUCOSE"].getData()
    assert np.allclose(back, before)


def test_switching_to_a_missing_patient_says_so(qtbot, view) -> None:  # type: ignore[no-untyped-def]
    view.show_patient(999999)
    qtbot.waitUntil(lambda: view.status_label.isVisibleTo(view), timeout=10000)
    assert "no longer exists" in view.status_label.text()
