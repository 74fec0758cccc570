"""Opens a database: engine, schema check, migrations, and sessions for readers and writers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from irae_desktop.store.access import (
    READ_ONLY_MESSAGE,
    DatabaseReadOnlyError,
    probe_write_access,
)
from irae_desktop.store.credentials import password_file
from irae_desktop.store.engine import make_engine, make_session_factory, sqlite_path
from irae_desktop.store.error_codes import classified, classify
from irae_desktop.store.errors import DatabaseUnavailableError
from irae_desktop.store.migrate import upgrade_to_head
from irae_desktop.store.paths import resolve_db_url


@dataclass
class Database:
    """One open database. Use `read()` for queries and `write()` for a unit of work."""

    url: str
    engine: Engine
    migration_backup: Path | None = None
    # set when this user may read but not write (file or server permissions); the UI shows it
    read_only: bool = False
    _reader: sessionmaker[Session] = field(init=False, repr=False)
    _writer: sessionmaker[Session] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._reader = make_session_factory(self.engine)
        self._writer = make_session_factory(self.engine, writer=True)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @property
    def sqlite_file(self) -> Path | None:
        return sqlite_path(self.url)

    def display_name(self) -> str:
        """The location without any password, for window titles and messages."""
        return self.engine.url.render_as_string(hide_password=True)

    # The store boundary: a driver failure leaving read() or write() is re-raised as its
    # DatabaseFailure class (irae_desktop.store.error_codes); anything else passes unchanged.
    @contextmanager
    def read(self) -> Iterator[Session]:
        with classified(), self._reader() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits on success and rolls back on any exception."""
        if self.read_only:
            raise DatabaseReadOnlyError(READ_ONLY_MESSAGE)
        try:
            with classified(), self._writer() as session, session.begin():
                yield session
        except DatabaseReadOnlyError as exc:
            # refused by the file or the server: the window switches to read-only
            self.read_only = True
            raise type(exc)(READ_ONLY_MESSAGE, code=exc.code) from exc.__cause__

    def signed_in_user(self) -> str:
        """Who the database records for this connection: the PostgreSQL login (session_user),
        or on SQLite the operating-system user."""
        from irae_desktop.store.audit import acting_user, current_user

        if self.backend != "postgresql":
            return current_user()
        with self.read() as session:
            return acting_user(session)

    def session_factory(self, *, writer: bool = False) -> sessionmaker[Session]:
        return self._writer if writer else self._reader

    def dispose(self) -> None:
        self.engine.dispose()


# An open unit of work from Database.read() or write(). ui/ and reports/ pass it on to store
# functions and never look inside: what it is belongs to the store.
StoreSession = Session


@contextmanager
def reading(source: Database | StoreSession) -> Iterator[StoreSession]:
    """A read session: the caller's own, or a new one from the database."""
    if isinstance(source, Database):
        with source.read() as session:
            yield session
    else:
        yield source


@contextmanager
def writing(source: Database | StoreSession) -> Iterator[StoreSession]:
    """A database's own write transaction (committed at the end), or the caller's session
    (flushed at the end; the caller commits)."""
    if isinstance(source, Database):
        with source.write() as session:
            yield session
    else:
        yield source
        source.flush()


def _describe_connect_failure(url: str, exc: Exception) -> str:
    detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else ""
    where = make_engine_safe_name(url)
    lowered = detail.lower()
    if "password authentication failed" in lowered or "authentication" in lowered:
        return (
            f"The database server at {where} refused the user name or password. "
            f"Check the entry in your PostgreSQL password file ({password_file()}) or PGPASSWORD."
        )
    if "could not connect" in lowered or "connection refused" in lowered or "timeout" in lowered:
        return f"The database server at {where} cannot be reached ({detail})."
    if "permission denied" in lowered:
        return (
            f"Your account may not use the database at {where} as it stands ({detail}). "
            "Ask the database administrator to upgrade its schema and grant your role access."
        )
    if "unable to open database file" in lowered:
        return (
            f"The database file {where} cannot be opened: check the folder exists and is writable."
        )
    return f"The database at {where} cannot be opened: {detail}"


def make_engine_safe_name(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def open_database(url: str | None = None, *, migrate: bool = True) -> Database:
    """Connects, checks the schema version and applies pending migrations (backup first)."""
    resolved = resolve_db_url(url)
    engine = make_engine(resolved)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        backup = upgrade_to_head(engine) if migrate else None
    except (OperationalError, DBAPIError) as exc:
        engine.dispose()
        failure = classify(exc)
        raise DatabaseUnavailableError(
            _describe_connect_failure(resolved, exc), code=failure.code if failure else ""
        ) from exc
    except Exception:
        engine.dispose()
        raise
    return Database(
        url=resolved,
        engine=engine,
        migration_backup=backup,
        read_only=not probe_write_access(engine),
    )
