"""`irae-desktop demo`: adds the synthetic demonstration patients (idempotent)."""

from __future__ import annotations

import argparse
from typing import Any

from irae_desktop.cli.common import EXIT_OK, open_db


def register(sub: Any) -> None:
    parser = sub.add_parser("demo", help="add the synthetic demonstration patients (idempotent)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from irae_desktop.store.demo import add_demo_patients

    db = open_db(args.db)
    try:
        added = add_demo_patients(db)
    finally:
        db.dispose()
    if added:
        print(f"Added {len(added)} synthetic demonstration patients: {', '.join(added)}")
    else:
        print("The demonstration patients are already present; nothing added.")
    print(f"Database: {db.display_name()}")
    return EXIT_OK
