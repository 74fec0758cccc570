"""Registers the bundled fonts with reportlab and splits text into runs each font can draw.

DejaVu covers Latin, Greek, Cyrillic, Hebrew and Arabic (including the Arabic presentation
forms); WenQuanYi Micro Hei covers Chinese, Japanese and Korean. A line that mixes scripts
("Zhang Wei 张伟") is drawn run by run, each run in the first font that has its glyphs, so a
patient's name never prints as empty boxes.
"""

from __future__ import annotations

import importlib.resources
import logging
from functools import cache
from importlib.resources.abc import Traversable
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import String
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from irae_desktop.reports.bidi_text import (
    bind_right_to_left_words,
    has_right_to_left,
    visual_order,
)

SANS = "DejaVuSans"
SANS_BOLD = "DejaVuSans-Bold"
SANS_OBLIQUE = "DejaVuSans-Oblique"
CONDENSED = "DejaVuSansCondensed"
CONDENSED_BOLD = "DejaVuSansCondensed-Bold"
# Chinese, Japanese and Korean; one regular face, also used where bold or italic is asked for
CJK = "WenQuanYiMicroHei"

_FILES = (SANS, SANS_BOLD, SANS_OBLIQUE, CONDENSED, CONDENSED_BOLD)

log = logging.getLogger(__name__)


class FontsMissingError(RuntimeError):
    """The installation lacks its font files (a damaged or incomplete install)."""


@cache
def register_fonts() -> tuple[str, ...]:
    """Loads the TrueType files once per process (later calls are free) and returns the
    fallback fonts, in the order they are tried after the face asked for."""
    return register_from(importlib.resources.files("irae_desktop.resources") / "fonts")


def register_from(fonts: Traversable) -> tuple[str, ...]:
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
    # SANS first because DejaVu Sans Oblique lacks the Arabic letters the upright face has
    fallbacks = [SANS]
    resource = fonts / f"{CJK}.ttf"
    if resource.is_file():
        with importlib.resources.as_file(resource) as path:
            pdfmetrics.registerFont(TTFont(CJK, str(path)))
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(CJK, bold, italic, CJK)
        fallbacks.append(CJK)
    else:
        # everything else still prints; a damaged install should not stop a handoff
        log.warning(
            "The font file %s.ttf is missing from this installation: Chinese, Japanese and "
            "Korean characters will print as empty boxes. Reinstall irae-desktop.",
            CJK,
        )
    return tuple(fallbacks)


@cache
def _covered(font_name: str) -> frozenset[int]:
    """The code points the registered font has a glyph for."""
    register_fonts()
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph)


def _joins_previous(char: str) -> bool:
    # spaces and marks stay with the run they sit in, so a name is not cut into many runs
    return char.isspace() or 0x0300 <= ord(char) <= 0x036F or 0x064B <= ord(char) <= 0x065F


def font_for(char: str, font_name: str) -> str | None:
    """The first font, starting with the one asked for, that has a glyph for char."""
    for name in (font_name, *register_fonts()):
        if ord(char) in _covered(name):
            return name
    return None


def font_runs(text: str, font_name: str) -> list[tuple[str, str]]:
    """Splits text (already in visual order) into (run, font) pieces, each drawable whole.

    A character no bundled font has stays in the font asked for and is logged once, so the
    page still prints (as a box for that character) instead of failing.
    """
    runs: list[tuple[str, str]] = []
    current = font_name
    piece = ""
    for char in text:
        if piece and _joins_previous(char) and ord(char) in _covered(current):
            piece += char
            continue
        chosen = font_for(char, font_name)
        if chosen is None:
            _warn_uncovered(char)
            chosen = font_name
        if chosen != current and piece:
            runs.append((piece, current))
            piece = ""
        current = chosen
        piece += char
    if piece:
        runs.append((piece, current))
    return runs


@cache
def _warn_uncovered(char: str) -> None:
    log.warning(
        "No bundled font has a glyph for %r (U+%04X); it prints as an empty box.",
        char,
        ord(char),
    )


def paragraph_markup(
    text: str,
    font_name: str = SANS,
    *,
    size: float | None = None,
    width: float | None = None,
    taken: float = 0.0,
) -> str:
    """Escaped Paragraph markup for one line of data text: visual order, fallback runs tagged.

    Runs the base family lacks are wrapped in <font name=...>; the rest inherit the
    paragraph's own face, so <b> and <i> around the result keep working.

    Given the font size and the width the paragraph wraps at (and what the first line already
    holds before this text), text with right-to-left letters is broken into lines here, in
    logical order, and each line is then put in visual order: reordered whole and wrapped
    after, a long Hebrew or Arabic note would show its last words on its first line.
    Left-to-right text is left for the paragraph to wrap, exactly as before.
    """
    if size is None or width is None or not has_right_to_left(text):
        return _line_markup(text, font_name)
    lines = logical_lines(bind_right_to_left_words(text), font_name, size, width, taken)
    return "<br/>".join(_line_markup(line, font_name) for line in lines)


def _line_markup(text: str, font_name: str) -> str:
    out: list[str] = []
    for run, name in font_runs(visual_order(bind_right_to_left_words(text)), font_name):
        if name == font_name:
            out.append(escape(run))
        else:
            out.append(f'<font name="{name}">{escape(run)}</font>')
    return "".join(out)


# kept free on each pre-broken line, so a rounding difference from the paragraph's own
# measure never makes it break the line a second time (in visual order)
_WRAP_MARGIN = 0.5


def logical_lines(
    text: str, font_name: str, size: float, width: float, taken: float = 0.0
) -> list[str]:
    """Text in logical order broken at spaces into lines that fit width as drawn (the first
    line after `taken` points already used); a word wider than a line has a line of its own."""
    space = pdfmetrics.stringWidth(" ", font_name, size)
    lines: list[str] = []
    words: list[str] = []
    used = taken
    for word in text.split(" "):
        word_width = string_width(word, font_name, size)
        needed = word_width + (space if words else 0.0)
        if words and used + needed > width - _WRAP_MARGIN:
            lines.append(" ".join(words))
            words, used = [], 0.0
            needed = word_width
        words.append(word)
        used += needed
    lines.append(" ".join(words))
    return lines


def string_width(text: str, font_name: str, size: float) -> float:
    """Width of a line of data text as draw_string draws it."""
    return float(
        sum(
            pdfmetrics.stringWidth(run, name, size)
            for run, name in font_runs(visual_order(text), font_name)
        )
    )


def draw_string(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    font_name: str,
    size: float,
    anchor: str = "start",
) -> None:
    """Canvas drawString for data text: right-to-left runs reordered, each run in a font that
    has its glyphs. anchor is 'start' (x is the left edge) or 'end' (x is the right edge)."""
    runs = font_runs(visual_order(text), font_name)
    if anchor == "end":
        x -= sum(pdfmetrics.stringWidth(run, name, size) for run, name in runs)
    # one text object for the line, so the runs read back as one line of text
    line = canvas.beginText(x, y)
    for run, name in runs:
        line.setFont(name, size)
        line.textOut(run)
    canvas.drawText(line)
    canvas.setFont(font_name, size)


def chart_strings(
    x: float, y: float, text: str, font_name: str, size: float, fill: Any
) -> list[String]:
    """Chart labels from data (an agent's name): one String per font run, left to right."""
    out: list[String] = []
    for run, name in font_runs(visual_order(text), font_name):
        out.append(String(x, y, run, fontName=name, fontSize=size, fillColor=fill))
        x += pdfmetrics.stringWidth(run, name, size)
    return out
