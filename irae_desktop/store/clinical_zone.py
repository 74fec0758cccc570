"""The team's clinical time zone: the zone whose calendar days every day-based rule counts
(clinical reference, decision 10). Stored as the team setting "clinical_timezone", which the
database gets when it is created (the zone of the computer that creates it: see migration
0005); should the row be missing or damaged, this computer's zone."""

from __future__ import annotations

import contextlib
import json
import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from irae_desktop.store.models import AppSetting

SETTING_KEY = "clinical_timezone"
# where Linux and macOS link the system zone from; the part after "zoneinfo/" is its name
_LOCALTIME = Path("/etc/localtime")
_TIMEZONE_FILE = Path("/etc/timezone")


def valid_zone(name: str) -> ZoneInfo | None:
    """The zone for an IANA name, or None when there is no such zone."""
    if not name or name != name.strip():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _candidates() -> list[str]:
    names = []
    env = os.environ.get("TZ", "").strip().lstrip(":")
    if env:
        names.append(env)
    key = getattr(datetime.now().astimezone().tzinfo, "key", None)
    if isinstance(key, str):
        names.append(key)
    with contextlib.suppress(OSError, UnicodeDecodeError):
        names.append(_TIMEZONE_FILE.read_text(encoding="ascii").strip())
    try:
        target = str(_LOCALTIME.resolve())
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        names.append(target.split("zoneinfo/", 1)[1])
    return names


def _system_zone_name() -> str | None:
    """The zone name as each system keeps it (TZ, /etc/timezone or /etc/localtime, the Windows
    registry), as tzlocal reads it; None when it cannot say."""
    try:
        from tzlocal import get_localzone_name

        return get_localzone_name()
    except (ImportError, OSError, LookupError, ValueError):
        return None


def local_zone_name() -> str:
    """This computer's IANA zone: the system's own setting, else TZ or the zone file or link;
    "UTC" when none of them names a zone this Python knows and that agrees with the clock's
    current offset. The one answer for the clinical day's default and an import's naive times."""
    offset = datetime.now().astimezone().utcoffset()
    system = _system_zone_name()
    for name in ([system] if system else []) + _candidates():
        zone = valid_zone(name)
        if zone is not None and datetime.now(zone).utcoffset() == offset:
            return name
    return "UTC"


def stored_zone_name(session: Session) -> str | None:
    """The stored clinical zone, or None when none (or a damaged value) is stored."""
    raw = session.scalar(select(AppSetting.value_json).where(AppSetting.key == SETTING_KEY))
    if raw is None:
        return None
    try:
        name = json.loads(raw)
    except ValueError:
        return None
    return name if isinstance(name, str) and valid_zone(name) is not None else None


def team_zone_name(session: Session) -> str:
    return stored_zone_name(session) or local_zone_name()


def team_zone(session: Session) -> ZoneInfo:
    """The zone the team's clinical days are counted in."""
    return ZoneInfo(team_zone_name(session))
