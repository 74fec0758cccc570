"""A throwaway PostgreSQL team database with clinicians' own logins, removed afterwards.

Role names are cluster-wide, so every login and group a test creates carries a random suffix,
and all of them are dropped after the test, once the database (and with it their rights on it)
is gone. The owner in IRAE_TEST_PG_URL needs CREATEROLE (.ci/start-postgres.sh gives it).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from irae_desktop.store.database import Database, open_database
from irae_desktop.store.pg_roles import quote_name, team_groups
from irae_desktop.store.pg_users import add_user

PASSWORD = "team-test-pw"


@dataclass
class PgTeam:
    """The owner's URL of one scratch database, and the logins made on it."""

    owner_url: str
    admin_url: str
    made: list[str] = field(default_factory=list)

    def name(self, stem: str) -> str:
        """A unique role name starting with `stem` (alice -> alice_3f2a...)."""
        return f"{stem}_{uuid.uuid4().hex[:8]}"

    def url_for(self, user: str, password: str = PASSWORD) -> str:
        url = make_url(self.owner_url).set(username=user, password=password)
        return url.render_as_string(hide_password=False)

    def owner(self) -> Database:
        return open_database(self.owner_url)

    def add(self, stem: str, *, read_only: bool = False) -> str:
        """A new clinician with the test password; returns the role name."""
        user = self.name(stem)
        self.made.append(user)
        db = self.owner()
        try:
            add_user(db, user, read_only=read_only, password=PASSWORD)
        finally:
            db.dispose()
        return user

    def drop_all(self) -> None:
        database = str(make_url(self.owner_url).database)
        groups = team_groups(database)
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {quote_name(database)} WITH (FORCE)"))
                for role in (*self.made, groups.writers, groups.readers):
                    conn.execute(text(f"DROP ROLE IF EXISTS {quote_name(role)}"))
        finally:
            engine.dispose()
