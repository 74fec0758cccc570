"""Lab summaries on a shared PostgreSQL server: role grants after an upgrade, concurrent writers."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from alembic import command
from sqlalchemy import create_engine, text

from irae_desktop.domain.records import PatientRecord
from irae_desktop.store.database import open_database
from irae_desktop.store.labs import add_manual_lab
from irae_desktop.store.migrate import alembic_config
from irae_desktop.store.patients import create_patient
from irae_desktop.store.pg_roles import grant_application_role
from tests.store.summary_check import by_mrn, check_summaries


def test_application_role_uses_the_summaries_after_the_owner_upgrades(
    pg_url: str, pg_app_url: str
) -> None:
    owner = create_engine(pg_url)
    try:
        command.upgrade(alembic_config(owner), "0002")
        grant_application_role(owner, "irae_app")  # granted before lab_latest existed
    finally:
        owner.dispose()
    open_database(pg_url).dispose()  # the owner runs migration 0003
    db = open_database(pg_app_url)
    try:
        assert not db.read_only
        with db.write() as s:
            pid = create_patient(s, PatientRecord(mrn="APP-1", name="App Role"), user="bob").id
            when = datetime(2026, 3, 1, 8, tzinfo=UTC)
            add_manual_lab(s, "bob", pid, "ALT", when, "300", "U/L", 7, 40)
        assert by_mrn(check_summaries(db))["APP-1"].liver is not None
    finally:
        db.dispose()


def _statement_kept_waiting(url: str, writer: threading.Thread) -> str | None:
    """The statement of a session in this database that waits for another's lock, as soon as
    PostgreSQL reports one; None if the writer ends without ever waiting."""
    watcher = create_engine(url, isolation_level="AUTOCOMMIT")  # a fresh activity view each read
    try:
        with watcher.connect() as conn:
            while writer.is_alive():
                waiting = conn.execute(
                    text(
                        "SELECT query FROM pg_stat_activity WHERE datname = current_database()"
                        " AND cardinality(pg_blocking_pids(pid)) > 0"
                    )
                ).scalar()
                if waiting is not None:
                    return str(waiting)
                writer.join(0.02)  # returns at once when the writer ends
    finally:
        watcher.dispose()
    return None


def test_two_writers_for_one_patient_at_once(pg_url: str) -> None:
    db = open_database(pg_url)
    try:
        with db.write() as s:
            pid = create_patient(s, PatientRecord(mrn="TWO-1", name="Two Writers"), user="u").id
        refreshed, release = threading.Event(), threading.Event()
        errors: list[BaseException] = []

        def newer() -> None:  # refreshes the summary, then holds its transaction open
            try:
                with db.write() as s:
                    when = datetime(2026, 3, 10, 8, tzinfo=UTC)
                    add_manual_lab(s, "a", pid, "ALT", when, "250", "U/L", 7, 40)
                    refreshed.set()
                    release.wait(20)
            except BaseException as exc:
                errors.append(exc)
                refreshed.set()

        def older() -> None:
            try:
                with db.write() as s:
                    when = datetime(2026, 3, 5, 8, tzinfo=UTC)
                    add_manual_lab(s, "b", pid, "ALT", when, "100", "U/L", 7, 40)
            except BaseException as exc:
                errors.append(exc)

        first = threading.Thread(target=newer)
        first.start()
        assert refreshed.wait(20)
        second = threading.Thread(target=older)
        second.start()
        waiting = _statement_kept_waiting(pg_url, second)
        release.set()
        first.join(20)
        second.join(20)
        # the second writer waited at the summary's patient lock, not somewhere else
        assert waiting is not None, "the second writer never waited for the first"
        assert "FOR NO KEY UPDATE" in waiting and "patients" in waiting, waiting
        assert errors == []
        row = by_mrn(check_summaries(db))["TWO-1"]
        assert row.liver is not None and row.liver.collected_at.day == 10
    finally:
        db.dispose()
