"""Names and free text in any script print in the PDFs: every character has a glyph in the
font that draws it, mixed lines fall back run by run, right-to-left names read right to left."""

from __future__ import annotations

import itertools
import logging
import re
import shutil
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from irae_desktop.reports.bidi_text import bind_right_to_left_words
from irae_desktop.reports.fonts import CJK, SANS, FontsMissingError, font_runs, register_from
from irae_desktop.reports.patient_summary import write_patient_summary
from irae_desktop.reports.service_list import write_service_list
from tests.reports.factory import NOW, add_lab, add_line, add_patient, add_plan
from tests.reports.pdftext import page_texts

FONT_DIR = Path(__file__).parents[2] / "irae_desktop" / "resources" / "fonts"

NAMES = {
    "ZH-1": "张伟",
    "JA-1": "山田太郎",
    "KO-1": "김민준",
    "EL-1": "Ελένη Παπαδοπούλου",
    "RU-1": "Иван Петров",
    "AR-1": "محمد الأحمد",
    "HE-1": "דוד כהן",
    "PL-1": "Zoë Müller-Łukasiewicz",
    "MX-1": "Zhang Wei 张伟",
}

CHINESE_PEMBROLIZUMAB = "帕博利珠单抗"


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    with db.write() as s:
        for mrn, name in NAMES.items():
            p = add_patient(s, mrn, name)
            add_lab(s, p, "ALT", 1, 90, 2)
            # an agent recorded in Chinese also labels the chart's treatment lane
            agent = CHINESE_PEMBROLIZUMAB if mrn == "ZH-1" else "pembrolizumab"
            add_line(s, p, "ici", agent, 200, "mg", -30, frequency="every 3 weeks")
            # the name again inside free text, where the plan cell wraps it
            add_plan(s, p, 0, f"Repeat LFTs; family contact {name}.")
    return db


def readable(text: str) -> str:
    """Extracted text compared by meaning: Arabic presentation forms (the joined letter shapes
    drawn on the page) folded back to letters by NFKC, and any run of spaces made one."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def drawn_runs(path: Path) -> Iterator[tuple[str, str, bool]]:
    """(text as drawn, left to right; base font name; embedded?) for each text operation."""
    for page in PdfReader(str(path)).pages:
        found: list[tuple[str, str, bool]] = []

        def visit(text, cm, tm, font, size, found=found) -> None:  # type: ignore[no-untyped-def]
            if text.strip() and font is not None:
                name = str(font["/BaseFont"]).lstrip("/").split("+")[-1]
                descendants = font.get("/DescendantFonts")
                described = font.get("/FontDescriptor") or (
                    descendants[0].get_object().get("/FontDescriptor") if descendants else None
                )
                embedded = described is not None and "/FontFile2" in described.get_object()
                found.append((text, name, embedded))

        page.extract_text(visitor_text=visit)
        yield from found


@cache
def coverage(font_name: str) -> frozenset[int]:
    return frozenset(TTFont(FONT_DIR / f"{font_name}.ttf").getBestCmap())


def assert_every_glyph_present(path: Path) -> set[str]:
    fonts = set()
    for text, font_name, embedded in drawn_runs(path):
        assert embedded, font_name
        fonts.add(font_name)
        missing = {c for c in text if not c.isspace() and ord(c) not in coverage(font_name)}
        assert not missing, f"{font_name} has no glyph for {sorted(missing)} in {text!r}"
    return fonts


def test_service_list_prints_every_name_with_a_glyph_for_each_character(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "list.pdf"
    write_service_list(world, out, now=NOW)
    text = readable(" ".join(page_texts(out)))
    for name in NAMES.values():
        assert text.count(name) >= 2, name  # the name cell and the plan that repeats it
    fonts = assert_every_glyph_present(out)
    assert CJK in fonts


@pytest.mark.parametrize("mrn", sorted(NAMES))
def test_patient_summary_names_the_patient_on_every_page(world, tmp_path, mrn) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "summary.pdf"
    write_patient_summary(world, mrn, out, now=NOW, lab_days=0)
    for page in page_texts(out):
        # header line and footer line
        assert readable(page).count(NAMES[mrn]) >= 2, readable(page)[:200]
    assert_every_glyph_present(out)
    if mrn == "ZH-1":  # glance, treatment table and the chart lane label
        assert readable(" ".join(page_texts(out))).count(CHINESE_PEMBROLIZUMAB) >= 3


def header_name_chars(path: Path) -> list[tuple[str, float]]:
    """The characters of the page-one header's first line (the patient's name) in the order
    pdfium reads them, each with the horizontal centre of the box where it is drawn."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        textpage = pdf[0].get_textpage()
        out: list[tuple[str, float]] = []
        for i in range(textpage.count_chars()):
            char = textpage.get_text_range(i, 1)
            if char in ("\r", "\n"):
                break
            left, _, right, _ = textpage.get_charbox(i)
            out.append((char, (left + right) / 2))
        return out
    finally:
        pdf.close()


@pytest.mark.parametrize("mrn", ["AR-1", "HE-1"])
def test_right_to_left_names_read_right_to_left_on_the_page(world, tmp_path, mrn) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "summary.pdf"
    write_patient_summary(world, mrn, out, now=NOW, lab_days=0)
    chars = header_name_chars(out)
    assert readable("".join(c for c, _ in chars)) == NAMES[mrn]
    # in reading order each letter sits left of the one before it: the first letter is drawn
    # rightmost (Arabic lam-alef is one glyph, so two letters may share a box)
    xs = [x for c, x in chars if not c.isspace()]
    assert all(a >= b for a, b in itertools.pairwise(xs)), xs
    assert xs[0] > xs[-1]


def test_arabic_letters_are_drawn_joined(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "summary.pdf"
    write_patient_summary(world, "AR-1", out, now=NOW, lab_days=0)
    drawn = page_texts(out)[0].splitlines()[0]  # pypdf keeps the drawn letter forms
    # joined forms from the Unicode Arabic presentation forms chart: محمد is meem initial
    # FEE3, hah medial FEA4, meem medial FEE4, dal final FEAA
    assert "\ufee3\ufea4\ufee4\ufeaa" in drawn
    assert "محمد" not in drawn  # no isolated letters


def test_a_mixed_line_falls_back_run_by_run() -> None:
    assert font_runs("Zhang Wei 张伟", SANS) == [("Zhang Wei ", SANS), ("张伟", CJK)]
    assert font_runs("张伟 (Zhang)", SANS) == [("张伟 ", CJK), ("(Zhang)", SANS)]


def test_a_character_no_font_has_prints_the_rest_and_says_so(db, tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    with db.write() as s:
        add_patient(s, "ET-1", "Abebe ሀይሌ")  # Ethiopic: in neither bundled font
    out = tmp_path / "summary.pdf"
    with caplog.at_level(logging.WARNING):
        write_patient_summary(db, "ET-1", out, now=NOW, lab_days=0)
    assert "Abebe" in page_texts(out)[0]
    assert "U+1200" in caplog.text


def test_without_the_cjk_font_file_the_rest_still_prints_and_says_so(tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    for name in ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"):
        shutil.copy(FONT_DIR / f"{name}.ttf", tmp_path)
    for name in ("DejaVuSansCondensed", "DejaVuSansCondensed-Bold"):
        shutil.copy(FONT_DIR / f"{name}.ttf", tmp_path)
    try:
        with caplog.at_level(logging.WARNING):
            assert register_from(tmp_path) == (SANS,)
        assert f"{CJK}.ttf is missing" in caplog.text
        assert "Chinese, Japanese and Korean characters will print as empty boxes" in caplog.text
    finally:
        register_from(FONT_DIR)  # the process's fonts back from the package


def test_without_a_dejavu_file_the_export_stops_with_a_plain_message(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FontsMissingError, match=r"DejaVuSans\.ttf is missing.*reinstall"):
        register_from(tmp_path)


def test_a_right_to_left_name_is_bound_but_prose_may_wrap() -> None:
    assert bind_right_to_left_words("contact דוד כהן today") == "contact דוד\u00a0כהן today"
    # a sentence-long note is left breakable: one 60-letter word would be cut mid-word
    note = " ".join(["שלום"] * 12)
    assert bind_right_to_left_words(note) == note
