"""The rights of the roles a team's PostgreSQL database is used through.

Each clinician logs in with a role of their own (`store/pg_users.py`), a member of one of two
group roles that hold the rights: the writers' group may read and write the clinical tables but
only add to the audit trail, never change or remove it; the readers' group may only read. The
owner role runs the migrations. New tables are not covered by earlier grants, so the owner
grants again after every schema upgrade (`irae-desktop admin grant`).

Role names are cluster-wide while rights are per database, so the groups are named after the
database: one server may carry several teams' databases, each with its own two groups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

AUDIT_TABLE = "audit_events"
# written only by the database's own triggers (migration 0011); nobody writes it directly
HISTORY_TABLE = "row_history"
VERSION_TABLE = "alembic_version"
_ROLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
_MAX_NAME = 63  # PostgreSQL cuts identifiers at 63 bytes


def quote_name(name: str) -> str:
    """A role or database name as a quoted SQL identifier (any characters are safe in it)."""
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True, slots=True)
class TeamGroups:
    """The two group roles of one database."""

    writers: str
    readers: str


def team_groups(database: str) -> TeamGroups:
    """The group names for `database`: its name with _writers or _readers."""
    stem = database.encode("utf-8")[: _MAX_NAME - len("_writers")].decode("utf-8", "ignore")
    return TeamGroups(writers=f"{stem}_writers", readers=f"{stem}_readers")


def grant_statements(
    role: str,
    database: str,
    schema: str = "public",
    *,
    write: bool = True,
    history: bool = False,
) -> list[str]:
    """The statements, in order (shown to a DBA who prefers to run them by hand).

    `write` False grants reading only; `history` True when the row history table exists."""
    if not _ROLE.match(role) or not _ROLE.match(schema):
        raise ValueError(f"not a plain role or schema name: {role!r}, {schema!r}")
    return _statements(quote_name(role), quote_name(database), quote_name(schema), write, history)


def _statements(r: str, db: str, sch: str, write: bool, history: bool) -> list[str]:
    out = [f"GRANT CONNECT ON DATABASE {db} TO {r}", f"GRANT USAGE ON SCHEMA {sch} TO {r}"]
    if not write:
        return [
            *out,
            f"GRANT SELECT ON ALL TABLES IN SCHEMA {sch} TO {r}",
            f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA {sch} FROM {r}",
        ]
    out += [
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {sch} TO {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {sch} TO {r}",
        # the trail: add and read only
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {sch}.{AUDIT_TABLE} FROM {r}",
        # only the owner moves the schema version
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {sch}.{VERSION_TABLE} FROM {r}",
    ]
    if history:
        out.append(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {sch}.{HISTORY_TABLE} FROM {r}")
    return out


def _has_history(conn: Connection, schema: str) -> bool:
    found = conn.execute(
        text("SELECT to_regclass(:name)"), {"name": f"{quote_name(schema)}.{HISTORY_TABLE}"}
    ).scalar()
    return found is not None


def _require_postgresql(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        raise ValueError("roles and grants exist on PostgreSQL only")


def grant_application_role(engine: Engine, role: str, schema: str = "public") -> None:
    """Grants `role` what a workstation needs; run as the owner of the schema, after migrations."""
    _require_postgresql(engine)
    with engine.begin() as conn:
        database = str(conn.execute(text("SELECT current_database()")).scalar_one())
        for statement in grant_statements(
            role, database, schema, history=_has_history(conn, schema)
        ):
            conn.execute(text(statement))


def grant_team_groups(conn: Connection, schema: str = "public") -> TeamGroups:
    """Creates this database's two groups if missing and grants them their rights afresh.

    Also takes the right to connect away from PUBLIC, so only the groups' members (and roles
    granted it by name) may connect at all. Runs in the caller's transaction."""
    database = str(conn.execute(text("SELECT current_database()")).scalar_one())
    groups = team_groups(database)
    for name in (groups.writers, groups.readers):
        exists = conn.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name}
        ).scalar()
        if not exists:
            conn.execute(text(f"CREATE ROLE {quote_name(name)} NOLOGIN"))
    history = _has_history(conn, schema)
    db, sch = quote_name(database), quote_name(schema)
    conn.execute(text(f"REVOKE CONNECT ON DATABASE {db} FROM PUBLIC"))
    for name, write in ((groups.writers, True), (groups.readers, False)):
        for statement in _statements(quote_name(name), db, sch, write, history):
            conn.execute(text(statement))
    return groups
