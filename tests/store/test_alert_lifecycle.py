"""Alert lifecycle through the store (clinical reference, decision 13): an acknowledgement closes
an event, a condition cannot be acknowledged and comes back when it holds again.

ALT with ULN 40 U/L: 900 U/L is grade 4, 60 grade 1, 300 grade 3 (CTCAE v5.0).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from irae_desktop.domain.records import PatientRecord
from irae_desktop.store.alerts import PatientAlert, alerts_by_patient, patient_alerts
from irae_desktop.store.database import Database, open_database
from irae_desktop.store.errors import StoreError
from irae_desktop.store.labs import acknowledge_alert, add_manual_lab
from irae_desktop.store.patients import create_patient
from irae_desktop.store.treatments import add_line


def noon(month: int, day: int) -> datetime:
    # noon UTC: the same calendar day in every zone within 11 hours of UTC
    return datetime(2026, month, day, 12, tzinfo=UTC)


def add_alt(db: Database, pid: int, when: datetime, value: str) -> int:
    with db.write() as s:
        return add_manual_lab(s, "nurse", pid, "ALT", when, value, "U/L", uln=40.0).id


def hepatitis_with_flare(db: Database) -> int:
    """Pembrolizumab from 1 Aug; ALT 25 (baseline), then grades 4 (1 Sep), 1 (4 Sep), 3 (7 Sep)."""
    with db.write() as s:
        pid = create_patient(s, PatientRecord(mrn="FL-1", name="Flare Patient"), user="setup").id
        start = date(2026, 8, 1)
        add_line(s, "setup", pid, category="ici", agent="pembrolizumab", start_date=start)
    add_alt(db, pid, noon(7, 31), "25")
    add_alt(db, pid, noon(9, 1), "900")
    add_alt(db, pid, noon(9, 4), "60")
    add_alt(db, pid, noon(9, 7), "300")
    return pid


def by_kind(alerts: list[PatientAlert], kind: str) -> list[PatientAlert]:
    return [a for a in alerts if a.kind == kind]


@pytest.mark.parametrize("any_db_url", ["sqlite", "postgresql"], indirect=True)
def test_acknowledging_a_flare_closes_it(any_db_url: str) -> None:
    db = open_database(any_db_url)
    try:
        pid = hepatitis_with_flare(db)
        with db.read() as s:
            alerts = patient_alerts(s, pid, noon(9, 7))
        (flare,) = by_kind(alerts, "flare")
        assert (flare.lifecycle, flare.standing, flare.severity) == ("event", "current", "critical")
        assert flare.raised_at == noon(9, 7) and flare.mrn == "FL-1"
        with db.write() as s:
            acknowledge_alert(s, "dr.lee", pid, flare.key, "prednisone back to 1 mg/kg")
        with db.read() as s:
            (after,) = by_kind(patient_alerts(s, pid, noon(9, 8)), "flare")
        assert after.standing == "acknowledged" and not after.is_open
        assert after.acknowledgement is not None
        assert after.acknowledgement.by == "dr.lee"
        assert after.acknowledgement.note == "prednisone back to 1 mg/kg"
        # the grade 4 escalation was not acknowledged: still current on 7 Sep
        with db.read() as s:
            (escalation,) = by_kind(patient_alerts(s, pid, noon(9, 7)), "grade_escalation")
        assert escalation.standing == "current"
    finally:
        db.dispose()


def test_an_unacknowledged_event_goes_muted_after_seven_clinical_days(db: Database) -> None:
    pid = hepatitis_with_flare(db)
    with db.read() as s:
        six_days = by_kind(patient_alerts(s, pid, noon(9, 13)), "flare")
        seven_days = by_kind(patient_alerts(s, pid, noon(9, 14)), "flare")
        many = by_kind(alerts_by_patient(s, [pid], noon(10, 5))[pid], "grade_escalation")
    assert [a.standing for a in six_days] == ["current"]
    assert [a.standing for a in seven_days] == ["unacknowledged"]
    assert seven_days[0].is_open and not seven_days[0].is_current
    assert [a.standing for a in many] == ["unacknowledged"]


def test_a_condition_cannot_be_acknowledged_and_returns_when_it_holds_again(
    db: Database,
) -> None:
    pid = hepatitis_with_flare(db)
    # grade 3 on 7 Sep: labs every 2 days, so overdue from 9 Sep
    with db.read() as s:
        assert by_kind(patient_alerts(s, pid, noon(9, 9)), "labs_overdue") == []
        (overdue,) = by_kind(patient_alerts(s, pid, noon(9, 10)), "labs_overdue")
    assert (overdue.lifecycle, overdue.standing) == ("condition", "current")
    assert overdue.raised_at == noon(9, 9)
    with pytest.raises(StoreError, match="condition that holds now"), db.write() as s:
        acknowledge_alert(s, "dr.lee", pid, overdue.key)
    # a new result: the condition no longer holds
    add_alt(db, pid, noon(9, 10), "280")
    with db.read() as s:
        assert by_kind(patient_alerts(s, pid, noon(9, 11)), "labs_overdue") == []
        (again,) = by_kind(patient_alerts(s, pid, noon(9, 13)), "labs_overdue")
    assert again.standing == "current" and again.raised_at == noon(9, 12)


def test_an_acknowledgement_stored_against_a_condition_closes_nothing(db: Database) -> None:
    """Acknowledgements written before conditions stopped taking them are not honoured."""
    from irae_desktop.store.models import AlertAcknowledgement

    pid = hepatitis_with_flare(db)
    with db.read() as s:
        (overdue,) = by_kind(patient_alerts(s, pid, noon(9, 10)), "labs_overdue")
    with db.write() as s:
        s.add(AlertAcknowledgement(patient_id=pid, alert_key=overdue.key, acknowledged_by="x"))
    with db.read() as s:
        (still,) = by_kind(patient_alerts(s, pid, noon(9, 10)), "labs_overdue")
    assert still.standing == "current" and still.acknowledgement is None


def test_an_unknown_alert_key_cannot_be_acknowledged(db: Database) -> None:
    pid = hepatitis_with_flare(db)
    with pytest.raises(StoreError, match="No alert of the kind"), db.write() as s:
        acknowledge_alert(s, "dr.lee", pid, "no_such_rule:1")
