"""Finding the results within a window by bisection gives what a full scan gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from irae_desktop.domain.timeline import LabPoint, labs_within, sorted_times

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def _point(n: int, minutes: int) -> LabPoint:
    return LabPoint(
        n,
        "CPEPTIDE",
        T0 + timedelta(minutes=minutes),
        0.3,
        "",
        "ng/mL",
        3.1,
        0.8,
        None,
        None,
        None,
        False,
        None,
    )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=30 * 1440), max_size=60),
    st.booleans(),
    st.integers(min_value=0, max_value=30 * 1440),
    st.integers(min_value=0, max_value=10 * 1440),
)
def test_window_by_bisection_equals_a_scan(
    minutes: list[int], in_order: bool, centre: int, width: int
) -> None:
    labs = [_point(n, m) for n, m in enumerate(sorted(minutes) if in_order else minutes)]
    moment, window = T0 + timedelta(minutes=centre), timedelta(minutes=width)
    times = sorted_times(labs)
    if in_order:
        assert times is not None
    scanned = [lab for lab in labs if abs(lab.collected_at - moment) <= window]
    assert labs_within(labs, times, moment, window) == scanned


def test_results_out_of_order_are_scanned() -> None:
    labs = [_point(1, 100), _point(2, 10)]
    assert sorted_times(labs) is None
    found = labs_within(labs, None, T0 + timedelta(minutes=95), timedelta(minutes=10))
    assert [lab.id for lab in found] == [1]
