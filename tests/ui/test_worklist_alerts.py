"""The worklist's alert column, computed from the real alert rules on the demonstration patients."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from irae_desktop.domain.alerts import evaluate_alerts
from irae_desktop.store.database import Database
from irae_desktop.store.demo import add_demo_patients
from irae_desktop.store.labs import acknowledge_alert
from irae_desktop.store.models import Patient
from irae_desktop.store.timeline import load_timeline
from irae_desktop.ui.worklist_alerts import alert_summaries, summarise


def test_summaries_match_the_alert_rules_and_skip_acknowledged(db: Database) -> None:
    add_demo_patients(db)
    now = datetime.now(UTC)
    with db.read() as s:
        ids = {mrn: pid for mrn, pid in s.execute(select(Patient.mrn, Patient.id))}
    hepatitis = ids["DEMO-0001"]
    with db.read() as s:
        expected = evaluate_alerts(load_timeline(s, hepatitis), now)
    assert expected, "the grade 4 hepatitis demonstration patient raises alerts"

    chunks = list(alert_summaries(db, list(ids.values()), now=now))
    merged = {pid: summary for chunk in chunks for pid, summary in chunk.items()}
    assert set(merged) == set(ids.values())
    first = merged[hepatitis]
    assert first.count == len(expected)
    assert first.worst == summarise(expected, set()).worst
    assert len(first.titles) == first.count

    with db.write() as s:
        acknowledge_alert(s, "tester", hepatitis, expected[0].key)
    again = {pid: x for c in alert_summaries(db, [hepatitis], now=now) for pid, x in c.items()}
    assert again[hepatitis].count == len(expected) - 1


def test_summaries_arrive_in_chunks_and_a_removed_patient_is_skipped(
    db: Database, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from irae_desktop.ui import worklist_alerts

    monkeypatch.setattr(worklist_alerts, "CHUNK", 2)
    add_demo_patients(db)
    with db.read() as s:
        real = list(s.scalars(select(Patient.id)))
    chunks = list(alert_summaries(db, [*real, 999_999]))
    assert [len(c) for c in chunks] == [2, 2]
    assert {pid for c in chunks for pid in c} == set(real)
