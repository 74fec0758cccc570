"""Allows `python -m irae_desktop`."""

from irae_desktop.cli.main import main

raise SystemExit(main())
