"""irae-desktop: a workstation for immunotherapy toxicity consult teams."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("irae-desktop")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

APP_NAME = "irae-desktop"
APP_ORG = "irae-desktop"
