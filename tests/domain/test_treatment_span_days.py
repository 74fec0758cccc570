"""A treatment line's days: its status word read through the line itself (the same rule as
line_status), and whether it runs on a day before, during and after a hold.

Dates chosen by hand: the line starts on 2026-03-02, stops on 2026-04-01 and is held from
2026-03-10 until it is resumed on 2026-03-14."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from irae_desktop.domain.timeline import HoldSpan, TreatmentSpan

HOLD = HoldSpan(date(2026, 3, 10), date(2026, 3, 14), "grade 2 hepatitis")
LINE = TreatmentSpan(
    id=1,
    category="ici",
    agent="pembrolizumab",
    dose=200.0,
    dose_unit="mg",
    frequency="every 3 weeks",
    route="IV",
    start=date(2026, 3, 2),
    stop=date(2026, 4, 1),
    holds=(HOLD,),
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 1), "planned"),  # the day before the start
        (date(2026, 3, 2), "on"),  # the start day
        (date(2026, 3, 10), "held"),  # the hold's first day
        (date(2026, 3, 14), "on"),  # resumed that day
        (date(2026, 4, 1), "stopped"),  # stopped that day
        (date(2026, 5, 1), "stopped"),
    ],
)
def test_a_line_reads_its_status_word_on_a_day(day: date, expected: str) -> None:
    assert LINE.status_on(day) == expected


def test_a_line_runs_before_a_hold_that_starts_later() -> None:
    assert LINE.active_on(date(2026, 3, 5))


def test_a_line_does_not_run_during_a_hold() -> None:
    assert not LINE.active_on(date(2026, 3, 12))


def test_a_line_runs_again_after_its_hold_has_ended() -> None:
    assert LINE.active_on(date(2026, 3, 20))


def test_an_open_hold_keeps_the_line_from_running_from_its_first_day_on() -> None:
    line = replace(LINE, holds=(HoldSpan(date(2026, 3, 10), None),))
    assert line.active_on(date(2026, 3, 5))
    assert not line.active_on(date(2026, 3, 10))
    assert not line.active_on(date(2026, 3, 25))
