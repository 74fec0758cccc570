"""Registers the bundled DejaVu fonts with reportlab so µ, ≥, ≤, × and accented names print."""

from __future__ import annotations

import importlib.resources
from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

SANS = "DejaVuSans"
SANS_BOLD = "DejaVuSans-Bold"
SANS_OBLIQUE = "DejaVuSans-Oblique"
CONDENSED = "DejaVuSansCondensed"
CONDENSED_BOLD = "DejaVuSansCondensed-Bold"

_FILES = (SANS, SANS_BOLD, SANS_OBLIQUE, CONDENSED, CONDENSED_BOLD)


class FontsMissingError(RuntimeError):
    """The installation lacks its font files (a damaged or incomplete install)."""


@cache
def register_fonts() -> None:
    """Loads the TrueType files once per process; later calls are free."""
    fonts = importlib.resources.files("irae_desktop.resources") / "fonts"
    for name in _FILES:
        resource = fonts / f"{name}.ttf"
        if not resource.is_file():
            raise FontsMissingError(
                f"The font file {name}.ttf is missing from this installation; "
                "reinstall irae-desktop."
            )
        with importlib.resources.as_file(resource) as path:
            pdfmetrics.registerFont(TTFont(name, str(path)))
    # lets <b> and <i> inside Paragraph markup pick the right face
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SANS, 0, 1, SANS_OBLIQUE)
    addMapping(SANS, 1, 1, SANS_BOLD)
    addMapping(CONDENSED, 0, 0, CONDENSED)
    addMapping(CONDENSED, 1, 0, CONDENSED_BOLD)
    addMapping(CONDENSED, 0, 1, CONDENSED)
    addMapping(CONDENSED, 1, 1, CONDENSED_BOLD)
