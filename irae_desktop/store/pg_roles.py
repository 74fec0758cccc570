"""SQL a database administrator runs once per PostgreSQL database to set up the application role.

Workstations connect as a plain role (for example ``irae_app``) that may read and write the
clinical tables but can only add to the audit trail, never change or remove it; the owner role
runs the migrations. Run `grant_application_role` again after every schema upgrade, because new
tables are not covered by earlier grants::

    python -c "from sqlalchemy import create_engine; from irae_desktop.store.pg_roles import \\
    grant_application_role as g; g(create_engine('postgresql+psycopg://owner@host/db'), 'irae_app')"
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.engine import Engine

AUDIT_TABLE = "audit_events"
VERSION_TABLE = "alembic_version"
_ROLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def grant_statements(role: str, database: str, schema: str = "public") -> list[str]:
    """The statements, in order (shown to a DBA who prefers to run them by hand)."""
    if not _ROLE.match(role) or not _ROLE.match(schema):
        raise ValueError(f"not a plain role or schema name: {role!r}, {schema!r}")
    r, sch, db = f'"{role}"', f'"{schema}"', '"' + database.replace('"', '""') + '"'
    return [
        f"GRANT CONNECT ON DATABASE {db} TO {r}",
        f"GRANT USAGE ON SCHEMA {sch} TO {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {sch} TO {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {sch} TO {r}",
        # the trail: add and read only
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {sch}.{AUDIT_TABLE} FROM {r}",
        # only the owner moves the schema version
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {sch}.{VERSION_TABLE} FROM {r}",
    ]


def grant_application_role(engine: Engine, role: str, schema: str = "public") -> None:
    """Grants `role` what a workstation needs; run as the owner of the schema, after migrations."""
    if engine.dialect.name != "postgresql":
        raise ValueError("application roles exist on PostgreSQL only")
    with engine.begin() as conn:
        database = conn.execute(text("SELECT current_database()")).scalar_one()
        for statement in grant_statements(role, str(database), schema):
            conn.execute(text(statement))
