"""Clinicians' own logins on a real PostgreSQL server: groups, rights, disabling, listing."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from irae_desktop.domain.records import PatientRecord
from irae_desktop.store.database import open_database
from irae_desktop.store.errors import DatabaseUnavailableError, StoreError
from irae_desktop.store.patients import create_patient
from irae_desktop.store.pg_users import DatabaseUser, add_user, disable_user, list_users
from tests.pg_team import PgTeam


def test_writer_writes_and_reader_only_reads(pg_team: PgTeam) -> None:
    alice = pg_team.add("alice")
    bob = pg_team.add("bob", read_only=True)
    writer = open_database(pg_team.url_for(alice))
    try:
        assert not writer.read_only
        with writer.write() as s:
            create_patient(s, PatientRecord(mrn="W-1", name="Written"), user=alice)
    finally:
        writer.dispose()
    reader = open_database(pg_team.url_for(bob))
    try:
        assert reader.read_only
    finally:
        reader.dispose()
    # refused by the server itself, not only by the app's own check
    engine = create_engine(pg_team.url_for(bob))
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT mrn FROM patients")).scalars().all() == ["W-1"]
        with pytest.raises(DBAPIError, match="permission denied"), engine.begin() as conn:
            conn.execute(text("UPDATE patients SET name = 'changed'"))
    finally:
        engine.dispose()


def test_list_shows_each_login_with_its_access(pg_team: PgTeam) -> None:
    alice = pg_team.add("alice")
    bob = pg_team.add("bob", read_only=True)
    owner = pg_team.owner()
    try:
        users = list_users(owner)
    finally:
        owner.dispose()
    assert sorted(users, key=lambda u: u.name) == sorted(
        [DatabaseUser(alice, "read-write", True), DatabaseUser(bob, "read-only", True)],
        key=lambda u: u.name,
    )


def test_disabled_user_cannot_connect_and_open_session_ends(pg_team: PgTeam) -> None:
    alice = pg_team.add("alice")
    session = create_engine(pg_team.url_for(alice))
    owner = pg_team.owner()
    try:
        with session.connect() as conn:
            conn.execute(text("SELECT 1"))
            assert disable_user(owner, alice) == 1
            with pytest.raises(DBAPIError):
                conn.execute(text("SELECT 1"))
        assert list_users(owner) == [DatabaseUser(alice, "read-write", False)]
    finally:
        owner.dispose()
        session.dispose()
    with pytest.raises(DatabaseUnavailableError):
        open_database(pg_team.url_for(alice))


def test_add_user_again_enables_and_moves_between_groups(pg_team: PgTeam) -> None:
    alice = pg_team.add("alice")
    owner = pg_team.owner()
    try:
        disable_user(owner, alice)
        add_user(owner, alice, read_only=True)
        assert list_users(owner) == [DatabaseUser(alice, "read-only", True)]
    finally:
        owner.dispose()
    db = open_database(pg_team.url_for(alice))  # the password set before still works
    try:
        assert db.read_only
    finally:
        db.dispose()


def test_grant_covers_a_table_added_by_an_upgrade(pg_team: PgTeam) -> None:
    alice = pg_team.add("alice")
    owner = create_engine(pg_team.owner_url)
    with owner.begin() as conn:
        conn.execute(text("CREATE TABLE added_later (id integer)"))
    user = create_engine(pg_team.url_for(alice))
    try:
        with pytest.raises(DBAPIError, match="permission denied"), user.connect() as conn:
            conn.execute(text("SELECT * FROM added_later"))
        db = pg_team.owner()
        try:
            from irae_desktop.store.pg_users import grant_groups

            grant_groups(db)
        finally:
            db.dispose()
        with user.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM added_later")).scalar() == 0
    finally:
        user.dispose()
        owner.dispose()


def test_no_group_may_change_or_remove_the_trail(pg_team: PgTeam) -> None:
    alice = pg_team.add("alice")
    db = open_database(pg_team.url_for(alice))
    try:
        with db.write() as s:
            create_patient(s, PatientRecord(mrn="T-1"), user=alice)
    finally:
        db.dispose()
    engine = create_engine(pg_team.url_for(alice))
    try:
        for statement in (
            "UPDATE audit_events SET reason = 'tidied'",
            "DELETE FROM audit_events",
            "TRUNCATE audit_events",
        ):
            with pytest.raises(DBAPIError, match="permission denied"), engine.begin() as conn:
                conn.execute(text(statement))
    finally:
        engine.dispose()


@pytest.mark.parametrize("name", ['x"; DROP TABLE patients; --', "pg_monitor", "", "1abc"])
def test_odd_user_names_refused(pg_team: PgTeam, name: str) -> None:
    owner = pg_team.owner()
    try:
        with pytest.raises(StoreError, match="cannot be a database user name"):
            add_user(owner, name)
    finally:
        owner.dispose()


def test_a_user_without_the_right_is_told_plainly(pg_team: PgTeam) -> None:
    alice = pg_team.add("alice")
    db = open_database(pg_team.url_for(alice))
    try:
        with pytest.raises(StoreError, match="CREATEROLE"):
            add_user(db, pg_team.name("mallory"))
    finally:
        db.dispose()
