"""A read-only login cannot write from the command line: a plain message and exit code 1."""

from __future__ import annotations

import json

import pytest

from irae_desktop.cli.main import main
from tests.conftest import SAMPLES
from tests.pg_team import PgTeam


def test_read_only_login_is_refused_every_write(
    pg_team: PgTeam, capsys: pytest.CaptureFixture[str]
) -> None:
    bob = pg_team.add("bob", read_only=True)
    url = ["--db", pg_team.url_for(bob)]
    capsys.readouterr()
    for command in (
        ["settings", "set", "paper", "a4"],
        ["demo"],
        ["import", str(SAMPLES / "synthea" / "observations_v3_labs.csv")],
    ):
        assert main([*url, *command]) == 1, command
        err = capsys.readouterr().err
        assert "read-only" in err and "Nothing was saved" in err, (command, err)
    # reading works, and nothing was written
    assert main([*url, "settings"]) == 0
    assert "paper\tletter" in capsys.readouterr().out
    assert main([*url, "labs", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
