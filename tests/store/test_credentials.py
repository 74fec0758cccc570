"""PostgreSQL passwords come from libpq's password file or PGPASSWORD, and are never saved."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from irae_desktop.store.credentials import (
    password_source,
    refuse_saved_password,
    strip_password,
)
from irae_desktop.store.database import open_database
from irae_desktop.store.errors import DatabaseUnavailableError, StoreError

URL = "postgresql+psycopg://irae_app:s3cret@db.example.org:5432/irae"


def test_strip_and_refuse() -> None:
    assert "s3cret" not in strip_password(URL)
    assert strip_password(URL) == "postgresql+psycopg://irae_app@db.example.org:5432/irae"
    with pytest.raises(StoreError, match="password file") as caught:
        refuse_saved_password(URL)
    assert "s3cret" not in str(caught.value)
    assert refuse_saved_password(strip_password(URL)) == strip_password(URL)


def test_password_source(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "missing"))
    bare = strip_password(URL)
    assert "none found" in password_source(bare)
    assert "not saved" in password_source(URL)
    (tmp_path / "pgpass").write_text("*:*:*:irae_app:x\n", encoding="utf-8")
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "pgpass"))
    assert "password file" in password_source(bare)
    monkeypatch.setenv("PGPASSWORD", "x")
    assert "PGPASSWORD" in password_source(bare)
    assert password_source("sqlite:///x.sqlite3") == "no password needed"


def _split(url: str) -> tuple[str, str]:
    parsed = make_url(url)
    assert parsed.password is not None
    return strip_password(url), str(parsed.password)


def test_connects_with_password_file(
    pg_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bare, password = _split(pg_url)
    parsed = make_url(pg_url)
    pgpass = tmp_path / "pgpass"
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))

    def write(secret: str) -> None:
        line = f"{parsed.host}:{parsed.port or 5432}:*:{parsed.username}:{secret}\n"
        pgpass.write_text(line, encoding="utf-8")
        pgpass.chmod(0o600)  # libpq ignores a password file others can read

    # the server checks passwords: a wrong one in the file is refused, in plain words
    write(f"not-{password}")
    with pytest.raises(DatabaseUnavailableError, match="refused the user name or password"):
        open_database(bare)
    write(password)
    db = open_database(bare)
    try:
        assert password not in db.display_name()
    finally:
        db.dispose()
    assert _connected_user(bare) == parsed.username


def _connected_user(url: str) -> str:
    db = open_database(url)
    try:
        with db.read() as s:
            return str(s.execute(text("SELECT current_user")).scalar())
    finally:
        db.dispose()


def test_connects_with_pgpassword(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    bare, password = _split(pg_url)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")
    # the server checks passwords: a wrong one in PGPASSWORD is refused, in plain words
    monkeypatch.setenv("PGPASSWORD", f"not-{password}")
    with pytest.raises(DatabaseUnavailableError, match="refused the user name or password"):
        open_database(bare)
    monkeypatch.setenv("PGPASSWORD", password)
    assert _connected_user(bare) == make_url(pg_url).username


def test_password_file_is_where_libpq_looks_on_each_system(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import sys

    from irae_desktop.store.credentials import password_file

    monkeypatch.delenv("PGPASSFILE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(sys, "platform", "linux")
    assert password_file() == tmp_path / "home" / ".pgpass"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    assert password_file() == tmp_path / "Roaming" / "postgresql" / "pgpass.conf"
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "chosen"))
    assert password_file() == tmp_path / "chosen"
