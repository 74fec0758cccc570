"""Alembic migrations applied at start-up: backup first, refuse a newer schema, never guess."""

# The check runs on every start, so it reads the version table with plain SQL and compares it
# with store.schema_version; Alembic (half a second of imports) is loaded only when there is
# work for it: a new database, a migration due, or a revision the constants do not know.

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Engine

from irae_desktop.store.engine import sqlite_path
from irae_desktop.store.errors import NewerSchemaError
from irae_desktop.store.schema_version import HEAD_REVISION, KNOWN_REVISIONS, VERSION_TABLE

if TYPE_CHECKING:
    from alembic.config import Config

SCRIPT_LOCATION = "irae_desktop.store:migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    if engine is not None:
        # configparser reads "%" as interpolation: a quoted "#" or "@" in a path or password
        url = engine.url.render_as_string(hide_password=False)
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
        cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    """The newest schema this version knows (a constant checked against the scripts by a test)."""
    return HEAD_REVISION


def script_revisions() -> tuple[str, list[str]]:
    """What the migration scripts say: their head and every revision, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None, "no migrations shipped"
    return head, [rev.revision for rev in reversed(list(script.walk_revisions()))]


def stored_revisions(engine: Engine) -> list[str]:
    """The rows of the version table: none for a new database, one for a migrated one."""
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, VERSION_TABLE):
            return []
        rows = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars()
        return [str(v) for v in rows]


def current_revision(engine: Engine) -> str | None:
    stored = stored_revisions(engine)
    return stored[0] if len(stored) == 1 else None


def _refuse_unknown(engine: Engine) -> str | None:
    """Alembic's own reading, for a revision the constants do not know: NewerSchemaError if the
    scripts do not know it either."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current is None:
        return None
    head, known = script_revisions()
    if current not in known:
        raise NewerSchemaError(
            "This database was written by a newer version of irae-desktop "
            f"(schema {current}); this version knows schemas up to {head}. "
            "It has not been changed. Please update irae-desktop to open it."
        )
    return current


def check_not_newer(engine: Engine) -> str | None:
    """Raises NewerSchemaError if the database carries a revision this version does not know."""
    stored = stored_revisions(engine)
    if len(stored) == 1 and stored[0] in KNOWN_REVISIONS:
        return stored[0]
    if not stored:
        return None
    return _refuse_unknown(engine)


def backup_sqlite_file(db_file: Path, label: str) -> Path:
    """A consistent copy through SQLite's online backup API, beside the database file."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = db_file.with_name(f"{db_file.stem}.{label}-{stamp}{db_file.suffix}.bak")
    src = sqlite3.connect(db_file)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    target.chmod(0o600)
    return target


def upgrade_to_head(engine: Engine) -> Path | None:
    """Brings the schema to head. Returns the path of the pre-migration backup, if one was taken."""
    current = check_not_newer(engine)
    if current == HEAD_REVISION:
        return None
    from alembic import command

    backup: Path | None = None
    db_file = sqlite_path(engine.url.render_as_string(hide_password=False))
    if current is not None and db_file is not None and db_file.exists():
        backup = backup_sqlite_file(db_file, f"before-migration-from-{current}")
    command.upgrade(alembic_config(engine), "head")
    return backup
