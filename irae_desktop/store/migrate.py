"""Alembic migrations applied at start-up: backup first, refuse a newer schema, never guess."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from irae_desktop.store.engine import sqlite_path
from irae_desktop.store.errors import NewerSchemaError

SCRIPT_LOCATION = "irae_desktop.store:migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    if engine is not None:
        # configparser reads "%" as interpolation: a quoted "#" or "@" in a path or password
        url = engine.url.render_as_string(hide_password=False)
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
        cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations shipped"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_not_newer(engine: Engine) -> str | None:
    """Raises NewerSchemaError if the database carries a revision this version does not know."""
    current = current_revision(engine)
    if current is None:
        return None
    script = ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    if current not in known:
        raise NewerSchemaError(
            "This database was written by a newer version of irae-desktop "
            f"(schema {current}); this version knows schemas up to {head_revision()}. "
            "It has not been changed. Please update irae-desktop to open it."
        )
    return current


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
    head = head_revision()
    if current == head:
        return None
    backup: Path | None = None
    db_file = sqlite_path(engine.url.render_as_string(hide_password=False))
    if current is not None and db_file is not None and db_file.exists():
        backup = backup_sqlite_file(db_file, f"before-migration-from-{current}")
    command.upgrade(alembic_config(engine), "head")
    return backup
