"""Doses grouped into lines at their edges: a daily drug missing 2 days or 3, a cycled drug
exactly 12 weeks past its due day, and every dose kept on its line."""

from __future__ import annotations

from datetime import date

from irae_desktop.domain.administrations import GapHold, Given, group_given


def _daily(*days: int) -> list[Given]:
    return [Given(date(2024, 3, d), 20.0, "mg", f"row {d}") for d in days]


def test_a_daily_drug_may_miss_two_days_without_a_hold() -> None:
    (line,) = group_given(_daily(1, 2, 5), None)  # 3 and 4 March missed
    assert line.holds == []
    assert line.given == _daily(1, 2, 5)


def test_a_daily_drug_missing_three_days_is_held_from_the_first_missed_day() -> None:
    (line,) = group_given(_daily(1, 2, 6), None)  # 3, 4 and 5 March missed
    assert line.holds == [
        GapHold(
            date(2024, 3, 3), date(2024, 3, 5), "no dose given for 4 days (usual interval 1 days)"
        )
    ]


def test_exactly_twelve_weeks_past_the_due_day_is_still_the_same_line() -> None:
    # every 28 days from 2 January: due 30 January; 23 April is 84 days past it
    doses = [Given(date(2024, 1, 2), 200.0, "mg"), Given(date(2024, 4, 23), 200.0, "mg")]
    (line,) = group_given(doses, 28)
    assert line.holds == [
        GapHold(
            date(2024, 1, 30),
            date(2024, 4, 22),
            "no dose given for 112 days (usual interval 28 days)",
        )
    ]
