"""A result held for review (clinical reference, decision 11) is marked on the Labs tab and
confirmed there through the view's write path, audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from irae_desktop.store.labs import add_manual_lab
from irae_desktop.store.models import AuditEvent, LabResult
from irae_desktop.ui.patient.lab_model import COL_GRADE, COL_STATUS


def test_labs_tab_marks_a_held_result_and_confirms_it(qtbot, view, patient_db) -> None:  # type: ignore[no-untyped-def]
    db, pid = patient_db
    with db.write() as s:
        held = add_manual_lab(
            s,
            "alice",
            pid,
            "GLUCOSE",
            datetime.now(UTC) - timedelta(hours=1),
            "3279",
            "mg/dL",
            70,
            99,
        )
        held_id = held.id
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.show_patient(pid)
    tab = view.labs
    assert not tab.confirm_button.isEnabled()
    tab.select_lab(held_id)
    assert tab.confirm_button.isEnabled()
    lab = tab.selected_lab()
    assert lab is not None
    row = next(r for r in range(tab.model.rowCount()) if tab.model.lab_at(r).id == held_id)
    assert tab.model.index(row, COL_STATUS).data() == "needs review"
    assert tab.model.index(row, COL_GRADE).data() == "\u2013 needs review"
    assert any("Needs review: GLUCOSE 3279 mg/dL" in a.title for a in view.snapshot.alerts)
    dialog = tab.confirm_selected()
    assert dialog is not None
    dialog.accept()  # no reason: refused, nothing written
    with db.read() as s:
        assert s.get(LabResult, held_id).status == "needs_review"
    dialog.reason_edit.setText("repeated by the laboratory")
    with qtbot.waitSignal(view.data_changed, timeout=10_000):
        dialog.accept()
    with db.read() as s:
        stored = s.get(LabResult, held_id)
        assert (stored.status, stored.grade) == ("final", 4)
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "confirm")).one()
    assert event.reason == "repeated by the laboratory" and event.patient_id == pid
