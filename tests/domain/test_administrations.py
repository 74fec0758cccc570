"""Doses given one by one grouped into lines: holds for late doses, a new line after a long
gap, taper steps for a daily drug."""

from __future__ import annotations

from datetime import date

from irae_desktop.domain.administrations import GapHold, Given, group_given


def _given(*days: tuple[int, int, int], dose: float = 200.0) -> list[Given]:
    return [Given(date(*d), dose, "mg", f"line {i + 2}") for i, d in enumerate(days)]


def test_infusions_every_three_weeks_are_one_line_with_a_step_each() -> None:
    doses = _given((2024, 1, 2), (2024, 1, 23), (2024, 2, 13))

    (line,) = group_given(doses, 42)

    assert line.start == date(2024, 1, 2)
    assert [s.day for s in line.steps] == [date(2024, 1, 2), date(2024, 1, 23), date(2024, 2, 13)]
    assert line.holds == []


def test_a_dose_later_than_the_cycle_and_a_grace_week_leaves_a_hold() -> None:
    # nivolumab, longest labelled interval 28 days: 2 Jan, then 6 March (64 days later)
    doses = _given((2024, 1, 2), (2024, 3, 6), dose=480.0)

    (line,) = group_given(doses, 28)

    assert line.holds == [
        GapHold(date(2024, 1, 30), date(2024, 3, 5), "no dose given for 64 days (usual interval "
                "28 days)"),
    ]  # fmt: skip
    assert len(line.steps) == 2


def test_a_dose_within_the_grace_week_is_not_a_hold() -> None:
    (line,) = group_given(_given((2024, 1, 2), (2024, 2, 6)), 28)  # 35 days = 28 + 7

    assert line.holds == []


def test_more_than_twelve_weeks_past_the_due_day_starts_a_new_line() -> None:
    # due 30 January; 24 April is 85 days past it
    first, second = group_given(_given((2024, 1, 2), (2024, 4, 24)), 28)

    assert (first.start, second.start) == (date(2024, 1, 2), date(2024, 4, 24))
    assert first.holds == [] and second.holds == []


def test_a_daily_drug_records_its_dose_changes_only() -> None:
    doses = [
        Given(date(2024, 3, d), dose, "mg")
        for d, dose in ((1, 60.0), (2, 60.0), (3, 60.0), (4, 40.0), (5, 40.0), (6, 20.0))
    ]

    (line,) = group_given(doses, None)

    assert [(s.day.day, s.dose) for s in line.steps] == [(1, 60.0), (4, 40.0), (6, 20.0)]
    assert len(line.given) == 6
