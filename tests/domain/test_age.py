"""Age in completed years, the one rule for screen and paper."""

from __future__ import annotations

from datetime import date

import pytest

from irae_desktop.domain.age import age_years


@pytest.mark.parametrize(
    ("birth", "today", "expected"),
    [
        (date(1950, 6, 15), date(2026, 6, 14), 75),  # the day before the birthday
        (date(1950, 6, 15), date(2026, 6, 15), 76),  # the birthday itself
        (date(1952, 2, 29), date(2026, 2, 28), 73),  # a leap-day birth, not yet in a common year
        (date(1952, 2, 29), date(2026, 3, 1), 74),
        (date(1935, 1, 1), date(2026, 12, 4), 91),
    ],
)
def test_completed_years(birth: date, today: date, expected: int) -> None:
    assert age_years(birth, today) == expected


def test_no_birth_date_no_age() -> None:
    assert age_years(None, date(2026, 12, 4)) is None
