"""Who the trail names and when: the server's login and clock on PostgreSQL, whatever the
client claims."""

from __future__ import annotations

import getpass
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, select, text

from irae_desktop.cli.main import main
from irae_desktop.store.database import open_database
from irae_desktop.store.models import AuditEvent
from tests.pg_team import PgTeam


def _settings_events(url: str) -> list[tuple[str, str | None]]:
    db = open_database(url)
    try:
        with db.read() as s:
            rows = s.scalars(select(AuditEvent).where(AuditEvent.entity == "setting"))
            return [(e.user, e.claimed_by) for e in rows]
    finally:
        db.dispose()


def test_mallory_claimed_by_alice_is_audited_as_alice(
    pg_team: PgTeam, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = pg_team.add("alice")
    monkeypatch.setenv("IRAE_USER", "mallory")
    assert main(["--db", pg_team.url_for(alice), "settings", "set", "paper", "a4"]) == 0
    assert _settings_events(pg_team.owner_url) == [(alice, "mallory")]


def test_without_a_claimed_name_the_os_user_is_kept_as_claimed(
    pg_team: PgTeam, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = pg_team.add("alice")
    monkeypatch.delenv("IRAE_USER", raising=False)
    assert main(["--db", pg_team.url_for(alice), "settings", "set", "paper", "a4"]) == 0
    assert _settings_events(pg_team.owner_url) == [(alice, getpass.getuser())]


@pytest.fixture
def alice_engine(pg_team: PgTeam) -> Iterator[tuple[str, Engine]]:
    """A plain SQLAlchemy engine logged in as alice on the migrated team database: any client."""
    alice = pg_team.add("alice")
    open_database(pg_team.owner_url).dispose()
    engine = create_engine(pg_team.url_for(alice))
    try:
        yield alice, engine
    finally:
        engine.dispose()


def test_a_name_written_by_any_client_is_replaced_by_the_login(
    alice_engine: tuple[str, Engine],
) -> None:
    alice, engine = alice_engine
    with engine.begin() as conn:
        conn.execute(
            text(
                'INSERT INTO audit_events (at, "user", claimed_by, action, entity) '
                "VALUES (now(), 'dr-smith', NULL, 'update', 'patient'), "
                f"(now(), 'dr-smith', '{alice}', 'update', 'patient')"
            )
        )
    with engine.connect() as conn:
        rows = conn.execute(text('SELECT "user", claimed_by FROM audit_events ORDER BY id'))
        # a claim equal to the login says nothing more and is not kept
        assert [tuple(r) for r in rows] == [(alice, "dr-smith"), (alice, None)]


def test_the_time_written_by_any_client_is_replaced_by_the_servers(
    alice_engine: tuple[str, Engine],
) -> None:
    _alice, engine = alice_engine
    with engine.begin() as conn:
        conn.execute(
            text(
                'INSERT INTO audit_events (at, "user", action, entity) '
                "VALUES ('1999-12-31 23:59:00+00', 'dr-smith', 'update', 'patient')"
            )
        )
    with engine.connect() as conn:
        skew = conn.scalar(text("SELECT abs(extract(epoch FROM now() - at)) FROM audit_events"))
        assert skew is not None and skew < 600  # the server's time, not the year 1999


def test_sqlite_records_the_os_user_and_keeps_the_claim_apart(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IRAE_USER", "mallory")
    assert main(["--db", sqlite_url, "settings", "set", "paper", "a4"]) == 0
    assert _settings_events(sqlite_url) == [(getpass.getuser(), "mallory")]
