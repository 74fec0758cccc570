"""The audit trail is append-only, enforced by the database itself on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from irae_desktop.domain.records import PatientRecord
from irae_desktop.store.access import DatabaseReadOnlyError
from irae_desktop.store.database import open_database
from irae_desktop.store.errors import DatabaseUnavailableError
from irae_desktop.store.models import AuditEvent
from irae_desktop.store.patients import create_patient
from irae_desktop.store.pg_roles import grant_application_role, grant_statements


def _one_event(url: str) -> None:
    db = open_database(url)
    try:
        with db.write() as s:
            create_patient(s, PatientRecord(mrn="A-1", name="Test Person"), user="alice")
    finally:
        db.dispose()


def _trail(url: str) -> list[tuple[str, str]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            # the name the app gave: kept as claimed beside the login on PostgreSQL
            rows = conn.execute(
                text('SELECT COALESCE(claimed_by, "user"), action FROM audit_events')
            )
            return [tuple(r) for r in rows]
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_events SET \"user\" = 'mallory'", "DELETE FROM audit_events"],
)
def test_owner_cannot_rewrite_the_trail(any_db_url: str, statement: str) -> None:
    _one_event(any_db_url)
    engine = create_engine(any_db_url)
    try:
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()
    assert _trail(any_db_url) == [("alice", "create")]


def test_truncate_refused_on_postgresql(pg_url: str) -> None:
    _one_event(pg_url)
    engine = create_engine(pg_url)
    try:
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text("TRUNCATE audit_events"))
    finally:
        engine.dispose()
    assert len(_trail(pg_url)) == 1


def _grant(pg_url: str) -> None:
    owner = create_engine(pg_url)
    try:
        grant_application_role(owner, "irae_app")
    finally:
        owner.dispose()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET reason = 'tidied'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
        "UPDATE alembic_version SET version_num = '0001'",
    ],
)
def test_application_role_cannot_change_the_trail(
    pg_url: str, pg_app_url: str, statement: str
) -> None:
    open_database(pg_url).dispose()  # the owner runs the migrations
    _grant(pg_url)
    _grant(pg_url)  # running it again after an upgrade is harmless
    db = open_database(pg_app_url)
    try:
        assert not db.read_only
        with db.write() as s:  # ordinary work as the application role, audited
            create_patient(s, PatientRecord(mrn="B-2", name="App Role"), user="bob")
        with pytest.raises(DBAPIError, match="permission denied"), db.engine.begin() as conn:
            conn.execute(text(statement))
        with db.read() as s:
            assert s.scalar(select(func.count()).select_from(AuditEvent)) == 1
    finally:
        db.dispose()


def test_role_without_write_grant_opens_read_only(pg_url: str, pg_app_url: str) -> None:
    _one_event(pg_url)
    owner = create_engine(pg_url)
    with owner.begin() as conn:
        conn.execute(text("GRANT SELECT ON ALL TABLES IN SCHEMA public TO irae_app"))
    owner.dispose()
    db = open_database(pg_app_url)
    try:
        assert db.read_only
        with db.read() as s:  # reading still works
            assert s.scalar(select(func.count()).select_from(AuditEvent)) == 1
        with pytest.raises(DatabaseReadOnlyError, match="read-only"), db.write() as s:
            create_patient(s, PatientRecord(mrn="C-3"), user="bob")
        # a write refused by the server (grants changed after opening) turns read-only too
        db.read_only = False
        with pytest.raises(DatabaseReadOnlyError, match="Nothing was saved"), db.write() as s:
            create_patient(s, PatientRecord(mrn="C-3"), user="bob")
        assert db.read_only
    finally:
        db.dispose()
    assert _trail(pg_url) == [("alice", "create")]


def test_role_without_any_grant_gets_plain_message(pg_url: str, pg_app_url: str) -> None:
    open_database(pg_url).dispose()
    with pytest.raises(DatabaseUnavailableError, match="database administrator"):
        open_database(pg_app_url)


def test_wrong_password_gives_plain_message(pg_app_url: str) -> None:
    wrong = make_url(pg_app_url).set(password="not-the-password")
    with pytest.raises(DatabaseUnavailableError, match="refused the user name or password") as e:
        open_database(wrong.render_as_string(hide_password=False))
    assert "not-the-password" not in str(e.value)


def test_grant_statements_refuse_odd_role_names() -> None:
    with pytest.raises(ValueError, match="plain role"):
        grant_statements('app"; DROP TABLE patients; --', "irae")
    assert (
        grant_statements("irae_app", "irae")[0] == 'GRANT CONNECT ON DATABASE "irae" TO "irae_app"'
    )


def test_append_only_migration_goes_down_and_up(any_db_url: str) -> None:
    from alembic import command

    from irae_desktop.store.migrate import alembic_config, current_revision, head_revision

    _one_event(any_db_url)
    engine = create_engine(any_db_url)
    try:
        command.downgrade(alembic_config(engine), "0001")
        with engine.begin() as conn:  # without the triggers the row could be changed
            conn.execute(text("UPDATE audit_events SET reason = 'x'"))
        command.upgrade(alembic_config(engine), "head")
        assert current_revision(engine) == head_revision()
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text("UPDATE audit_events SET reason = 'y'"))
    finally:
        engine.dispose()
