"""Entry script of the bundled application: the same command line as the `irae-desktop` command."""

from irae_desktop.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
