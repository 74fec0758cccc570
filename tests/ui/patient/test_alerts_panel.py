"""Acknowledging an alert from the panel: note kept, audited, and the alert dimmed/hidden after."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from irae_desktop.store.models import AlertAcknowledgement, AuditEvent
from irae_desktop.ui.patient.alerts_panel import KEY_ROLE
from irae_desktop.ui.patient.snapshot import AlertInfo

ALERT = AlertInfo(
    key="hys_law:1:2",
    kind="hys_law",
    severity="critical",
    title="Hy's law pattern",
    rule="ALT >=3 xULN and bilirubin >2 xULN within 14 days",
    source="FDA DILI guidance 2009",
    evidence_at=datetime(2026, 1, 2, tzinfo=UTC),
    organ="liver",
)


def test_acknowledge_with_note_is_audited(qtbot, view, patient_db) -> None:  # type: ignore[no-untyped-def]
    db, pid = patient_db
    panel = view.alerts
    panel.set_alerts(pid, (ALERT,), None)
    assert panel.tree.topLevelItemCount() == 1
    item = panel.tree.topLevelItem(0)
    assert "CRITICAL" in item.text(0) and "FDA DILI" in item.toolTip(1)
    assert any("Rule:" in item.child(i).text(1) for i in range(item.childCount()))
    panel.select_alert(ALERT.key)
    dialog = panel.acknowledge_selected()
    assert dialog is not None
    dialog.reason_edit.setText("discussed with hepatology")
    with qtbot.waitSignal(view.data_changed, timeout=10000):
        dialog.accept()
    with db.read() as s:
        ack = s.scalars(select(AlertAcknowledgement)).one()
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "acknowledge")).one()
    assert ack.alert_key == ALERT.key and ack.note == "discussed with hepatology"
    assert event.patient_id == pid and "discussed with hepatology" in (event.after_json or "")


def test_acknowledged_alerts_hidden_until_toggled(qtbot, view, patient_db) -> None:  # type: ignore[no-untyped-def]
    _, pid = patient_db
    panel = view.alerts
    acked = AlertInfo(
        **{
            **{f: getattr(ALERT, f) for f in ALERT.__dataclass_fields__},
            "key": "other",
            "acknowledged_by": "dr.x",
        }
    )
    panel.set_alerts(pid, (ALERT, acked), None)
    assert panel.tree.topLevelItemCount() == 1
    panel.show_acknowledged.setChecked(True)
    assert panel.tree.topLevelItemCount() == 2
    panel.select_alert("other")
    assert not panel.ack_button.isEnabled()


def test_a_month_old_escalation_is_shown_muted_as_unacknowledged(qtbot, view) -> None:  # type: ignore[no-untyped-def]
    """The test patient reached grade 4 (ALT 892 U/L, ULN 40) 30 days ago and is at grade 1
    now: the new-maximum event is still open but no longer current."""
    panel = view.alerts
    rows = {
        panel.tree.topLevelItem(i).text(1): panel.tree.topLevelItem(i)
        for i in range(panel.tree.topLevelItemCount())
    }
    item = rows["Liver: new maximum grade 4"]
    assert item.text(2) == "unacknowledged"
    assert item.font(1).italic() and not item.font(1).bold()
    assert "no longer counted" in item.toolTip(1)
    # the one current alert is a condition: prednisone 70 then 35 mg/day for 34 days with no
    # Pneumocystis prophylaxis (clinical reference, section 10)
    assert panel.title.text().startswith("<b>Alerts</b> (1 current, 1 unacknowledged")
    assert "Pneumocystis prophylaxis to consider" in rows
    # still an event nobody has seen: it can be acknowledged
    panel.select_alert(item.data(0, KEY_ROLE))
    assert panel.ack_button.isEnabled()


def test_a_condition_is_current_and_cannot_be_acknowledged(qtbot, view, patient_db) -> None:  # type: ignore[no-untyped-def]
    _, pid = patient_db
    panel = view.alerts
    overdue = AlertInfo(
        key="labs_overdue:liver:9",
        kind="labs_overdue",
        severity="warning",
        title="Liver labs overdue",
        rule="current grade 1 (ALT) calls for labs every 7 days",
        source="ASCO 2021",
        evidence_at=datetime(2026, 1, 2, tzinfo=UTC),
        organ="liver",
        lifecycle="condition",
        standing="current",
        raised_at=datetime(2026, 1, 9, tzinfo=UTC),
    )
    old_event = AlertInfo(
        **{
            **{f: getattr(ALERT, f) for f in ALERT.__dataclass_fields__},
            "standing": "unacknowledged",
        }
    )
    panel.set_alerts(pid, (overdue, old_event), None)
    first = panel.tree.topLevelItem(0)
    assert (first.text(1), first.text(2)) == ("Liver labs overdue", "holds now")
    assert first.font(1).bold() and "clears by itself" in first.toolTip(1)
    panel.select_alert(overdue.key)
    assert not panel.ack_button.isEnabled()
    assert "clears by itself" in panel.ack_button.toolTip()
    assert panel.acknowledge_selected() is None
    assert panel.title.text() == "<b>Alerts</b> (1 current, 1 unacknowledged)"
    assert panel.message.text() == "1 current alert(s). 1 older event(s) not acknowledged."


def test_alert_texts_follow_the_units_on_display(qtbot, view, patient_db) -> None:  # type: ignore[no-untyped-def]
    # stored as the rule wrote it, in canonical units; 418 / 18.016 = 23.2, 250 / 18.016 = 13.9
    alert = AlertInfo(
        key="ici_diabetes_check:1",
        kind="ici_diabetes_check",
        severity="warning",
        title="Hyperglycemia on immunotherapy: glucose 418 mg/dL",
        rule="glucose 418 mg/dL on 2026-01-02 (above 250 mg/dL) on immunotherapy",
        source="ASCO 2021",
        evidence_at=datetime(2026, 1, 2, tzinfo=UTC),
        organ="glucose",
    )
    _db, pid = patient_db
    view.set_units("US")
    view.alerts.set_alerts(pid, (alert,), None)
    item = view.alerts.tree.topLevelItem(0)
    assert item.text(1) == "Hyperglycemia on immunotherapy: glucose 418 mg/dL"
    view.set_units("SI")
    item = view.alerts.tree.topLevelItem(0)
    assert item.text(1) == "Hyperglycemia on immunotherapy: glucose 23.2 mmol/L"
    rule = next(item.child(i).text(1) for i in range(item.childCount()))
    assert rule == "Rule: glucose 23.2 mmol/L on 2026-01-02 (above 13.9 mmol/L) on immunotherapy"
    assert "23.2 mmol/L" in item.toolTip(1) and "mg/dL" not in item.toolTip(1)


def test_the_raised_column_stays_in_sight_on_a_narrow_panel(qtbot, view) -> None:  # type: ignore[no-untyped-def]
    # at 1366x768 the list is about 650 pixels wide: the title gives way, the time stays
    panel = view.alerts
    panel.tree.resize(650, 200)
    header = panel.tree.header()
    raised_right = header.sectionViewportPosition(3) + header.sectionSize(3)
    assert header.sectionSize(3) >= 120
    assert raised_right <= panel.tree.viewport().width()
