"""The words and codes an infection screening result is written with, as one table.

A screening result (timeline.ScreeningPoint) is one of the tests in timeline.SCREENING_TESTS
with one of the results in timeline.SCREENING_RESULTS. Hospital exports and people write them
in many ways ("QuantiFERON-TB Gold Plus", "HBcAb", "non-reactive", "négatif"); this table says
which test and which result each spelling means, so the screening import, a laboratory export's
coded rows and the patient view read them alike. A spelling is compared as plain words: lower
case, accents off, every run of other characters one space ("Anti-HBc" is "anti hbc").

Sources: the test names are the ones laboratories report under (QuantiFERON-TB Gold Plus and
T-SPOT.TB are the two interferon-gamma release assays the US labels of the JAK inhibitors and
infliximab accept as latent tuberculosis tests beside the tuberculin skin test); the LOINC
codes below were each checked against the LOINC long common name quoted beside it. Only
qualitative (ordinal) codes are listed: a quantitative code (an anti-HBs titre in mIU/mL, an
HBV viral load) carries a number, which is not a screening result.
"""

from __future__ import annotations

import re

from irae_desktop.domain.text_fold import fold_text
from irae_desktop.domain.timeline import SCREENING_RESULTS, SCREENING_TESTS

# test -> its spellings as plain words (the key and its label are read too)
TEST_NAMES: dict[str, tuple[str, ...]] = {
    "tb_igra": (
        "igra", "interferon gamma release assay", "quantiferon", "quantiferon tb",
        "quantiferon tb gold", "quantiferon tb gold plus", "qft", "qft plus", "qft tb",
        "t spot", "t spot tb", "tspot", "tspot tb", "interferon gamma test",
        "tb interferon gamma release assay",
    ),
    "tb_skin": (
        "tuberculin skin test", "tst", "ppd", "mantoux", "mantoux test", "tb skin test",
        "tuberkulin hauttest", "tuberkulintest", "intradermoreaction", "idr",
        "idr a la tuberculine", "prueba de tuberculina", "intradermorreaccion",
    ),
    "hbsag": (
        "hbsag", "hbs ag", "hbs antigen", "hepatitis b surface antigen", "hbv surface antigen",
        "ag hbs", "antigene hbs",
    ),
    "anti_hbc": (
        "anti hbc", "anti hbc total", "hbcab", "hbc ab", "hbcab total",
        "hepatitis b core antibody", "hepatitis b core antibody total", "hbv core antibody",
        "anti hbc gesamt", "ac anti hbc", "anticorps anti hbc", "anticuerpo anti hbc",
    ),
    "anti_hbs": (
        "anti hbs", "hbsab", "hbs ab", "hepatitis b surface antibody", "hbv surface antibody",
        "ac anti hbs", "anticorps anti hbs", "anticuerpo anti hbs",
    ),
    "hbv_dna": (
        "hbv dna", "hbv dna pcr", "hbv pcr", "hepatitis b dna", "hepatitis b virus dna",
        "adn vhb", "adn du vhb", "adn del vhb",
    ),
}  # fmt: skip

# test -> the short label a table column shows (the long one, SCREENING_TESTS, names it in
# full in messages and tooltips)
SHORT_LABELS: dict[str, str] = {
    "tb_igra": "TB IGRA",
    "tb_skin": "TB skin test",
    "hbsag": "HBsAg",
    "anti_hbc": "anti-HBc",
    "anti_hbs": "anti-HBs",
    "hbv_dna": "HBV DNA",
}

# test -> the results that call for attention before an immunosuppressant starts: latent or
# active tuberculosis, hepatitis B infection or past infection that can reactivate. anti-HBs is
# a mark of immunity (vaccination or recovery): a positive one is protective and a negative one
# is no reactivation risk, so neither of its results is one
ATTENTION_RESULTS: dict[str, tuple[str, ...]] = {
    "tb_igra": ("positive", "indeterminate"),
    "tb_skin": ("positive", "indeterminate"),
    "hbsag": ("positive", "indeterminate"),
    "anti_hbc": ("positive", "indeterminate"),
    "anti_hbs": (),
    "hbv_dna": ("positive", "indeterminate"),
}

# result -> its words as plain words, in English, German, French and Spanish
RESULT_WORDS: dict[str, tuple[str, ...]] = {
    "negative": (
        "negative", "neg", "non reactive", "nonreactive", "not reactive", "not detected",
        "negativ", "nicht reaktiv", "nicht nachweisbar", "negatif", "non reactif",
        "non detecte", "negativo", "no reactivo", "no detectado",
    ),
    "positive": (
        "positive", "pos", "reactive", "detected", "positiv", "reaktiv", "nachweisbar",
        "positif", "reactif", "detecte", "positivo", "reactivo", "detectado",
    ),
    "indeterminate": (
        "indeterminate", "equivocal", "borderline", "grenzwertig", "unbestimmt",
        "indetermine", "equivoque", "indeterminado", "dudoso",
    ),
}  # fmt: skip

# LOINC code -> (test, the LOINC long common name it was checked against)
SCREENING_LOINC: dict[str, tuple[str, str]] = {
    "5195-3": ("hbsag", "Hepatitis B virus surface Ag [Presence] in Serum"),
    "5196-1": (
        "hbsag",
        "Hepatitis B virus surface Ag [Presence] in Serum or Plasma by Immunoassay",
    ),
    "16933-4": ("anti_hbc", "Hepatitis B virus core Ab [Presence] in Serum"),
    "13952-7": (
        "anti_hbc",
        "Hepatitis B virus core Ab [Presence] in Serum or Plasma by Immunoassay",
    ),
    "22322-2": ("anti_hbs", "Hepatitis B virus surface Ab [Presence] in Serum"),
    "71773-6": (
        "tb_igra",
        "Mycobacterium tuberculosis stimulated gamma interferon [Interpretation] in Blood "
        "Qualitative",
    ),
}


def plain_words(text: str) -> str:
    """ "Anti-HBc (total)" -> "anti hbc total": folded, every run of other characters a space."""
    return " ".join(re.findall(r"[a-z0-9]+", fold_text(text)))


def _by_spelling(table: dict[str, tuple[str, ...]], extra: dict[str, str]) -> dict[str, str]:
    found = {plain_words(key): key for key in table} | {plain_words(k): v for k, v in extra.items()}
    for key, spellings in table.items():
        for spelling in spellings:
            found[plain_words(spelling)] = key
    return found


_TEST_BY_NAME = _by_spelling(TEST_NAMES, {label: key for key, label in SCREENING_TESTS.items()})
_RESULT_BY_WORD = _by_spelling(RESULT_WORDS, {})


def screening_test(text: str) -> str | None:
    """The test a name means (a key of SCREENING_TESTS), or None when it names none."""
    return _TEST_BY_NAME.get(plain_words(text))


def screening_result(text: str) -> str | None:
    """The result a word means (one of SCREENING_RESULTS), or None when it is not one."""
    return _RESULT_BY_WORD.get(plain_words(text))


def screening_test_for_code(code: str) -> str | None:
    """The test a LOINC code names, or None when it is not a qualitative screening code."""
    found = SCREENING_LOINC.get(code.strip())
    return found[0] if found else None


def screening_label(test: str) -> str:
    """The test's name as the window and the printed summary show it."""
    return SCREENING_TESTS.get(test, test)


def screening_short_label(test: str) -> str:
    """The test's name as a table column shows it ("TB IGRA")."""
    return SHORT_LABELS.get(test, test)


_ORDER = {test: n for n, test in enumerate(SCREENING_TESTS)}


def listing_position(test: str) -> int:
    """Where the test comes in a list: tuberculosis first, then hepatitis B (the order of
    SCREENING_TESTS)."""
    return _ORDER.get(test, len(_ORDER))


def calls_for_attention(test: str, result: str) -> bool:
    """Whether this result of this test is one to look at before an immunosuppressant starts
    (the window and the printed summary mark it; the alert rules decide what it means)."""
    return result in ATTENTION_RESULTS.get(test, ())


def result_words_hint() -> str:
    """The result words in a sentence, for a message about a word that is not one of them."""
    words = ", ".join(SCREENING_RESULTS)
    return f"{words} (or neg, pos, reactive, non-reactive, detected, not detected, equivocal)"


def known_tests_hint() -> str:
    """A few test names in a sentence, for a message about a name that is not one of them."""
    return (
        "QuantiFERON, IGRA, T-SPOT, tuberculin skin test (TST, PPD), HBsAg, anti-HBc (HBcAb), "
        "anti-HBs, HBV DNA"
    )
