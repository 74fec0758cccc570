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
