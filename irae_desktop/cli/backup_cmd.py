"""`irae-desktop backup FILE`: a consistent, checked copy of the database, written while in use."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from irae_desktop.cli.common import EXIT_OK, open_db


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "backup",
        help="write a consistent copy of the database to FILE (an SQLite file)",
        description="Writes an online, consistent copy of the database to FILE while others keep "
        "working. The copy is an SQLite file that irae-desktop opens with --db sqlite:///FILE. "
        "For a PostgreSQL database the rows are copied from one consistent snapshot.",
    )
    parser.add_argument("file", metavar="FILE", type=Path, help="where to write the copy")
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from irae_desktop.store.backup import backup_database

    db = open_db(args.db)
    try:
        result = backup_database(db, args.file, overwrite=args.force)
    finally:
        db.dispose()
    size_mb = result.size_bytes / 1_000_000
    print(f"Backup written to {result.path} ({size_mb:.1f} MB), checked and readable.")
    return EXIT_OK
