"""The infection screening results on the Treatments tab, used as a clinician would: none
recorded, add one (every field but the note required, no date in the future), correct it with
a reason, delete it with a reason; each write audited, and a result that calls for attention
marked beside its word."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtGui import QFont
from sqlalchemy import select

from irae_desktop.store.models import AuditEvent, ScreeningResult
from irae_desktop.store.screenings import add_screening
from irae_desktop.ui.grade_style import SEVERITY_COLORS
from irae_desktop.ui.patient.screening_form import ScreeningDialog
from irae_desktop.ui.patient.screening_panel import NONE_RECORDED


def _rows(panel) -> list[list[str]]:  # type: ignore[no-untyped-def]
    tree = panel.tree
    return [
        [tree.topLevelItem(i).text(c) for c in range(4)] for i in range(tree.topLevelItemCount())
    ]


def _fill(dialog: ScreeningDialog, test: str, day: str, result: str, note: str = "") -> None:
    dialog.test.setCurrentIndex(dialog.test.findData(test))
    dialog.taken_on.setText(day)
    dialog.result.setCurrentIndex(dialog.result.findData(result))
    dialog.note.setText(note)


def test_add_correct_and_delete_a_result(qtbot, view, patient_db) -> None:  # type: ignore[no-untyped-def]
    db, pid = patient_db
    panel = view.treatments.screening
    view.tabs.setCurrentWidget(view.treatments)
    assert not panel.empty_label.isHidden() and panel.empty_label.text() == NONE_RECORDED
    assert panel.tree.isHidden()
    assert [b.isEnabled() for b in panel.buttons.values()] == [True, False, False]

    dialog = panel.add_result()
    assert isinstance(dialog, ScreeningDialog)
    _fill(dialog, "hbsag", "2024-03-04", "negative", "before infliximab")
    with qtbot.waitSignal(view.loaded, timeout=10000):
        dialog.accept()
    assert _rows(panel) == [["HBsAg", "2024-03-04", "negative", "before infliximab"]]
    assert panel.empty_label.isHidden()

    panel.tree.setCurrentItem(panel.tree.topLevelItem(0))
    correction = panel.correct_result()
    assert correction.taken_on.text() == "2024-03-04"
    correction.result.setCurrentIndex(correction.result.findData("positive"))
    correction.accept()  # no reason: refused, the form stays open
    assert correction.isVisible()
    assert correction.error_label.text() == (
        "Please give the reason for the correction: it is kept in the audit trail."
    )
    correction.reason.setText("the laboratory amended its report")
    with qtbot.waitSignal(view.loaded, timeout=10000):
        correction.accept()
    assert _rows(panel) == [["HBsAg", "2024-03-04", "positive", "before infliximab"]]

    panel.tree.setCurrentItem(panel.tree.topLevelItem(0))
    deletion = panel.delete_result()
    assert deletion.windowTitle() == "Delete HBsAg of 2024-03-04 (positive)"
    deletion.accept()
    assert deletion.error_label.text() == "Please give a reason: it is kept in the audit trail."
    deletion.reason_edit.setText("sample of another patient")
    with qtbot.waitSignal(view.loaded, timeout=10000):
        deletion.accept()
    assert _rows(panel) == [] and not panel.empty_label.isHidden()

    with db.read() as s:
        events = s.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity == "screening_result")
            .order_by(AuditEvent.id)
        ).all()
    assert [(e.action, e.patient_id, e.reason) for e in events] == [
        ("create", pid, None),
        ("correct", pid, "the laboratory amended its report"),
        ("delete", pid, "sample of another patient"),
    ]


def test_the_form_refuses_what_is_missing_or_in_the_future(view, patient_db) -> None:  # type: ignore[no-untyped-def]
    db, _ = patient_db
    dialog = view.treatments.screening.add_result()
    tomorrow = date.today() + timedelta(days=1)
    steps = [
        (lambda: None, "Choose the test."),
        (lambda: dialog.test.setCurrentIndex(dialog.test.findData("tb_igra")),
         "Enter the date the test was taken."),
        (lambda: dialog.taken_on.setText("2024-02-30"), None),
        (lambda: dialog.taken_on.setText(tomorrow.isoformat()),
         f"The date {tomorrow.isoformat()} is in the future: enter the day the test was taken."),
        (lambda: dialog.taken_on.setText("2024-02-28"), "Choose the result."),
    ]  # fmt: skip
    for act, message in steps:
        act()
        dialog.accept()
        assert dialog.isVisible()
        if message is None:  # an unreadable date says how to write one
            assert "'2024-02-30' is not a date: type it as 1958-04-17 or" in (
                dialog.error_label.text()
            )
        else:
            assert dialog.error_label.text() == message
    with db.read() as s:
        assert s.scalars(select(ScreeningResult)).all() == []


def test_newest_first_and_what_calls_for_attention_stands_out(qtbot, patient_db) -> None:  # type: ignore[no-untyped-def]
    from irae_desktop.ui.patient.view import PatientView

    db, pid = patient_db
    with db.write() as s:
        for test, day, result in (
            ("anti_hbs", date(2024, 1, 3), "positive"),
            ("hbsag", date(2024, 1, 3), "positive"),
            ("tb_skin", date(2024, 1, 9), "indeterminate"),
            ("anti_hbc", date(2023, 12, 1), "negative"),
        ):
            add_screening(s, "dr-a", pid, test=test, taken_on=day, result=result)
    view = PatientView(db)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    with qtbot.waitSignal(view.loaded, timeout=20000):
        view.show_patient(pid)
    panel = view.treatments.screening
    assert _rows(panel) == [
        ["TB skin test", "2024-01-09", "indeterminate", ""],
        ["HBsAg", "2024-01-03", "positive", ""],
        ["anti-HBs", "2024-01-03", "positive", ""],
        ["anti-HBc", "2023-12-01", "negative", ""],
    ]
    marked = []
    for i in range(panel.tree.topLevelItemCount()):
        item = panel.tree.topLevelItem(i)
        bold = QFont(item.font(2)).bold()
        marked.append((item.text(0), bold, item.foreground(2).color().name().upper()))
    default = panel.tree.topLevelItem(3).foreground(2).color().name().upper()
    # anti-HBs is a mark of immunity: a positive one is not marked
    assert marked == [
        ("TB skin test", True, SEVERITY_COLORS["warning"]),
        ("HBsAg", True, SEVERITY_COLORS["critical"]),
        ("anti-HBs", False, default),
        ("anti-HBc", False, default),
    ]
    tip = panel.tree.topLevelItem(1).toolTip(3)
    assert tip == "HBsAg 2024-01-03: positive\nSource: entered by dr-a"
