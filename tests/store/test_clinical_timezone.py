"""The clinical time zone as a team setting: stored grades and the worklist count days in it, a
change regrades every result in one audited transaction with the grades a fresh import under
that zone gives, and migration 0005 carries the old display zone over (clinical reference,
decision 10)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from sqlalchemy import select, text

from irae_desktop.domain.records import PatientRecord
from irae_desktop.importers.service import ImportOptions, import_files
from irae_desktop.store.clinical_zone import local_zone_name
from irae_desktop.store.database import Database, open_database
from irae_desktop.store.engine import make_engine
from irae_desktop.store.errors import StoreError
from irae_desktop.store.grading import regrade_all
from irae_desktop.store.labs import add_manual_lab
from irae_desktop.store.migrate import alembic_config
from irae_desktop.store.models import LabResult
from irae_desktop.store.patients import create_patient
from irae_desktop.store.settings import update_settings
from irae_desktop.store.treatments import add_line
from irae_desktop.store.worklist import worklist_rows
from tests.store.conftest import audit_rows

SYDNEY = "Australia/Sydney"
# the first infusion on 2 March; a result drawn at 08:00 Sydney time the morning after
# (21:00 UTC on 2 March), then ALT 200 a week later; the file's times are Sydney wall time
LABS_CSV = (
    "mrn,collected_at,test,value,unit,ref_range\n"
    "P1,2026-02-28 09:00,ALT,30,U/L,7-40\n"
    "P1,2026-03-03 08:00,ALT,80,U/L,7-40\n"
    "P1,2026-03-10 09:00,ALT,200,U/L,7-40\n"
)


def _patient_on_pembrolizumab(db: Database) -> None:
    with db.write() as session:
        patient = create_patient(session, PatientRecord(mrn="P1", name="Pat One"), user="t")
        add_line(
            session,
            "t",
            patient.id,
            category="ici",
            agent="pembrolizumab",
            start_date=date(2026, 3, 2),
        )


def _import(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "labs.csv"
    path.write_text(LABS_CSV, encoding="utf-8")
    (summary,) = import_files(db, [path], ImportOptions(user="t", timezone=SYDNEY))
    assert summary.imported == 3


def _grades(db: Database) -> list[tuple[Any, ...]]:
    with db.read() as session:
        rows = session.execute(
            select(
                LabResult.collected_at,
                LabResult.value,
                LabResult.grade,
                LabResult.is_baseline,
                LabResult.grade_criteria,
                LabResult.grade_reason,
            ).order_by(LabResult.collected_at)
        ).all()
    return [tuple(r) for r in rows]


def _set_zone(db: Database, zone: str) -> None:
    with db.write() as session:
        update_settings(session, "alice", {"clinical_timezone": zone})


def test_zone_change_regrades_audited_and_equals_a_fresh_import(
    db: Database, tmp_path: Path
) -> None:
    _set_zone(db, "UTC")
    _patient_on_pembrolizumab(db)
    _import(db, tmp_path)
    in_utc = _grades(db)
    # counted in UTC the morning-after draw is the (abnormal) baseline: 200 = 2.5 x 80, grade 1
    assert [(g[1], g[2], g[3]) for g in in_utc] == [
        (30.0, 0, False),
        (80.0, 1, True),
        (200.0, 1, False),
    ]
    before_events = len(audit_rows(db))

    _set_zone(db, SYDNEY)

    regraded = _grades(db)
    # in Sydney it is after the start: the baseline is the normal 30, and 200 = 5.0 x ULN
    assert [(g[1], g[2], g[3]) for g in regraded] == [
        (30.0, 0, True),
        (80.0, 1, False),
        (200.0, 2, False),
    ]
    events = audit_rows(db)[before_events:]
    assert [(e.action, e.entity) for e in events] == [
        ("update", "setting"),
        ("regrade", "lab_result"),
    ]
    assert json.loads(events[0].before_json or "") == {"clinical_timezone": "UTC"}
    assert json.loads(events[0].after_json or "") == {"clinical_timezone": SYDNEY}
    assert events[1].reason == "clinical time zone changed from UTC to Australia/Sydney"
    assert json.loads(events[1].after_json or "")["results_changed"] == 3

    fresh = open_database(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    try:
        _set_zone(fresh, SYDNEY)
        _patient_on_pembrolizumab(fresh)
        _import(fresh, tmp_path)
        assert _grades(fresh) == regraded
    finally:
        fresh.dispose()


def test_criteria_change_regrades_in_the_same_audited_transaction(
    db: Database, tmp_path: Path
) -> None:
    _set_zone(db, SYDNEY)
    _patient_on_pembrolizumab(db)
    _import(db, tmp_path)
    with db.write() as session:
        update_settings(session, "alice", {"criteria_set": "ctcae-6.0"})
    assert {g[4] for g in _grades(db)} == {"ctcae-6.0"}
    event = [e for e in audit_rows(db) if e.action == "regrade"][-1]
    assert event.reason == "criteria set changed from ctcae-5.0 to ctcae-6.0"


def test_a_bad_zone_is_refused_and_nothing_is_regraded(db: Database, tmp_path: Path) -> None:
    _set_zone(db, "UTC")
    _patient_on_pembrolizumab(db)
    _import(db, tmp_path)
    before, events = _grades(db), len(audit_rows(db))
    with pytest.raises(StoreError, match="Unknown time zone 'Mars/Olympus'"), db.write() as s:
        update_settings(s, "alice", {"clinical_timezone": "Mars/Olympus"})
    assert _grades(db) == before
    assert len(audit_rows(db)) == events


@pytest.mark.parametrize(
    ("zone", "last", "now", "days"),
    [
        # 40 minutes apart across local midnight: one clinical day
        (SYDNEY, "2026-03-10 23:30", "2026-03-11 00:10", 1),
        ("Asia/Kolkata", "2026-03-10 23:50", "2026-03-11 00:05", 1),
        ("Pacific/Honolulu", "2026-03-10 00:10", "2026-03-10 23:50", 0),
        # a 25-hour day (daylight saving ends in Sydney on 5 April)
        (SYDNEY, "2026-04-05 00:10", "2026-04-05 23:50", 0),
        (SYDNEY, "2026-04-04 23:50", "2026-04-06 00:10", 2),
    ],
)
def test_worklist_days_since_last_lab_in_clinical_days(
    db: Database, zone: str, last: str, now: str, days: int
) -> None:
    tz = ZoneInfo(zone)
    _set_zone(db, zone)
    with db.write() as session:
        patient = create_patient(session, PatientRecord(mrn="W1", name="Wendy"), user="t")
        at = datetime.fromisoformat(last).replace(tzinfo=tz)
        add_manual_lab(session, "t", patient.id, "ALT", at, "30", "U/L", 7, 40)
    moment = datetime.fromisoformat(now).replace(tzinfo=tz).astimezone(UTC)
    with db.read() as session:
        for from_summary in (True, False):
            (row,) = worklist_rows(session, now=moment, from_summary=from_summary)
            assert row.days_since_lab == days


def _settings_rows(url: str) -> dict[str, str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return dict(conn.execute(text("SELECT key, value_json FROM app_settings")).all())
    finally:
        engine.dispose()


def _at_0004(url: str, statements: list[str]) -> None:
    engine = make_engine(url)
    try:
        command.upgrade(alembic_config(engine), "0004")
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def test_migration_keeps_a_display_zone_chosen_before_any_result(any_db_url: str) -> None:
    _at_0004(
        any_db_url,
        ["INSERT INTO app_settings VALUES ('display_timezone', '\"Europe/Paris\"')"],
    )
    open_database(any_db_url).dispose()
    assert _settings_rows(any_db_url) == {"clinical_timezone": '"Europe/Paris"'}
    engine = make_engine(any_db_url)
    try:
        command.downgrade(alembic_config(engine), "0004")
    finally:
        engine.dispose()
    assert _settings_rows(any_db_url) == {"display_timezone": '"Europe/Paris"'}


def test_migration_writes_this_computers_zone_into_a_new_database(sqlite_url: str) -> None:
    open_database(sqlite_url).dispose()
    assert _settings_rows(sqlite_url) == {"clinical_timezone": json.dumps(local_zone_name())}


def test_migration_keeps_utc_where_stored_grades_counted_utc_days(sqlite_url: str) -> None:
    """Results graded before the clinical day existed were counted in UTC days: the zone stays
    UTC, whatever display zone was chosen, so that no grade disagrees with the settings shown,
    until the team changes it (which regrades)."""
    db = open_database(sqlite_url)
    try:
        with db.write() as session:
            patient = create_patient(session, PatientRecord(mrn="M1", name="Old"), user="t")
            at = datetime(2026, 3, 1, 8, tzinfo=UTC)
            add_manual_lab(session, "t", patient.id, "ALT", at, "30", "U/L", 7, 40)
    finally:
        db.dispose()
    engine = make_engine(sqlite_url)
    try:
        command.downgrade(alembic_config(engine), "0004")
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM app_settings"))
            conn.execute(
                text("INSERT INTO app_settings VALUES ('display_timezone', '\"Europe/Paris\"')")
            )
    finally:
        engine.dispose()
    open_database(sqlite_url).dispose()
    assert _settings_rows(sqlite_url) == {"clinical_timezone": '"UTC"'}


def test_a_later_file_is_graded_against_the_baseline_of_the_clinical_start_day(
    db: Database, tmp_path: Path
) -> None:
    """Honolulu (UTC-10): a draw at 20:00 on the start day is 06:00 UTC the next day, yet it is
    the baseline; a later file's results are graded against it as they are written."""
    honolulu = "Pacific/Honolulu"
    _set_zone(db, honolulu)
    _patient_on_pembrolizumab(db)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(
        "mrn,collected_at,test,value,unit,ref_range\n"
        "P1,2026-02-28 09:00,ALT,30,U/L,7-40\n"
        "P1,2026-03-02 20:00,ALT,80,U/L,7-40\n",
        encoding="utf-8",
    )
    second.write_text(
        "mrn,collected_at,test,value,unit,ref_range\nP1,2026-03-10 09:00,ALT,200,U/L,7-40\n",
        encoding="utf-8",
    )
    for path in (first, second):
        (summary,) = import_files(db, [path], ImportOptions(user="t", timezone=honolulu))
        assert summary.imported == 1 + (path is first)
    # 200 against the abnormal baseline 80: 2.5 x BL, grade 1 (5.0 x ULN would be grade 2)
    assert [(g[1], g[2], g[3]) for g in _grades(db)] == [
        (30.0, 0, False),
        (80.0, 1, True),
        (200.0, 1, False),
    ]
    with db.write() as session:
        assert regrade_all(session) == 0
