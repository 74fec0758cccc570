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


# a right-to-left run longer than this is prose, not a name: bound into one unbreakable word
# it would be cut mid-word at the cell edge, so its words are left free to wrap
BIND_LIMIT = 40


def _is_right_to_left_word(word: str) -> bool:
    return has_right_to_left(word) and not any(unicodedata.bidirectional(c) == "L" for c in word)


def bind_right_to_left_words(text: str) -> str:
    """Spaces between the words of a short right-to-left run become no-break spaces.

    Paragraphs wrap after the text is put in visual order, so a right-to-left name broken over
    two lines would show its words on the wrong lines (family name first). Bound together, the
    name moves to the next line whole.
    """
    if not has_right_to_left(text):
        return text
    words = text.split(" ")
    out: list[str] = []
    group: list[str] = []

    def flush() -> None:
        joined = " ".join(group)
        out.append(joined.replace(" ", "\u00a0") if len(joined) <= BIND_LIMIT else joined)
        group.clear()

    for word in words:
        if _is_right_to_left_word(word):
            group.append(word)
            continue
        if group:
            flush()
        out.append(word)
    if group:
        flush()
    return " ".join(out)
