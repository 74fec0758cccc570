"""Where the app keeps its files by default (platformdirs); nothing is created at import time."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import PlatformDirs

_DIRS = PlatformDirs(appname="irae-desktop", appauthor="irae-desktop")

DB_URL_ENV = "IRAE_DB_URL"


def data_dir() -> Path:
    return Path(_DIRS.user_data_dir)


def log_dir() -> Path:
    return Path(_DIRS.user_log_dir)


def backup_dir() -> Path:
    return data_dir() / "backups"


def default_db_path() -> Path:
    return data_dir() / "irae.sqlite3"


def default_db_url() -> str:
    return f"sqlite:///{default_db_path()}"


def resolve_db_url(explicit: str | None) -> str:
    """The `--db` option wins, then IRAE_DB_URL, then the SQLite file in the user data directory."""
    if explicit:
        return explicit
    env = os.environ.get(DB_URL_ENV, "").strip()
    return env or default_db_url()


def validate_db_url(text: str) -> str:
    """Accepts an SQLite file path or an SQLAlchemy URL; returns the URL to store."""
    # imported here: this module is read at start-up, before the database machinery is needed
    from sqlalchemy.engine import make_url

    from irae_desktop.store.credentials import refuse_saved_password
    from irae_desktop.store.errors import StoreError

    text = text.strip()
    if not text:
        return ""
    if "://" not in text:
        return f"sqlite:///{text}"
    try:
        url = make_url(text)
    except Exception as exc:
        raise StoreError(f"{text!r} is not a database URL.") from exc
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError("Only SQLite files and PostgreSQL servers are supported.")
    # the address is kept in plain text on this computer: a password may not be part of it
    return refuse_saved_password(text)
