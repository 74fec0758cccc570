"""Reads the date and time spellings found in lab exports into aware UTC datetimes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from irae_desktop.domain.clinical_day import clinical_day
from irae_desktop.domain.utc import aware_utc, utc_from_wall_clock
from irae_desktop.store.clinical_zone import local_zone_name

DATE_ORDERS = ("auto", "MDY", "DMY")

_HL7_TS = re.compile(r"^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.\d{1,4})?([+-]\d{4})?$")
# day and month with slashes or dashes (read by the date order), or dots (always day first):
# "30/11/2026", "30-11-2026" (Dutch and Danish exports), "30.11.2026"
_SLASH = re.compile(
    r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$"
)


class TimeTextError(ValueError):
    """A date or time that cannot be read without guessing."""


def resolve_zone(name: str | None) -> tuple[tzinfo, str]:
    """The zone for naive times: the IANA name given, else the machine's local zone."""
    if name:
        try:
            return ZoneInfo(name), name
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"Unknown time zone {name!r} (use an IANA name such as Europe/Paris)."
            ) from exc
    # the time module knows only today's offset; a fixed offset would read a winter time in a
    # summer file an hour off, so the zone's IANA name is looked up as the clinical day's
    # default is (TZ, /etc/timezone or /etc/localtime on Linux and macOS, the registry on Windows)
    named = local_zone_name()
    if named != "UTC":
        return ZoneInfo(named), named
    local = datetime.now().astimezone().tzinfo
    offset = local.utcoffset(None) if local else None
    if offset is None or offset == timedelta(0):
        return UTC, "UTC"
    return timezone(offset), str(local)


def parse_hl7_ts(text: str, zone: tzinfo) -> datetime:
    """HL7 DTM: YYYY[MM[DD[HH[MM[SS[.S]]]]]][+/-ZZZZ]; needs at least a full date."""
    m = _HL7_TS.match(text.strip())
    if not m or m.group(3) is None:
        raise TimeTextError(f"not a full HL7 date/time: {text!r}")
    year, month, day, hour, minute, second, offset = m.groups()
    naive = datetime(
        int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
    )
    if offset:
        sign = 1 if offset[0] == "+" else -1
        delta = timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5])) * sign
        return utc_from_wall_clock(naive, timezone(delta))
    return utc_from_wall_clock(naive, zone)


def parse_datetime_text(text: str, zone: tzinfo, *, date_order: str = "auto") -> datetime:
    """ISO 8601 (with or without offset or Z), HL7 compact, or day/month/year spellings.

    Slash and dash dates are ambiguous (03/04/2024, 03-04-2024): read by `date_order`; with
    "auto" only when the day is above 12, otherwise refused rather than guessed.
    """
    s = text.strip()
    if not s:
        raise TimeTextError("no collection date/time")
    if s[0].isdigit() and len(s) >= 10 and s[4] == "-":
        try:
            parsed = datetime.fromisoformat(s.replace(" UTC", "Z"))
        except ValueError as exc:
            raise TimeTextError(f"not a valid date/time: {s!r}") from exc
        if parsed.tzinfo is None:
            return utc_from_wall_clock(parsed, zone)
        return aware_utc(parsed)
    if s.isdigit() or (len(s) > 8 and s[:8].isdigit()):
        try:
            return parse_hl7_ts(s, zone)
        except ValueError as exc:
            raise TimeTextError(f"not a valid date/time: {s!r}") from exc
    m = _SLASH.match(s)
    if not m:
        raise TimeTextError(f"unrecognised date/time: {s!r}")
    a, separator, b, year, hour, minute, second, ampm = m.groups()
    first, second_part = int(a), int(b)
    separator_is_dot = separator == "."
    order = date_order
    if order == "auto":
        if separator_is_dot or first > 12:
            order = "DMY"
        elif second_part > 12:
            order = "MDY"
        else:
            raise TimeTextError(
                f"ambiguous date {s.split()[0]!r}: day and month could be swapped; "
                "give the date order (MDY or DMY) in a column mapping"
            )
    month, day = (first, second_part) if order == "MDY" else (second_part, first)
    h = int(hour or 0)
    if ampm:
        if h > 12:
            raise TimeTextError(f"not a valid time: {s!r}")
        h = h % 12 + (12 if ampm.lower() == "pm" else 0)
    try:
        naive = datetime(int(year), month, day, h, int(minute or 0), int(second or 0))
    except ValueError as exc:
        raise TimeTextError(f"not a valid date/time: {s!r}") from exc
    return utc_from_wall_clock(naive, zone)


def parse_day_text(
    text: str, zone: tzinfo, clinical_zone: tzinfo, *, date_order: str = "auto"
) -> date:
    """The day a date cell means: a date without a time is the day as written; a date with a
    time (read in `zone` when it carries no offset) counts on its clinical day in
    `clinical_zone` (clinical reference, decision 10). Raises TimeTextError."""
    s = text.strip()
    if len(s) == 10 and s[4] == "-":
        try:
            return date.fromisoformat(s)
        except ValueError as exc:
            raise TimeTextError(f"not a valid date: {s!r}") from exc
    moment = parse_datetime_text(s, zone, date_order=date_order)
    if ":" not in s:
        return parse_datetime_text(s, UTC, date_order=date_order).date()
    return clinical_day(moment, clinical_zone)


def parse_birth_date(text: str, *, date_order: str = "auto") -> date:
    """A birth date as ISO, HL7 (YYYYMMDD) or day/month/year text; raises TimeTextError."""
    s = text.strip()
    if len(s) >= 8 and s[:8].isdigit():
        try:
            return date(int(s[:4]), int(s[4:6]), int(s[6:8]))
        except ValueError as exc:
            raise TimeTextError(f"not a valid birth date: {s!r}") from exc
    if len(s) >= 10 and s[4] == "-":
        try:
            return date.fromisoformat(s[:10])
        except ValueError as exc:
            raise TimeTextError(f"not a valid birth date: {s!r}") from exc
    return parse_datetime_text(s, UTC, date_order=date_order).date()
