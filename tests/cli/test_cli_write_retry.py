"""The command line's writes (settings set, ranges import) are run again whole when another
program held the database, as the window's are: another connection holds SQLite's write lock
(tests/write_lock.py) with a busy timeout of 50 ms, and lets go while the command waits
before its second attempt."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from irae_desktop.cli.main import main
from irae_desktop.store import concurrency
from irae_desktop.store import engine as engine_module
from irae_desktop.store.database import open_database
from tests.write_lock import held_until_first_pause


@pytest.fixture
def locked_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, list]]:
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "busy.sqlite3"
    open_database(f"sqlite:///{path}").dispose()
    with held_until_first_pause(path, concurrency, monkeypatch) as pauses:
        yield f"sqlite:///{path}", pauses


def test_settings_set_waits_for_a_busy_database(
    locked_url: tuple[str, list], capsys: pytest.CaptureFixture[str]
) -> None:
    url, pauses = locked_url
    assert main(["--db", url, "settings", "set", "timezone", "Asia/Kolkata"]) == 0
    assert len(pauses) == 1  # one pause: the second attempt went through
    assert "timezone changed from" in capsys.readouterr().out
    assert main(["--db", url, "settings", "show"]) == 0
    assert "timezone\tAsia/Kolkata" in capsys.readouterr().out


def test_ranges_import_waits_for_a_busy_database(
    locked_url: tuple[str, list], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, pauses = locked_url
    ranges = tmp_path / "ranges.csv"
    ranges.write_text("analyte,sex,lln,uln,unit\nALT,,7,40,U/L\n", encoding="utf-8")
    assert main(["--db", url, "ranges", "import", str(ranges)]) == 0
    assert len(pauses) == 1
    assert "1 reference range(s) saved" in capsys.readouterr().out
    assert main(["--db", url, "ranges", "show"]) == 0
    assert "ALT" in capsys.readouterr().out
