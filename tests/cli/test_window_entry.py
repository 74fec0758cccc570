"""The command line that only opens the window (nothing, or the database alone) starts it
without loading the commands; every other command line is the full parser's."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from irae_desktop.cli.main import window_database


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], (True, None)),
        (["--db", "sqlite:///a.sqlite3"], (True, "sqlite:///a.sqlite3")),
        (["--db=postgresql://host/team"], (True, "postgresql://host/team")),
        (["--db"], (False, None)),  # the parser says what is missing
        (["--db="], (False, None)),
        (["--db", "--help"], (False, None)),
        (["--help"], (False, None)),
        (["--version"], (False, None)),
        (["alerts"], (False, None)),
        (["--db", "sqlite:///a.sqlite3", "alerts"], (False, None)),
        (["--bd", "sqlite:///a.sqlite3"], (False, None)),  # a typo is the parser's to refuse
    ],
)
def test_which_command_lines_only_open_the_window(
    argv: list[str], expected: tuple[bool, str | None]
) -> None:
    assert window_database(argv) == expected


CHILD = textwrap.dedent(
    """
    import sys
    from irae_desktop.ui import app

    seen = []
    app.run_gui = lambda db_url=None: seen.append(db_url) or 0
    from irae_desktop.cli.main import main

    assert main(["--db", "sqlite:///unused.sqlite3"]) == 0
    loaded = sorted(m for m in sys.modules if m.startswith("irae_desktop.cli."))
    print(seen[0], loaded)
    """
)


def test_opening_the_window_loads_none_of_the_commands() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout.strip()
        == "sqlite:///unused.sqlite3 ['irae_desktop.cli.common', 'irae_desktop.cli.main']"
    )
