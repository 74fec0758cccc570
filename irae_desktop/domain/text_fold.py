"""Folds the letters European lab exports use onto plain ASCII so names compare as words.

"Prøvetakingsdato", "Bilirubine totale" and "γ-GT" are written with letters that a plain
lower-casing keeps apart from "provetakingsdato", "bilirubine totale" and "gamma-GT". Accents
come off by Unicode decomposition; the letters that do not decompose (ø, æ, œ, ß, ł, đ, þ) and
the Greek letters lab names use (α, β, γ, µ) are spelled out.
"""

from __future__ import annotations

import unicodedata

# letters Unicode decomposition leaves whole, as their plain spellings; Greek letters are
# written out because "β-Hydroxybutyrat" and "beta-hydroxybutyrate" name one analyte, and the
# micro sign (two code points exist) reads "u" as in "umol/l"
_SPELLED = str.maketrans(
    {
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "α": "alpha",
        "β": "beta",
        "γ": "gamma",
        "µ": "u",
        "μ": "u",
    }
)


def fold_text(text: str) -> str:
    """Lower case without accents: "Prøvetakingsdato" -> "provetakingsdato", "γ-GT" -> "gamma-gt".

    Plain ASCII text is only lower-cased, so the common case costs no decomposition."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered.translate(_SPELLED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
