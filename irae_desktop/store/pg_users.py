"""Clinicians' own PostgreSQL logins: added, disabled and listed by the database owner.

Every clinician connects as a login role of their own, so the server knows who is connected and
stamps it on the audit trail (`session_user`); the role is a member of this database's writers'
or readers' group (`store/pg_roles.py`), which holds the rights. The app never keeps a password:
the owner may set one here (sent to the server already hashed, so it is not written to the
server's log either), or the server authenticates the person by its own means (Kerberos/GSSAPI,
client certificates) and the role needs none.

The owner needs CREATEROLE (given once by a superuser) to create and change roles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from irae_desktop.store.database import Database
from irae_desktop.store.errors import StoreError
from irae_desktop.store.pg_roles import TeamGroups, grant_team_groups, quote_name, team_groups

Access = Literal["read-write", "read-only"]

# letters, digits and . _ - @ (a Kerberos principal may keep its realm); no reserved pg_ prefix
_USER_NAME = re.compile(r"^(?!pg_)[A-Za-z_][A-Za-z0-9_.@-]{0,62}$")
_NO_RIGHT = (
    "Your account may not manage database users. The database owner needs the CREATEROLE right "
    "(a PostgreSQL superuser gives it once: ALTER ROLE owner CREATEROLE)."
)


@dataclass(frozen=True, slots=True)
class DatabaseUser:
    """One clinician's login on this database."""

    name: str
    access: Access
    enabled: bool  # False once disabled: the role exists but may not log in


def _check_name(name: str) -> str:
    if not _USER_NAME.match(name):
        raise StoreError(
            f"{name!r} cannot be a database user name: use letters, digits and . _ - @ "
            "(at most 63), starting with a letter, and not starting with pg_."
        )
    return name


def _require_postgresql(db: Database) -> None:
    if db.backend != "postgresql":
        raise StoreError(
            "Database users exist on a shared PostgreSQL database only; an SQLite file is "
            "protected by the permissions of the file itself."
        )


def _managing(db: Database) -> Connection:
    _require_postgresql(db)
    return db.engine.connect()


def _groups(conn: Connection) -> TeamGroups:
    return team_groups(str(conn.execute(text("SELECT current_database()")).scalar_one()))


def _role_exists(conn: Connection, name: str) -> bool:
    row = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).scalar()
    return row is not None


def grant_groups(db: Database) -> TeamGroups:
    """Creates the two groups if missing and grants them their rights on every table now here."""
    with _managing(db) as conn:
        try:
            with conn.begin():
                return grant_team_groups(conn)
        except DBAPIError as exc:
            raise _refused(exc) from exc


def _refused(exc: DBAPIError) -> StoreError:
    code = getattr(exc.orig, "sqlstate", None)
    if code == "42501":
        return StoreError(_NO_RIGHT)
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    return StoreError(f"The database server refused the change: {detail}")


def add_user(
    db: Database, name: str, *, read_only: bool = False, password: str | None = None
) -> DatabaseUser:
    """Creates the login (or enables an existing role) and puts it in one of the two groups.

    A role that exists already (a clinician on another team's database on the same server)
    keeps its password; `password`, when given, replaces it."""
    _check_name(name)
    with _managing(db) as conn:
        try:
            with conn.begin():
                groups = grant_team_groups(conn)
                role = quote_name(name)
                if _role_exists(conn, name):
                    conn.execute(text(f"ALTER ROLE {role} LOGIN"))
                else:
                    conn.execute(text(f"CREATE ROLE {role} LOGIN"))
                join, leave = (groups.writers, groups.readers)
                if read_only:
                    join, leave = leave, join
                conn.execute(text(f"REVOKE {quote_name(leave)} FROM {role}"))
                conn.execute(text(f"GRANT {quote_name(join)} TO {role}"))
                if password is not None:
                    _set_password(conn, name, password)
        except DBAPIError as exc:
            raise _refused(exc) from exc
    return DatabaseUser(name, "read-only" if read_only else "read-write", True)


def _set_password(conn: Connection, name: str, password: str) -> None:
    """Sends the password hashed by libpq with the server's method, never in clear text."""
    if not password:
        raise StoreError("An empty password cannot be set.")
    raw = conn.connection.dbapi_connection
    pgconn = getattr(raw, "pgconn", None)
    if pgconn is None:
        raise StoreError("Setting a password needs the psycopg driver.")
    hashed = pgconn.encrypt_password(password.encode("utf-8"), name.encode("utf-8")).decode("ascii")
    # the hash holds ':' and '$' only besides base64, so no parameter markers are read into it
    conn.exec_driver_sql(f"ALTER ROLE {quote_name(name)} PASSWORD '{hashed}'")


def disable_user(db: Database, name: str) -> int:
    """Takes the right to log in away and ends the user's open sessions on this database.

    Returns how many sessions were ended. The role and its history stay."""
    _check_name(name)
    with _managing(db) as conn:
        try:
            with conn.begin():
                groups = _groups(conn)
                if name not in {u.name for u in _listed(conn, groups)}:
                    raise StoreError(f"{name} is not a user of this database.")
                conn.execute(text(f"ALTER ROLE {quote_name(name)} NOLOGIN"))
        except DBAPIError as exc:
            raise _refused(exc) from exc
        try:
            with conn.begin():
                ended = conn.execute(
                    text(
                        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) "
                        "FROM pg_stat_activity "
                        "WHERE usename = :n AND datname = current_database()"
                    ),
                    {"n": name},
                ).scalar_one()
        except DBAPIError as exc:
            raise StoreError(
                f"{name} may no longer sign in, but their open sessions could not be ended: "
                "the owner needs the pg_signal_backend right for that (a superuser grants it: "
                "GRANT pg_signal_backend TO owner); they end when those programs close."
            ) from exc
    return int(ended)


def _listed(conn: Connection, groups: TeamGroups) -> list[DatabaseUser]:
    rows = conn.execute(
        text(
            "SELECT u.rolname, g.rolname = :writers, u.rolcanlogin "
            "FROM pg_auth_members m "
            "JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
            "WHERE g.rolname IN (:writers, :readers) ORDER BY u.rolname"
        ),
        {"writers": groups.writers, "readers": groups.readers},
    )
    seen: dict[str, DatabaseUser] = {}
    for name, writes, can_login in rows:
        access: Access = "read-write" if writes else "read-only"
        if name not in seen or writes:  # in both groups: it may write
            seen[name] = DatabaseUser(str(name), access, bool(can_login))
    return list(seen.values())


def list_users(db: Database) -> list[DatabaseUser]:
    """The members of this database's two groups, by name."""
    with _managing(db) as conn:
        return _listed(conn, _groups(conn))
