"""Entry point: runs a subcommand, or starts the GUI when the command line names none."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from irae_desktop.cli.common import EXIT_USAGE, UsageError, fail_with


def subcommands() -> tuple[ModuleType, ...]:
    """The command modules, in the order `--help` lists them; imported only when a command
    line names more than the database (opening the window needs none of them)."""
    from irae_desktop.cli import (
        admin_cmd,
        alerts_cmd,
        audit_cmd,
        backup_cmd,
        demo_cmd,
        grade_cmd,
        handoff_cmd,
        held_cmd,
        import_cmd,
        labs_cmd,
        outcomes_cmd,
        ranges_cmd,
        report_cmd,
        screenings_cmd,
        settings_cmd,
        treatments_cmd,
    )

    return (
        demo_cmd,
        import_cmd,
        labs_cmd,
        treatments_cmd,
        screenings_cmd,
        outcomes_cmd,
        held_cmd,
        alerts_cmd,
        grade_cmd,
        ranges_cmd,
        report_cmd,
        handoff_cmd,
        backup_cmd,
        settings_cmd,
        audit_cmd,
        admin_cmd,
    )


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


class _VersionAction(argparse.Action):
    """--version: looks the installed version up only when asked (start-up stays quick)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any) -> None:
        import irae_desktop

        print(f"irae-desktop {irae_desktop.__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="irae-desktop",
        description="Immunotherapy toxicity consult workstation. "
        "With no command, opens the window.",
    )
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL (SQLAlchemy form); default: IRAE_DB_URL, else an SQLite file "
        "in the user data directory",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in subcommands():
        module.register(sub)
    return parser


def _utf8_output() -> None:
    """CSV, JSON and messages are UTF-8 wherever they go.

    Redirected to a file or a pipe, Python writes in the locale's code page (cp1252 on many
    Windows machines), which cannot carry every name or unit (µ, ≥, ×) and would fail mid-export.
    """
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


def window_database(argv: Sequence[str]) -> tuple[bool, str | None]:
    """Whether the command line only opens the window (nothing, or `--db URL` alone), and the
    database it names. Anything more (a command, --help, --version, a mistake) is the parser's."""
    if not argv:
        return True, None
    if len(argv) == 2 and argv[0] == "--db" and argv[1] and not argv[1].startswith("-"):
        return True, argv[1]
    if len(argv) == 1 and argv[0].startswith("--db=") and len(argv[0]) > len("--db="):
        return True, argv[0][len("--db=") :]
    return False, None


def _open_window(db_url: str | None) -> int:
    from irae_desktop.process_settings import pause_collector_for_start_up

    # first: the start is quicker without the collector walking the modules as they load
    pause_collector_for_start_up()  # resumed by run_gui once the worklist shows
    from irae_desktop.ui.app import run_gui

    return run_gui(db_url=db_url)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    opens_window, db_url = window_database(arguments)
    if opens_window:  # the commands' parser, never used by the window, is not even built
        return _open_window(db_url)
    args = build_parser().parse_args(arguments)
    if args.command is None:  # only the database named, another way (`--db URL` twice, ...)
        return _open_window(args.db)
    from irae_desktop.app_logging import setup_logging

    setup_logging()
    _utf8_output()
    try:
        return int(args.run(args))
    except UsageError as exc:
        print(f"irae-desktop: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # last line of defence: a plain message, the rest to the log
        return fail_with(exc)


if __name__ == "__main__":
    raise SystemExit(main())
