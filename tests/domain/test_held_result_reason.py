"""The reason stored with a result held for review (clinical reference, decision 11): the value
with its comparator and, while it is still beyond the analyte's possible limit, that limit; once
the limit has moved above it, a sentence that it was held.

Limits from the analyte table: ALT is possible up to 50000 U/L, glucose up to 2000 mg/dL."""

from __future__ import annotations

from irae_desktop.domain.plausibility import review_reason

ACTION = "not graded until a clinician confirms or corrects it"


def test_a_value_beyond_the_possible_limit_is_held_with_the_limit_named() -> None:
    assert review_reason("ALT", 60000.0) == (
        "needs review: ALT 60000 U/L is above 50000 U/L, beyond values reported in a living "
        f"patient (a wrong unit?); {ACTION}"
    )


def test_a_lower_bound_beyond_the_limit_keeps_its_comparator() -> None:
    # ">60000": at least that much, so beyond the limit too
    assert review_reason("ALT", 60000.0, ">") == (
        "needs review: ALT >60000 U/L is above 50000 U/L, beyond values reported in a living "
        f"patient (a wrong unit?); {ACTION}"
    )


def test_a_held_value_now_within_the_limit_still_reads_as_held() -> None:
    # 1500 mg/dL is below today's 2000 mg/dL: it was held under a lower limit
    assert review_reason("GLUCOSE", 1500.0) == (
        "needs review: GLUCOSE 1500 mg/dL was held as beyond values reported in a living "
        f"patient; {ACTION}"
    )


def test_an_upper_bound_reads_as_held_with_its_comparator() -> None:
    # "<60000" may be any smaller value, so it is not beyond the limit; the "<" stays
    assert review_reason("ALT", 60000.0, "<") == (
        "needs review: ALT <60000 U/L was held as beyond values reported in a living patient; "
        f"{ACTION}"
    )
