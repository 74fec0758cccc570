"""Right-to-left text (Arabic, Hebrew) put into the order and letter forms a PDF draws.

reportlab draws the characters of a string left to right as they come and does not join
Arabic letters. arabic-reshaper swaps each Arabic letter for its joined presentation form
(initial, medial, final, isolated; lam-alef ligatures) and python-bidi applies the Unicode
bidirectional algorithm to give the visual order. reportlab's own right-to-left path needs
two compiled extras (rlbidi and uharfbuzz) and shapes into glyphs that carry no Unicode
meaning; names need only joining and reordering, which these two small packages do.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from arabic_reshaper import ArabicReshaper
from bidi.algorithm import get_display

# vowel marks (harakat) are part of how a name is written: keep them
_RESHAPER = ArabicReshaper(configuration={"delete_harakat": False})


def has_right_to_left(text: str) -> bool:
    return any(_is_right_to_left(c) for c in text)


@cache
def visual_order(text: str) -> str:
    """One line of text as drawn left to right; text with no right-to-left letters is unchanged.

    Apply it to a single line only: the bidirectional algorithm reorders within a line, so
    wrapping after reordering would put a long right-to-left line's words on the wrong lines.
    """
    if not has_right_to_left(text):
        return text
    # the documents read left to right: a line that starts with a name in Arabic script keeps
    # its MRN and dates where an English line has them
    return str(get_display(_RESHAPER.reshape(text), base_dir="L"))


def _is_right_to_left(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def bind_right_to_left_words(text: str) -> str:
    """Spaces between two right-to-left words become no-break spaces.

    Paragraphs wrap after the text is put in visual order, so a right-to-left name broken over
    two lines would show its words on the wrong lines (family name first). Bound together, the
    name moves to the next line whole.
    """
    if not has_right_to_left(text):
        return text
    chars = list(text)
    for i, char in enumerate(chars):
        if char != " ":
            continue
        before = next((c for c in reversed(chars[:i]) if not c.isspace()), "")
        after = next((c for c in chars[i + 1 :] if not c.isspace()), "")
        if before and after and _is_right_to_left(before) and _is_right_to_left(after):
            chars[i] = "\u00a0"
    return "".join(chars)
