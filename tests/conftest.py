"""Shared fixtures: throwaway SQLite and PostgreSQL databases, sample file paths, offscreen Qt."""

from __future__ import annotations

import os
import sys
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.pg_team import PgTeam

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SAMPLES = Path(__file__).resolve().parent / "fixtures" / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

PG_URL_ENV = "IRAE_TEST_PG_URL"
# set (to 1) by a CI job that runs on purpose without a PostgreSQL server (Windows, macOS)
PG_SKIP_ENV = "IRAE_TEST_SKIP_PG"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test touches the real user data, config or log directories."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("IRAE_DB_URL", raising=False)
    if sys.platform != "linux":
        # platformdirs reads the XDG variables on Linux only; elsewhere the app would find the
        # real profile folders, so it is given the Linux layout, which follows them
        from platformdirs.unix import Unix

        from irae_desktop.store import paths

        monkeypatch.setattr(paths, "_DIRS", Unix(appname="irae-desktop", appauthor="irae-desktop"))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'irae.sqlite3'}"


def _pg_admin_url() -> str | None:
    url = os.environ.get(PG_URL_ENV)
    # CI must not skip them by accident; a CI job without a server says so with PG_SKIP_ENV
    if not url and os.environ.get("CI") and not os.environ.get(PG_SKIP_ENV):
        raise RuntimeError(f"{PG_URL_ENV} must be set in CI: PostgreSQL tests may not be skipped")
    return url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    admin = _pg_admin_url()
    if not admin:
        pytest.skip(f"no PostgreSQL server ({PG_URL_ENV} not set)")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"irae_t_{uuid.uuid4().hex[:12]}"
    admin_engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin).set(database=name).render_as_string(hide_password=False)
    finally:
        try:
            with admin_engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        except Exception as exc:  # a leftover scratch database is harmless
            warnings.warn(f"could not drop scratch database {name}: {exc}", stacklevel=1)
        admin_engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Runs a test once on SQLite and once on a real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'irae.sqlite3'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def db(sqlite_url: str):  # type: ignore[no-untyped-def]
    from irae_desktop.store.database import open_database

    database = open_database(sqlite_url)
    yield database
    database.dispose()


@pytest.fixture
def pg_team(pg_url: str) -> Iterator[PgTeam]:
    """`tests/pg_team.PgTeam` on a fresh PostgreSQL database: its logins dropped afterwards."""
    from sqlalchemy import create_engine, text

    from tests.pg_team import PgTeam

    engine = create_engine(pg_url)
    try:
        with engine.connect() as conn:
            may = conn.scalar(
                text("SELECT rolcreaterole FROM pg_roles WHERE rolname = current_user")
            )
    finally:
        engine.dispose()
    if not may:
        message = f"the owner in {PG_URL_ENV} lacks CREATEROLE (.ci/start-postgres.sh gives it)"
        if os.environ.get("CI"):
            raise RuntimeError(message)
        pytest.skip(message)
    team = PgTeam(owner_url=pg_url, admin_url=str(_pg_admin_url()))
    try:
        yield team
    finally:
        team.drop_all()
