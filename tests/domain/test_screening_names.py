"""The one table of screening test names, result words and LOINC codes: every test and result
covered, no spelling that means two things, the checked codes only, and which results call for
attention (anti-HBs, a mark of immunity, never)."""

from __future__ import annotations

from collections import Counter

import pytest

from irae_desktop.domain.screening_names import (
    ATTENTION_RESULTS,
    RESULT_WORDS,
    SHORT_LABELS,
    TEST_NAMES,
    calls_for_attention,
    listing_position,
    plain_words,
    screening_label,
    screening_result,
    screening_short_label,
    screening_test,
    screening_test_for_code,
)
from irae_desktop.domain.timeline import SCREENING_RESULTS, SCREENING_TESTS


def test_every_test_and_result_has_its_entries() -> None:
    assert list(TEST_NAMES) == list(SCREENING_TESTS)
    assert list(SHORT_LABELS) == list(SCREENING_TESTS)
    assert list(ATTENTION_RESULTS) == list(SCREENING_TESTS)
    assert list(RESULT_WORDS) == list(SCREENING_RESULTS)


@pytest.mark.parametrize("table", [TEST_NAMES, RESULT_WORDS], ids=["tests", "results"])
def test_no_spelling_means_two_things(table: dict[str, tuple[str, ...]]) -> None:
    spelled = Counter(plain_words(s) for spellings in table.values() for s in set(spellings))
    assert [s for s, n in spelled.items() if n > 1] == []


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("Anti-HBc (total)", "anti hbc total"),
        ("QuantiFERON®-TB Gold Plus", "quantiferon tb gold plus"),
        ("  négatif ", "negatif"),
        ("T-SPOT.TB", "t spot tb"),
    ],
)
def test_plain_words(text: str, plain: str) -> None:
    assert plain_words(text) == plain


@pytest.mark.parametrize(
    ("text", "test"),
    [
        ("tb_igra", "tb_igra"),
        ("TB interferon-gamma release assay", "tb_igra"),
        ("TB skin test", "tb_skin"),
        ("HBV DNA", "hbv_dna"),
        ("Ag HBs", "hbsag"),
        ("Ac anti-HBs", "anti_hbs"),
        ("HBV", None),
        ("hepatitis B", None),
        ("anti-HCV", None),
        ("", None),
    ],
)
def test_test_names(text: str, test: str | None) -> None:
    assert screening_test(text) == test


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("Non-Reactive", "negative"),
        ("NOT DETECTED", "negative"),
        ("detected", "positive"),
        ("weakly positive", None),
        ("positive (1.2)", None),
        ("0.12", None),
        ("not", None),
        ("", None),
    ],
)
def test_result_words(text: str, result: str | None) -> None:
    assert screening_result(text) == result


@pytest.mark.parametrize(
    ("code", "test"),
    [
        ("5195-3", "hbsag"),
        ("5196-1", "hbsag"),
        ("16933-4", "anti_hbc"),
        ("13952-7", "anti_hbc"),
        ("22322-2", "anti_hbs"),
        ("71773-6", "tb_igra"),
        (" 5196-1 ", "hbsag"),
        # quantitative codes carry a number, not a screening result
        ("16935-9", None),  # anti-HBs [Units/volume]
        ("22316-4", None),  # anti-HBc [Units/volume]
        ("46217-6", None),  # M. tuberculosis IFN-gamma by CD4+ T-cells [Units/volume]
        ("1742-6", None),  # ALT
    ],
)
def test_only_the_checked_qualitative_codes(code: str, test: str | None) -> None:
    assert screening_test_for_code(code) == test


# (test, result) -> whether the window and the printed summary mark it
ATTENTION = [
    ("tb_igra", "negative", False), ("tb_igra", "positive", True),
    ("tb_igra", "indeterminate", True),
    ("tb_skin", "negative", False), ("tb_skin", "positive", True),
    ("tb_skin", "indeterminate", True),
    ("hbsag", "negative", False), ("hbsag", "positive", True), ("hbsag", "indeterminate", True),
    ("anti_hbc", "negative", False), ("anti_hbc", "positive", True),
    ("anti_hbc", "indeterminate", True),
    ("anti_hbs", "negative", False), ("anti_hbs", "positive", False),
    ("anti_hbs", "indeterminate", False),
    ("hbv_dna", "negative", False), ("hbv_dna", "positive", True),
    ("hbv_dna", "indeterminate", True),
]  # fmt: skip


@pytest.mark.parametrize(("test", "result", "marked"), ATTENTION)
def test_which_results_call_for_attention(test: str, result: str, marked: bool) -> None:
    assert calls_for_attention(test, result) is marked


def test_labels_and_listing_order() -> None:
    assert [screening_short_label(t) for t in SCREENING_TESTS] == [
        "TB IGRA", "TB skin test", "HBsAg", "anti-HBc", "anti-HBs", "HBV DNA",
    ]  # fmt: skip
    assert screening_label("tb_igra") == "TB interferon-gamma release assay"
    assert sorted(["hbv_dna", "anti_hbs", "hbsag", "tb_skin"], key=listing_position) == [
        "tb_skin", "hbsag", "anti_hbs", "hbv_dna",
    ]  # fmt: skip
