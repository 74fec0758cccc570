"""Adding a treatment line: no drug chosen for the user, and a repeated agent is said aloud."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from irae_desktop.store.models import TreatmentLine
from irae_desktop.ui.patient.same_agent import CANCEL, KEEP_BOTH, STOP_OLD, same_agent_box


def _lines(db, agent: str) -> list[tuple[date, date | None, str | None]]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        rows = s.scalars(
            select(TreatmentLine).where(TreatmentLine.agent == agent).order_by(TreatmentLine.id)
        )
        return [(r.start_date, r.stop_date, r.reason_stopped) for r in rows]


def _fill(dialog, agent: str, dose: str, start: date) -> None:  # type: ignore[no-untyped-def]
    dialog.category.setCurrentText("Immunosuppression")
    dialog.agent.setCurrentText(agent)
    dialog.dose.setText(dose)
    dialog.dose_unit.setCurrentText("mg")
    dialog.start.setDate(QDate(start.year, start.month, start.day))


def test_add_line_starts_with_no_agent_and_refuses_to_save_without_one(view, patient_db) -> None:  # type: ignore[no-untyped-def]
    db, _ = patient_db
    dialog = view.treatments.add_line()
    assert dialog.category.currentText() == "Checkpoint inhibitor"
    assert dialog.agent.currentText() == ""
    assert dialog.agent.currentIndex() == -1
    dialog.category.setCurrentText("Immunosuppression")
    assert dialog.agent.currentText() == ""  # a new category chooses no drug either
    dialog.dose.setText("40")
    dialog.accept()
    assert dialog.isVisible()
    assert dialog.error_label.text() == "Choose or type the agent."
    with db.read() as s:
        assert len(s.scalars(select(TreatmentLine)).all()) == 2


def test_fields_are_reached_by_tab_in_form_order(qtbot, view) -> None:  # type: ignore[no-untyped-def]
    dialog = view.treatments.add_line()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    expected = [
        dialog.category,
        dialog.agent,
        dialog.dose,
        dialog.dose_unit,
        dialog.frequency,
        dialog.route,
        dialog.start,
        dialog.indication,
    ]
    assert dialog.fields() == expected
    ok, cancel = dialog.buttons.buttons()
    assert _field_of(QApplication.focusWidget(), [*expected, ok, cancel]) is dialog.category
    reached = [dialog.category]
    for _ in range(len(expected) + 4):  # the date takes a Tab per part (year, month, day)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        field = _field_of(QApplication.focusWidget(), [*expected, ok, cancel])
        if field is not reached[-1]:
            reached.append(field)
    assert reached[: len(expected)] == expected
    assert reached[len(expected)] in (ok, cancel)


def _field_of(widget, fields):  # type: ignore[no-untyped-def]
    """The form field `widget` belongs to (an editable combo's line edit is the combo)."""
    while widget is not None and widget not in fields:
        widget = widget.parentWidget()
    return widget


def test_second_line_of_the_same_agent_warns_naming_the_existing_line(view) -> None:  # type: ignore[no-untyped-def]
    existing = next(t for t in view.snapshot.treatments if t.agent == "prednisone")
    start = date.today()
    box = same_agent_box(view, existing, start, date.today())
    started = (date.today() - timedelta(days=33)).isoformat()
    assert "prednisone started " + started + ", now 35 mg once daily (on)" in box.text()
    names = {b.objectName(): b.text() for b in box.buttons()}
    assert names[STOP_OLD] == f"&Stop the old line on {start.isoformat()}"
    assert names[KEEP_BOTH] == "&Keep both"
    assert CANCEL in names


def test_stopping_the_old_line_at_the_new_start(qtbot, view, patient_db) -> None:  # type: ignore[no-untyped-def]
    db, _ = patient_db
    asked = []
    view.treatments.ask_same_agent = lambda _p, line, start, _t: (
        asked.append((line.agent, start)) or STOP_OLD
    )
    dialog = view.treatments.add_line()
    start = date.today() - timedelta(days=2)
    _fill(dialog, "prednisone", "20", start)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        dialog.accept()
    assert asked == [("prednisone", start)]
    assert dialog.result() == dialog.DialogCode.Accepted
    old_start = date.today() - timedelta(days=33)
    reason = f"replaced by a new prednisone line from {start.isoformat()}"
    assert _lines(db, "prednisone") == [(old_start, start, reason), (start, None, None)]
    statuses = [
        t.status_on(date.today()) for t in view.snapshot.treatments if t.agent == "prednisone"
    ]
    assert statuses == ["stopped", "on"]


def test_keeping_both_lines(qtbot, view, patient_db) -> None:  # type: ignore[no-untyped-def]
    db, _ = patient_db
    view.treatments.ask_same_agent = lambda *_a: KEEP_BOTH
    dialog = view.treatments.add_line()
    start = date.today() - timedelta(days=1)
    _fill(dialog, "Prednisone", "5", start)
    with qtbot.waitSignal(view.loaded, timeout=10000):
        dialog.accept()
    assert _lines(db, "prednisone")[0][1] is None  # the old line goes on
    assert _lines(db, "Prednisone") == [(start, None, None)]


def test_cancelling_the_warning_saves_nothing_and_keeps_the_form(qtbot, view, patient_db) -> None:  # type: ignore[no-untyped-def]
    db, _ = patient_db
    dialog = view.treatments.add_line()
    _fill(dialog, "prednisone", "20", date.today())

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        assert "prednisone" in box.text()
        next(b for b in box.buttons() if b.objectName() == CANCEL).click()

    QTimer.singleShot(0, answer)
    dialog.accept()
    assert dialog.isVisible()
    assert "Not saved" in dialog.error_label.text()
    assert len(_lines(db, "prednisone")) == 1


def test_a_different_agent_is_not_questioned(qtbot, view, patient_db) -> None:  # type: ignore[no-untyped-def]
    db, _ = patient_db
    view.treatments.ask_same_agent = lambda *_a: (_ for _ in ()).throw(AssertionError("asked"))
    dialog = view.treatments.add_line()
    _fill(dialog, "mycophenolate mofetil", "1000", date.today())
    with qtbot.waitSignal(view.loaded, timeout=10000):
        dialog.accept()
    assert len(_lines(db, "mycophenolate mofetil")) == 1


@pytest.mark.parametrize(
    ("open_form", "names"),
    [
        (lambda v: v.notes.add_note(), ["text", "plan"]),
        (
            lambda v: v.notes.add_episode(),
            ["organ", "onset", "grade", "status", "resolution", "notes"],
        ),
        (lambda v: _selected(v).taper_line(), ["start", "dose", "unit"]),
        (lambda v: _selected(v).hold_line(), ["date_edit", "reason_edit"]),
    ],
)
def test_every_form_is_walked_by_tab_from_top_to_ok(qtbot, view, open_form, names) -> None:  # type: ignore[no-untyped-def]
    dialog = open_form(view)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    expected = [getattr(dialog, n) for n in names]
    ok, cancel = dialog.buttons.buttons()
    known = [*expected, ok, cancel]
    reached = [_field_of(QApplication.focusWidget(), known)]
    for _ in range(len(expected) + 4):  # a date takes a Tab per part (year, month, day)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        field = _field_of(QApplication.focusWidget(), known)
        if field is not reached[-1]:
            reached.append(field)
    assert reached[: len(expected)] == expected
    assert reached[len(expected)] in (ok, cancel)
    dialog.close()


def _selected(view):  # type: ignore[no-untyped-def]
    """The Treatments tab with the prednisone line selected."""
    tab = view.treatments
    line = next(t for t in view.snapshot.treatments if t.agent == "prednisone")
    tab.select_line(line.id)
    return tab
