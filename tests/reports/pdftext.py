"""Reads a generated PDF back as text, page by page, the way a reader of the paper would see it."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader


def page_texts(path: Path) -> list[str]:
    reader = PdfReader(str(path))
    return [page.extract_text() or "" for page in reader.pages]


def page_sizes(path: Path) -> list[tuple[float, float]]:
    reader = PdfReader(str(path))
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]


def squash(text: str) -> str:
    """Whitespace-insensitive text, since table cells may be extracted on separate lines."""
    return re.sub(r"\s+", " ", text)
