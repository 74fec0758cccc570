"""`irae-desktop backup` (being built; see shared/DESIGN.md for its contract)."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    parser = sub.add_parser("backup", help="(not available yet)")
    parser.add_argument("rest", nargs=argparse.REMAINDER)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    print("irae-desktop: 'backup' is not available in this build yet", file=sys.stderr)
    return 2
