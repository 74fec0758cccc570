"""Right-to-left prose longer than a line wraps with its lines in reading order: the first
words of the note on the first line, each line drawn right to left."""

from __future__ import annotations

import itertools
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from irae_desktop.reports.fonts import CONDENSED, SANS, logical_lines, register_fonts
from irae_desktop.reports.formatting import markup
from irae_desktop.reports.layout import styles
from tests.reports.pdftext import page_texts

# distinct words, no digits or punctuation, so each line's words say where in the note it is
HEBREW_NOTE = (
    "המטופל התחיל טיפול בסטרואידים לאחר עלייה באנזימי הכבד ויש לחזור על בדיקות הדם "
    "בעוד שלושה ימים ולעדכן את הצוות המטפל במחלקה האונקולוגית לפני המנה הבאה"
)
ARABIC_NOTE = (
    "بدأ المريض العلاج بالستيرويدات بعد ارتفاع إنزيمات الكبد ويجب إعادة تحاليل الدم "
    "خلال ثلاثة أيام وإبلاغ فريق الأورام قبل الجرعة التالية من العلاج المناعي"
)
LATIN_NOTE = (
    "Started prednisone 1 mg/kg after ALT rose to 5x ULN; repeat LFTs in three days and "
    "tell the oncology team before the next dose of pembrolizumab."
)
CELL_WIDTH = 180.0  # points, as a notes column
PADDING = 6.0  # reportlab's default padding each side, in a cell and in a frame


def folded(text: str) -> list[str]:
    """Words by meaning: Arabic presentation forms (the joined shapes) folded to letters."""
    return unicodedata.normalize("NFKC", text).split()


def write_note_pdf(note: str, path: Path) -> None:
    register_fonts()
    cell = styles()["cell"]
    body = styles()["body"]
    inner = CELL_WIDTH - 2 * PADDING
    doc = SimpleDocTemplate(str(path), pagesize=A4)
    doc.build(
        [
            Table(
                [
                    [
                        Paragraph(
                            markup(note, size=cell.fontSize, width=inner, font_name=CONDENSED), cell
                        )
                    ]
                ],
                colWidths=[CELL_WIDTH],
            ),
            Paragraph(
                markup(note, size=body.fontSize, width=doc.width - 2 * PADDING, font_name=SANS),
                body,
            ),
        ]
    )


def pdfium_lines(path: Path) -> list[list[tuple[str, float]]]:
    """Each text line in the order pdfium reads it (reading order), its characters with the
    horizontal centre of their boxes."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        textpage = pdf[0].get_textpage()
        lines: list[list[tuple[str, float]]] = [[]]
        for i in range(textpage.count_chars()):
            char = textpage.get_text_range(i, 1)
            if char in ("\r", "\n"):
                if lines[-1]:
                    lines.append([])
                continue
            left, _, right, _ = textpage.get_charbox(i)
            lines[-1].append((char, (left + right) / 2))
        return [line for line in lines if line]
    finally:
        pdf.close()


@pytest.mark.parametrize("note", [HEBREW_NOTE, ARABIC_NOTE], ids=["hebrew", "arabic"])
def test_a_long_right_to_left_note_wraps_in_reading_order(note: str, tmp_path: Path) -> None:
    out = tmp_path / "note.pdf"
    write_note_pdf(note, out)
    words = note.split()
    # pypdf, like a reader, gives each line in reading order
    lines_read = [folded(line) for line in page_texts(out)[0].splitlines() if line.strip()]
    # the cell's lines, then the full-width paragraph's
    assert len(lines_read) >= 3 + 2, lines_read
    read: list[str] = []
    for line in lines_read:
        read += line
    assert read == words + words, lines_read
    assert lines_read[0][0] == words[0]
    # pdfium reads each line in reading order: every letter left of the one before it
    lines = pdfium_lines(out)
    assert len(lines) >= 4
    for line in lines:
        xs = [x for c, x in line if not c.isspace()]
        assert all(a >= b for a, b in itertools.pairwise(xs)), xs
    assert folded("".join(c for c, _ in lines[0]))[0] == words[0]


def test_each_line_fits_the_width_it_is_broken_for() -> None:
    register_fonts()
    lines = logical_lines(HEBREW_NOTE, SANS, 8.0, 150.0)
    assert len(lines) >= 3
    assert " ".join(lines) == HEBREW_NOTE


def test_left_to_right_text_is_left_to_the_paragraph_to_wrap() -> None:
    register_fonts()
    assert markup(LATIN_NOTE, size=8.0, width=150.0) == markup(LATIN_NOTE)
    assert "<br/>" not in markup(LATIN_NOTE, size=8.0, width=150.0)


def test_a_right_to_left_plan_wraps_in_reading_order_in_the_summary(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # the consult plan on page 1 of a real patient summary, after its date and author label
    from datetime import UTC, datetime

    from irae_desktop.reports.patient_summary import write_patient_summary
    from tests.reports.factory import add_plan, hepatitis_patient

    with db.write() as s:
        patient = hepatitis_patient(s)
        add_plan(s, patient, 0, HEBREW_NOTE + " " + HEBREW_NOTE)
    out = tmp_path / "summary.pdf"
    write_patient_summary(db, "MRN-100", out, now=datetime(2026, 3, 1, 12, tzinfo=UTC))
    words = HEBREW_NOTE.split()
    text = page_texts(out)[0]
    # the plan's words, read line by line from the page, come in the order they were written
    lines = [folded(line) for line in text.splitlines()]
    plan_words = [w for line in lines for w in line if w in set(words)]
    assert plan_words[: len(words)] == words
