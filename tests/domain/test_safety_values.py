"""Reading a result against a treatment limit: a censored value meets "below" only when every
value it stands for does (clinical reference, decision 6), equal within the grading tolerance is
equal (decision 2)."""

from __future__ import annotations

import pytest

from irae_desktop.domain.safety_values import meets_below, unit_words


@pytest.mark.parametrize(
    ("value", "comparator", "bound", "inclusive", "expected"),
    [
        # exact values, strictly below
        (0.499, "", 0.5, False, "yes"),
        (0.5, "", 0.5, False, "no"),
        (0.501, "", 0.5, False, "no"),
        # 500 cells/µL read in 10^3/µL as 500 x 0.001: the float noise is not "below"
        (500 * 0.001, "", 0.5, False, "no"),
        (0.5 * (1 + 1e-12), "", 0.5, False, "no"),
        (0.5 * (1 - 1e-12), "", 0.5, False, "no"),
        # at or below (the ANC 500 to 1,000 band's top)
        (1.0, "", 1.0, True, "yes"),
        (1.001, "", 1.0, True, "no"),
        # "<0.5" is every value below 0.5: all below 0.5; "<0.6" reaches both sides
        (0.5, "<", 0.5, False, "yes"),
        (0.2, "<", 0.5, False, "yes"),
        (0.6, "<", 0.5, False, "maybe"),
        # "<=0.5" holds 0.5 itself, which is not below 0.5
        (0.5, "<=", 0.5, False, "maybe"),
        (0.5, "<=", 0.5, True, "yes"),
        (0.4, "<=", 0.5, False, "yes"),
        # ">0.4" may be 0.45 or 5; ">0.5" is never below 0.5, nor at it
        (0.4, ">", 0.5, False, "maybe"),
        (0.5, ">", 0.5, False, "no"),
        (0.5, ">", 0.5, True, "no"),
        (0.6, ">", 0.5, False, "no"),
        # ">=0.5" holds 0.5, which is at 0.5 but not below it
        (0.5, ">=", 0.5, False, "no"),
        (0.5, ">=", 0.5, True, "maybe"),
        (0.4, ">=", 0.5, False, "maybe"),
    ],
)
def test_a_result_against_a_limit(
    value: float, comparator: str, bound: float, inclusive: bool, expected: str
) -> None:
    assert meets_below(value, comparator, bound, inclusive) == expected


def test_a_count_unit_is_written_as_a_multiple() -> None:
    assert unit_words("10^3/µL") == "x10^3/µL"
    assert unit_words("g/dL") == "g/dL"
