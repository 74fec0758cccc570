"""The zone for naive times defaults to this computer's named zone, with its summer time."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import tzlocal

from irae_desktop.importers.timeparse import parse_datetime_text, resolve_zone


@pytest.fixture
def sydney(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process runs as a computer set to Sydney time (UTC+10, +11 in the southern summer)."""
    monkeypatch.setenv("TZ", "Australia/Sydney")
    time.tzset()
    tzlocal.reload_localzone()
    yield
    monkeypatch.undo()
    time.tzset()
    tzlocal.reload_localzone()


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="TZ is read at start-up on Windows")
def test_the_local_zone_is_named_and_keeps_summer_time(sydney: None) -> None:
    zone, name = resolve_zone(None)
    assert name == "Australia/Sydney"
    # 08:00 on a January and on a July morning: an hour apart in UTC, not one fixed offset
    assert parse_datetime_text("2026-01-15 08:00", zone) == datetime(2026, 1, 14, 21, tzinfo=UTC)
    assert parse_datetime_text("2026-07-15 08:00", zone) == datetime(2026, 7, 14, 22, tzinfo=UTC)


def test_an_explicit_zone_wins_and_a_wrong_one_is_refused() -> None:
    assert resolve_zone("Europe/Paris")[1] == "Europe/Paris"
    with pytest.raises(ValueError, match="Unknown time zone"):
        resolve_zone("Mars/Olympus_Mons")
