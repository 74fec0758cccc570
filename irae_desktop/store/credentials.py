"""Where a PostgreSQL password comes from: libpq's password file or PGPASSWORD, never our files.

The app saves a database address (for example in its settings) only without the password.
The password lives in libpq's password file (~/.pgpass; on Windows
%APPDATA%\\postgresql\\pgpass.conf; or the file named by PGPASSFILE; readable by its owner only),
which the PostgreSQL driver reads by itself when the address carries no password; PGPASSWORD
works too for scripts. A password written inside an address given on the command line still works
for that run but is never stored or shown.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from irae_desktop.store.errors import StoreError


def strip_password(url: str) -> str:
    """The address with any password removed (safe to save and to show)."""
    parsed = make_url(url)
    if parsed.password is None:
        return url
    bare = URL.create(
        parsed.drivername,
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    )
    return bare.render_as_string(hide_password=False)


def has_password(url: str) -> bool:
    return make_url(url).password is not None


def password_file() -> Path:
    """The file libpq reads: PGPASSFILE, else its per-system default."""
    explicit = os.environ.get("PGPASSFILE", "").strip()
    if explicit:
        return Path(explicit).expanduser()
    if sys.platform == "win32":
        appdata = os.environ.get("APPDATA", "").strip()
        base = Path(appdata) if appdata else Path.home() / "AppData" / "Roaming"
        return base / "postgresql" / "pgpass.conf"
    return Path.home() / ".pgpass"


def password_source(url: str) -> str:
    """In plain words, where the password for this address will come from."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return "no password needed"
    if parsed.password is not None:
        return "the address itself (not saved)"
    if os.environ.get("PGPASSWORD"):
        return "the PGPASSWORD environment variable"
    if password_file().exists():
        return f"the password file {password_file()}"
    return f"none found (add a line to {password_file()}: host:port:database:user:password)"


def refuse_saved_password(url: str) -> str:
    """Raises StoreError if `url` carries a password; returns it unchanged otherwise.

    For settings dialogs: an address is saved in plain text, so a password may not be in it.
    """
    if has_password(url):
        raise StoreError(
            "Leave the password out of the database address: it would be saved in plain text. "
            f"Put it in your PostgreSQL password file ({password_file()}, readable by you only) "
            "as host:port:database:user:password."
        )
    return url
