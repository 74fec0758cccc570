"""The one conversion to UTC: stored naive times are UTC, aware ones are converted, wall-clock
times are read in the zone given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from irae_desktop.domain.utc import aware_utc, naive_utc, utc_from_wall_clock

BERLIN = ZoneInfo("Europe/Berlin")


def test_a_naive_or_text_time_is_a_stored_utc_time() -> None:
    assert aware_utc(datetime(2026, 3, 1, 8, 30)) == datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    assert aware_utc("2026-03-01 08:30:00") == datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    assert aware_utc("2026-03-01 08:30:00").tzinfo is UTC


def test_an_aware_time_is_converted() -> None:
    # 08:30 in New York in winter (UTC-5) is 13:30 UTC
    eastern = timezone(timedelta(hours=-5))
    assert aware_utc(datetime(2026, 1, 10, 8, 30, tzinfo=eastern)) == datetime(
        2026, 1, 10, 13, 30, tzinfo=UTC
    )
    assert aware_utc(datetime(2026, 1, 10, 8, 30, tzinfo=eastern)).tzinfo is UTC


def test_naive_utc_drops_the_zone_after_converting() -> None:
    assert naive_utc(datetime(2026, 7, 1, 2, 0, tzinfo=BERLIN)) == datetime(2026, 7, 1, 0, 0)
    assert naive_utc(datetime(2026, 7, 1, 2, 0)) == datetime(2026, 7, 1, 2, 0)
    assert naive_utc("2026-07-01T02:00:00+02:00") == datetime(2026, 7, 1, 0, 0)


def test_a_wall_clock_time_is_read_in_its_zone() -> None:
    # Berlin is UTC+2 in summer, UTC+1 in winter
    assert utc_from_wall_clock(datetime(2026, 7, 1, 9, 0), BERLIN) == datetime(
        2026, 7, 1, 7, 0, tzinfo=UTC
    )
    assert utc_from_wall_clock(datetime(2026, 1, 5, 9, 0), BERLIN) == datetime(
        2026, 1, 5, 8, 0, tzinfo=UTC
    )
