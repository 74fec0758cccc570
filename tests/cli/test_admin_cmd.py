"""`irae-desktop admin`: the owner adds, lists and disables logins from the command line."""

from __future__ import annotations

import json

import pytest

from irae_desktop.cli.main import main
from tests.pg_team import PgTeam


def test_add_list_disable_from_the_command_line(
    pg_team: PgTeam, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    alice, bob = pg_team.name("alice"), pg_team.name("bob")
    pg_team.made += [alice, bob]
    answers = iter(["s3cret-pw", "s3cret-pw"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    db = ["--db", pg_team.owner_url, "admin"]
    assert main([*db, "add-user", alice, "--password"]) == 0
    assert main([*db, "add-user", bob, "--read-only"]) == 0
    capsys.readouterr()
    assert main([*db, "list-users", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert sorted(listed, key=lambda u: u["name"]) == sorted(
        [
            {"name": alice, "access": "read-write", "enabled": True},
            {"name": bob, "access": "read-only", "enabled": True},
        ],
        key=lambda u: u["name"],
    )
    assert main(["--db", pg_team.url_for(alice, "s3cret-pw"), "settings"]) == 0
    assert main([*db, "disable-user", alice]) == 0
    assert "no longer sign in" in capsys.readouterr().out
    assert main(["--db", pg_team.url_for(alice, "s3cret-pw"), "settings"]) == 1
    assert main([*db, "grant"]) == 0


def test_passwords_that_differ_change_nothing(
    pg_team: PgTeam, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["one", "two"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    alice = pg_team.name("alice")
    assert main(["--db", pg_team.owner_url, "admin", "add-user", alice, "--password"]) == 2
    assert "differ" in capsys.readouterr().err
    assert main(["--db", pg_team.owner_url, "admin", "list-users"]) == 0
    assert alice not in capsys.readouterr().out


def test_admin_on_sqlite_is_a_usage_error(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", sqlite_url, "admin", "list-users"]) == 2
    assert "PostgreSQL" in capsys.readouterr().err


def test_disabling_a_stranger_says_so(pg_team: PgTeam, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", pg_team.owner_url, "admin", "disable-user", "nobody_here"]) == 1
    assert "not a user of this database" in capsys.readouterr().err
