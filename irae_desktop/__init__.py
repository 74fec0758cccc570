"""irae-desktop: a workstation for immunotherapy toxicity consult teams."""

from __future__ import annotations

APP_NAME = "irae-desktop"
APP_ORG = "irae-desktop"


def __getattr__(name: str) -> str:
    # the installed version is looked up only when asked for: reading the package metadata
    # costs tens of milliseconds of every start-up
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("irae-desktop")
        except PackageNotFoundError:  # a source tree that was never installed
            return "0.0.0+source"
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
