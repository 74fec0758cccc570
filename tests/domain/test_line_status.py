"""A treatment line's status word on a given day: the dates mean what the actions that write
them mean (stopped from the stop date, on again from the day a hold ends)."""

from __future__ import annotations

from datetime import date

import pytest

from irae_desktop.domain.timeline import HoldSpan, line_status

START = date(2026, 3, 2)
STOP = date(2026, 4, 1)
HOLD = HoldSpan(date(2026, 3, 10), date(2026, 3, 14), "grade 2 hepatitis")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 1), "planned"),  # the day before the start
        (date(2026, 3, 2), "on"),  # the start day
        (date(2026, 3, 9), "on"),
        (date(2026, 3, 10), "held"),  # the hold's first day
        (date(2026, 3, 13), "held"),
        (date(2026, 3, 14), "on"),  # resumed that day
        (date(2026, 3, 31), "on"),
        (date(2026, 4, 1), "stopped"),  # stopped that day
        (date(2026, 6, 1), "stopped"),
    ],
)
def test_status_on_each_day(day: date, expected: str) -> None:
    assert line_status(START, STOP, [HOLD], day) == expected


def test_an_open_hold_holds_until_the_line_stops() -> None:
    hold = HoldSpan(date(2026, 3, 10), None)
    assert line_status(START, None, [hold], date(2026, 9, 1)) == "held"
    assert line_status(START, date(2026, 5, 1), [hold], date(2026, 5, 1)) == "stopped"
