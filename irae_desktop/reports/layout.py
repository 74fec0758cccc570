"""Page furniture shared by every report: paper sizes, styles, identity band, page numbers."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from irae_desktop.reports.fonts import CONDENSED, SANS, SANS_BOLD, draw_string, register_fonts

PAPER_SIZES: dict[str, tuple[float, float]] = {"letter": LETTER, "a4": A4}

INK = colors.HexColor("#1b1f24")
MUTED = colors.HexColor("#5b6570")
RULE = colors.HexColor("#c9d1d9")
SHADE = colors.HexColor("#f2f4f7")
SYNTHETIC_RED = colors.HexColor("#b3261e")

# CTCAE grade colours, pale enough to print text over and distinct in greyscale
GRADE_FILL: dict[int, colors.Color] = {
    0: colors.white,
    1: colors.HexColor("#fff4c2"),
    2: colors.HexColor("#ffd59e"),
    3: colors.HexColor("#ffab91"),
    4: colors.HexColor("#f48fb1"),
}

HEADER_HEIGHT = 21 * mm
FOOTER_HEIGHT = 10 * mm
MARGIN = 12 * mm


class PaperSizeError(ValueError):
    """An unknown paper size was asked for."""


def page_size(paper: str, *, landscape_mode: bool = False) -> tuple[float, float]:
    try:
        size = PAPER_SIZES[paper.strip().lower()]
    except KeyError:
        raise PaperSizeError(
            f"Unknown paper size {paper!r}: choose one of {', '.join(PAPER_SIZES)}."
        ) from None
    return landscape(size) if landscape_mode else size


@dataclass(frozen=True, slots=True)
class Identity:
    """What every page repeats so a sheet can never be attached to the wrong patient."""

    title: str
    line1: str  # bold: the patient name, or the list's name
    line2: str  # MRN, date of birth, ...
    right_lines: tuple[str, ...]  # report type, criteria, generated time
    footer_left: str
    synthetic: bool
    # the file's own title, shown by PDF viewers and print queues
    document_title: str = ""


def styles(base_size: float = 8.5, font: str = SANS) -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle(
        "body", fontName=font, fontSize=base_size, leading=base_size * 1.25, textColor=INK
    )
    return {
        "body": body,
        "small": ParagraphStyle(
            "small", parent=body, fontSize=base_size - 1.2, leading=(base_size - 1.2) * 1.22
        ),
        "muted": ParagraphStyle(
            "muted",
            parent=body,
            fontSize=base_size - 1.2,
            leading=(base_size - 1.2) * 1.22,
            textColor=MUTED,
        ),
        "cell": ParagraphStyle(
            "cell",
            parent=body,
            fontName=CONDENSED,
            fontSize=base_size - 0.5,
            leading=(base_size - 0.5) * 1.18,
        ),
        "cell_bold": ParagraphStyle(
            "cell_bold",
            parent=body,
            fontName=SANS_BOLD,
            fontSize=base_size - 0.5,
            leading=(base_size - 0.5) * 1.18,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName=SANS_BOLD,
            fontSize=base_size + 2,
            leading=(base_size + 2) * 1.3,
            spaceBefore=6,
            spaceAfter=3,
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=body,
            fontName=SANS_BOLD,
            fontSize=base_size + 0.5,
            leading=(base_size + 0.5) * 1.3,
            spaceBefore=3,
            spaceAfter=2,
        ),
    }


def _draw_identity(canvas: Canvas, doc: BaseDocTemplate, identity: Identity) -> None:
    width, height = doc.pagesize
    top = height - MARGIN
    canvas.saveState()
    if identity.synthetic:
        # a pale diagonal mark across the page body plus a solid badge in the band
        canvas.setFillColor(colors.Color(0.70, 0.15, 0.12, alpha=0.07))
        canvas.setFont(SANS_BOLD, 64)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(35)
        canvas.drawCentredString(0, -20, "SYNTHETIC DATA")
        canvas.rotate(-35)
        canvas.translate(-width / 2, -height / 2)
    canvas.setFillColor(INK)
    # the identity lines carry the patient's name: drawn run by run in fonts that have it
    draw_string(canvas, MARGIN, top - 12, identity.line1, SANS_BOLD, 13)
    draw_string(canvas, MARGIN, top - 24, identity.line2, SANS, 8.5)
    canvas.setFillColor(MUTED)
    canvas.setFont(SANS, 7.5)
    y = top - 8
    for text in (identity.title, *identity.right_lines):
        draw_string(canvas, width - MARGIN, y, text, SANS, 7.5, anchor="end")
        y -= 9.5
    if identity.synthetic:
        # its own row under the identity lines, so it never collides with a long name
        label = "SYNTHETIC DATA - NOT A REAL PATIENT"
        canvas.setFont(SANS_BOLD, 8)
        badge_w = canvas.stringWidth(label, SANS_BOLD, 8) + 10
        canvas.setFillColor(SYNTHETIC_RED)
        canvas.roundRect(MARGIN, top - 40, badge_w, 12, 2, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.drawString(MARGIN + 5, top - 37, label)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.8)
    canvas.line(
        MARGIN,
        height - MARGIN - HEADER_HEIGHT + 3 * mm,
        width - MARGIN,
        height - MARGIN - HEADER_HEIGHT + 3 * mm,
    )
    canvas.line(
        MARGIN, MARGIN + FOOTER_HEIGHT - 3 * mm, width - MARGIN, MARGIN + FOOTER_HEIGHT - 3 * mm
    )
    canvas.setFillColor(MUTED)
    draw_string(canvas, MARGIN, MARGIN + 1, identity.footer_left, SANS, 7)
    canvas.restoreState()


class NumberedCanvas(Canvas):  # type: ignore[misc]
    """Holds each finished page until the end so it can print 'Page N of M' with the real M."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._draw_page_number(number, total)
            super().showPage()
        super().save()

    def _draw_page_number(self, number: int, total: int) -> None:
        width, _ = self._pagesize
        self.saveState()
        self.setFont(SANS_BOLD, 8)
        self.setFillColor(INK)
        self.drawRightString(width - MARGIN, MARGIN + 1, f"Page {number} of {total}")
        self.restoreState()


class ReportDocument(BaseDocTemplate):  # type: ignore[misc]
    """A document whose every page carries the identity band; counts the pages it made."""

    def __init__(
        self,
        filename: str,
        identity: Identity,
        pagesize: tuple[float, float],
        *,
        page_top: Flowable | None = None,
        **kwargs: Any,
    ) -> None:
        # `page_top` (a table's column headings) is drawn at the top of every page's body
        self.page_top = page_top
        self.page_top_height = 0.0
        if page_top is not None:
            _, self.page_top_height = page_top.wrap(pagesize[0] - 2 * MARGIN, pagesize[1])
        super().__init__(
            filename,
            pagesize=pagesize,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + HEADER_HEIGHT + self.page_top_height,
            bottomMargin=MARGIN + FOOTER_HEIGHT,
            title=identity.document_title or identity.title,
            author="irae-desktop",
            **kwargs,
        )
        self.identity = identity
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._on_page)])

    def _on_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        _draw_identity(canvas, doc, self.identity)
        if self.page_top is not None:
            self.page_top.drawOn(canvas, self.leftMargin, self.bottomMargin + self.height)


def build_atomically(
    path: str | os.PathLike[str],
    make_doc: Callable[[str], ReportDocument],
    story: list[Flowable],
    before_publish: Callable[[int], None] | None = None,
) -> int:
    """Builds into a temporary file beside `path`, then moves it into place: never a half PDF.

    `before_publish(pages)` runs between the two (the export's audit record): if it fails, the
    file at `path` is left as it was, so no export happens without its audit entry.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise FileNotFoundError(f"The folder {directory} does not exist.")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=directory)
    os.close(fd)
    try:
        doc = make_doc(tmp_name)
        doc.build(story, canvasmaker=NumberedCanvas)
        pages = int(doc.page)
        if before_publish is not None:
            before_publish(pages)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return pages
