"""How values are written on paper: censored values, multiples, trends, ranges, doses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from irae_desktop.reports.formatting import (
    amount,
    criteria_label,
    datetime_text,
    display_timezone,
    lab_range,
    lab_text,
    number,
    times_uln,
    trend_arrow,
)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(892.0, "892"), (44.0, "44"), (2.35, "2.35"), (1.0, "1.0"), (0.06, "0.06"), (12.25, "12.2")],
)
def test_numbers_keep_meaningful_precision(value: float, shown: str) -> None:
    assert number(value) == shown


@pytest.mark.parametrize(
    ("comparator", "shown"),
    [("", "0.1"), ("<", "<0.1"), ("<=", "≤0.1"), (">", ">0.1"), (">=", "≥0.1")],
)
def test_censored_values_keep_their_comparator(comparator: str, shown: str) -> None:
    assert lab_text("TBILI", 0.1, "mg/dL", comparator) == (shown, "mg/dL")


def test_multiples_of_uln_only_where_grading_uses_them() -> None:
    assert times_uln(120, 40, "ALT") == "3.0×"
    assert times_uln(2.6, 1.2, "TBILI") == "2.2×"
    # glucose is graded on absolute values and C-peptide not at all
    assert times_uln(300, 140, "GLUCOSE") == "–"
    assert times_uln(0.06, 3.1, "CPEPTIDE") == "–"
    assert times_uln(50, None, "ALT") == "–"


def test_trend_arrow_needs_a_change_over_ten_percent() -> None:
    assert trend_arrow(None, 5) == ""
    assert trend_arrow(100, 111) == "↑"
    assert trend_arrow(100, 89) == "↓"
    assert trend_arrow(100, 109) == "→"
    assert trend_arrow(0, 0) == "→"


def test_reference_ranges_and_doses() -> None:
    assert lab_range("ALT", 7, 40, "U/L") == "7–40"
    assert lab_range("TBILI", None, 1.2, "mg/dL") == "≤1.2"
    assert lab_range("ALT", None, None, "U/L") == "–"
    assert amount(5.0) == "5" and amount(62.5) == "62.5" and amount(None) == "–"


def test_criteria_labels_come_from_the_shipped_sets() -> None:
    assert criteria_label("ctcae-5.0") == "CTCAE v5.0"
    assert criteria_label("ctcae-6.0") == "CTCAE v6.0"
    assert criteria_label("site-custom") == "site-custom"  # shown as stored, never invented


def test_times_follow_the_team_display_zone() -> None:
    moment = datetime(2026, 1, 15, 23, 30, tzinfo=UTC)
    with display_timezone("UTC"):
        assert datetime_text(moment) == "15 Jan 2026 23:30 UTC"
    with display_timezone("Europe/Paris"):
        assert datetime_text(moment) == "16 Jan 2026 00:30 CET"
