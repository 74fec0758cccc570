"""The one conversion to UTC: every stored instant is UTC, and a time without a zone that the
program itself stored (SQLite keeps no zone) is a UTC time, never a local one.

Times read from files or typed by a user without a zone are not stored times: their zone is
the team's or the computer's, and the caller attaches it before calling `aware_utc`.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo


def aware_utc(moment: datetime | str) -> datetime:
    """`moment` as an aware UTC datetime. A naive datetime, or ISO text as SQLite returns it,
    is read as UTC; an aware one is converted."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def naive_utc(moment: datetime | str) -> datetime:
    """`moment` in UTC without a zone: the form SQLite stores, and cheap to compare."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def utc_from_wall_clock(naive: datetime, zone: tzinfo) -> datetime:
    """The aware UTC instant of a wall-clock time read in `zone` (a time in a file without an
    offset, read in the zone recorded on its import batch)."""
    return aware_utc(naive.replace(tzinfo=zone))
