"""`irae-desktop settings [show | set KEY VALUE]`: the team settings kept with the data."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from irae_desktop.cli.common import EXIT_OK, EXIT_USAGE, open_db

# the command line's key -> (stored setting, its values on the command line -> as stored)
KEYS: dict[str, tuple[str, dict[str, str] | None]] = {
    "criteria": ("criteria_set", {"ctcae-5.0": "ctcae-5.0", "ctcae-6.0": "ctcae-6.0"}),
    "units": ("units_system", {"us": "US", "si": "SI"}),
    "timezone": ("clinical_timezone", None),
    "paper": ("paper_size", {"letter": "letter", "a4": "a4"}),
}


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "settings",
        help="show or change the team settings",
        description="Show the team settings, or change one. Keys: criteria (ctcae-5.0 | "
        "ctcae-6.0), units (us | si), timezone (IANA name, e.g. Australia/Sydney: the "
        "clinical time zone every day-based rule counts days in), paper (letter | a4). "
        "Changing criteria or timezone regrades every stored result, audited.",
    )
    parser.add_argument("action", nargs="?", choices=("show", "set"), default="show")
    parser.add_argument("key", nargs="?", metavar="KEY")
    parser.add_argument("value", nargs="?", metavar="VALUE")
    parser.set_defaults(run=run)


def _usage(message: str) -> int:
    print(f"irae-desktop: {message}", file=sys.stderr)
    return EXIT_USAGE


def shown(stored: str, value: str) -> str:
    """A stored value as the command line spells it."""
    for name, choices in KEYS.values():
        if name == stored and choices is not None:
            return next((given for given, kept in choices.items() if kept == value), value)
    return value


def to_stored(key: str, value: str) -> tuple[str, str] | str:
    """(setting name, value as stored), or the message for a wrong key or value."""
    if key not in KEYS:
        return f"unknown setting {key!r}; the keys are {', '.join(KEYS)}"
    name, choices = KEYS[key]
    if choices is None:
        from irae_desktop.store.clinical_zone import valid_zone

        if valid_zone(value) is None:
            return (
                f"unknown time zone {value!r}; use an IANA name such as Australia/Sydney "
                "or America/New_York"
            )
        return name, value
    kept = choices.get(value.strip().lower())
    if kept is None:
        return f"{value!r} is not a valid {key}; choose {' or '.join(choices)}"
    return name, kept


def run(args: argparse.Namespace) -> int:
    if args.action == "show" and (args.key is not None or args.value is not None):
        return _usage("settings show takes no key or value")
    change: tuple[str, str] | None = None
    if args.action == "set":
        if args.key is None or args.value is None:
            return _usage("settings set needs a KEY and a VALUE")
        found = to_stored(args.key, args.value)
        if isinstance(found, str):
            return _usage(found)
        change = found
    from irae_desktop.store import settings as team
    from irae_desktop.store.audit import current_user
    from irae_desktop.store.concurrency import write_with_retry

    db = open_db(args.db)
    try:
        if change is not None:
            name, value = change
            user = current_user()

            def save(session: Any) -> tuple[object, int | None]:
                before = getattr(team.get_settings(session), name)
                team.update_settings(session, user, {name: value}, regrade=False)
                changed = None
                if before != value and name in team.REGRADING_KEYS:
                    why = f"{args.key} changed from {before} to {value} on the command line"
                    changed = team.regrade_everything(session, user, why)
                return before, changed

            # run again from the start if another workstation holds the database
            before, changed = write_with_retry(db, save)
            if before == value:
                print(f"{args.key} is already {shown(name, value)}")
            else:
                print(f"{args.key} changed from {shown(name, before)} to {shown(name, value)}")
            if changed is not None:
                print(f"regraded every stored result: {changed} grades changed")
            return EXIT_OK
        with db.read() as session:
            current = team.get_settings(session)
        for key, (name, _choices) in KEYS.items():
            print(f"{key}\t{shown(name, getattr(current, name))}")
    finally:
        db.dispose()
    return EXIT_OK
