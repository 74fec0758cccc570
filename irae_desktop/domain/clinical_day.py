"""The clinical day: the calendar day an instant falls on in the team's clinical time zone.

Every rule that speaks of days (baseline on or before the first ICI start, Hy's law within
14 days, steroid days, labs overdue, days to response, diabetes windows) counts calendar days in
that zone, never in UTC (clinical reference, decision 10). Stored instants stay in UTC.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta, tzinfo

from irae_desktop.domain.utc import aware_utc, naive_utc


def clinical_day(moment: datetime, zone: tzinfo) -> date:
    """The calendar day of `moment` in `zone`. A naive `moment` is a stored UTC time."""
    return aware_utc(moment).astimezone(zone).date()


def day_start(day: date, zone: tzinfo) -> datetime:
    """The instant (aware, UTC) at which clinical day `day` begins in `zone`."""
    return aware_utc(datetime.combine(day, time(0), tzinfo=zone))


def on_or_before(day: date, zone: tzinfo) -> Callable[[datetime], bool]:
    """A test of whether an instant falls on clinical day `day` or earlier: the same answer as
    `clinical_day(moment, zone) <= day`, by one comparison with the instant the next day
    begins (for the many results of a regrade)."""
    end = day_start(day + timedelta(days=1), zone)
    naive_end = naive_utc(end)

    def test(moment: datetime) -> bool:
        return moment < (naive_end if moment.tzinfo is None else end)

    return test


def day_window(moment: datetime, days: int, zone: tzinfo) -> tuple[datetime, datetime]:
    """The instants (aware UTC, start included, end excluded) of the clinical days at most
    `days` days before or after the clinical day of `moment`: "within 14 days" of a result
    drawn on the 20th covers the 6th to the 34th, whatever the time of day."""
    day = clinical_day(moment, zone)
    return (
        day_start(day - timedelta(days=days), zone),
        day_start(day + timedelta(days=days + 1), zone),
    )
