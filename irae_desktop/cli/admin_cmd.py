"""`irae-desktop admin ...`: the database owner manages the clinicians' own logins.

admin add-user NAME [--read-only] [--password]
admin disable-user NAME
admin list-users [--format text|csv|json]
admin grant
"""

from __future__ import annotations

import argparse
import csv
import getpass
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from irae_desktop.cli.common import EXIT_OK, UsageError, open_db

if TYPE_CHECKING:
    from irae_desktop.store.database import Database


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "admin",
        help="manage the clinicians' logins to a shared PostgreSQL database (owner only)",
        description="For the owner of a team's PostgreSQL database (with the CREATEROLE "
        "right): give each clinician a login of their own, in the group that may write or the "
        "one that may only read; disable a login; list them; grant the groups their rights "
        "again after an upgrade. The app stores no password: use libpq's password file, "
        "PGPASSWORD, or the server's own sign-in (Kerberos/GSSAPI, client certificates).",
    )
    actions = parser.add_subparsers(dest="admin_action", metavar="ACTION", required=True)
    add = actions.add_parser("add-user", help="create or enable a login and put it in a group")
    add.add_argument("name", metavar="NAME", help="the database user name (the role)")
    add.add_argument("--read-only", action="store_true", help="may read but not change data")
    add.add_argument(
        "--password",
        action="store_true",
        help="ask for a password (twice) and set it, sent hashed; leave it out when the "
        "server signs people in by Kerberos or certificates, or to keep an existing one",
    )
    add.set_defaults(run=_add)
    disable = actions.add_parser(
        "disable-user", help="stop a login from connecting and end its sessions"
    )
    disable.add_argument("name", metavar="NAME")
    disable.set_defaults(run=_disable)
    listing = actions.add_parser("list-users", help="the logins of this database")
    listing.add_argument("--format", choices=("text", "csv", "json"), default="text")
    listing.set_defaults(run=_list)
    grant = actions.add_parser(
        "grant", help="grant the two groups their rights again (after every upgrade)"
    )
    grant.set_defaults(run=_grant)


def _ask_password(name: str) -> str:
    first = getpass.getpass(f"Password for {name}: ")
    if not first:
        raise UsageError("an empty password was given; nothing was changed")
    if getpass.getpass("Again: ") != first:
        raise UsageError("the two passwords differ; nothing was changed")
    return first


def _refuse_sqlite(url: str) -> None:
    from sqlalchemy.engine import make_url

    from irae_desktop.store.paths import resolve_db_url

    if make_url(resolve_db_url(url)).get_backend_name() != "postgresql":
        raise UsageError(
            "admin commands manage the logins of a shared PostgreSQL database; give its "
            "address with --db or IRAE_DB_URL"
        )


@contextmanager
def _team_db(url: str) -> Iterator[Database]:
    """The team's PostgreSQL database, refused before it is opened if it is an SQLite file."""
    _refuse_sqlite(url)
    db = open_db(url)
    try:
        yield db
    finally:
        db.dispose()


def _add(args: argparse.Namespace) -> int:
    from irae_desktop.store.pg_users import add_user

    _refuse_sqlite(args.db)  # before the password is asked for
    password = _ask_password(args.name) if args.password else None
    with _team_db(args.db) as db:
        user = add_user(db, args.name, read_only=args.read_only, password=password)
    print(f"{user.name} may now sign in, {user.access}.")
    return EXIT_OK


def _disable(args: argparse.Namespace) -> int:
    from irae_desktop.store.pg_users import disable_user

    with _team_db(args.db) as db:
        ended = disable_user(db, args.name)
    print(f"{args.name} may no longer sign in; {ended} open session(s) ended.")
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    from irae_desktop.store.pg_users import list_users

    with _team_db(args.db) as db:
        users = list_users(db)
    rows = [{"name": u.name, "access": u.access, "enabled": u.enabled} for u in users]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False))
    elif args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(("name", "access", "enabled"))
        for u in users:
            writer.writerow((u.name, u.access, "true" if u.enabled else "false"))
    else:
        for u in users:
            print(f"{u.name}\t{u.access}\t{'enabled' if u.enabled else 'disabled'}")
    return EXIT_OK


def _grant(args: argparse.Namespace) -> int:
    from irae_desktop.store.pg_users import grant_groups

    with _team_db(args.db) as db:
        groups = grant_groups(db)
    print(f"Rights granted to {groups.writers} (read and write) and {groups.readers} (read only).")
    return EXIT_OK
