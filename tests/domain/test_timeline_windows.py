"""Finding the results within a window by bisection gives what a full scan gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from irae_desktop.domain.alerts_liver import _pairs_near
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
    start, end = moment - window, moment + window
    scanned = [lab for lab in labs if start <= lab.collected_at < end]
    assert labs_within(labs, times, start, end) == scanned


def test_results_out_of_order_are_scanned() -> None:
    labs = [_point(1, 100), _point(2, 10)]
    assert sorted_times(labs) is None
    found = labs_within(labs, None, T0 + timedelta(minutes=85), T0 + timedelta(minutes=105))
    assert [lab.id for lab in found] == [1]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=40), max_size=40),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=15),
)
def test_nearest_result_from_the_closest_times_equals_a_scan(
    hours: list[int], centre: int, width: int
) -> None:
    # few distinct hours: many results share a time, and ties on both sides are common
    pairs = [(_point(n, 60 * h), float(n)) for n, h in enumerate(sorted(hours))]
    moment, window = T0 + timedelta(hours=centre), timedelta(hours=width)
    bounds = (moment - window, moment + window)
    every = [
        (abs((p.collected_at - moment).total_seconds()), p, m)
        for p, m in pairs
        if bounds[0] <= p.collected_at < bounds[1]
    ]
    times = sorted_times([p for p, _ in pairs])
    near = _pairs_near(pairs, times, moment, bounds)
    assert bool(near) == bool(every)
    if every:
        # the aminotransferase pick (latest id wins a tie) and the ALP pick (first in order)
        def by_id(t: tuple[float, LabPoint, float]) -> tuple[float, int]:
            return t[0], -t[1].id

        assert min(near, key=by_id) == min(every, key=by_id)
        assert min(near, key=lambda t: t[0]) == min(every, key=lambda t: t[0])


def test_current_ici_is_the_latest_started_by_the_day() -> None:
    from datetime import date

    from irae_desktop.domain.timeline import TreatmentSpan, current_ici

    def line(line_id: int, category: str, start: date, stop: date | None = None) -> TreatmentSpan:
        return TreatmentSpan(line_id, category, "agent", None, None, None, None, start, stop)

    pembro = line(1, "ici", date(2026, 1, 5), stop=date(2026, 3, 1))
    nivo = line(2, "ici", date(2026, 4, 1))
    ipi_same_day = line(3, "ici", date(2026, 4, 1))
    steroid = line(4, "immunosuppressant", date(2026, 5, 1))
    planned = line(5, "ici", date(2026, 12, 1))
    lines = [planned, steroid, nivo, ipi_same_day, pembro]  # any order
    assert current_ici(lines, date(2025, 12, 31)) is None  # before any start
    assert current_ici(lines, date(2026, 2, 1)) is pembro
    assert current_ici(lines, date(2026, 3, 15)) is pembro  # stopped, still the one acted on
    assert current_ici(lines, date(2026, 6, 1)) is ipi_same_day  # a tie: the later id
    assert current_ici(reversed(lines), date(2026, 6, 1)) is ipi_same_day
    assert current_ici(lines, date(2026, 12, 1)) is planned  # started that day


def test_a_scanned_window_includes_its_start_and_excludes_its_end() -> None:
    labs = [_point(1, 100), _point(2, 10), _point(3, 50)]  # out of order: scanned
    found = labs_within(labs, None, T0 + timedelta(minutes=10), T0 + timedelta(minutes=100))
    assert [lab.id for lab in found] == [2, 3]


def test_first_ici_start_is_the_earliest_ici_line() -> None:
    from datetime import date

    from irae_desktop.domain.timeline import TreatmentSpan, first_ici_start

    def line(line_id: int, category: str, start: date) -> TreatmentSpan:
        return TreatmentSpan(line_id, category, "agent", None, None, None, None, start, None)

    assert first_ici_start([]) is None
    assert first_ici_start([line(1, "immunosuppression", date(2026, 1, 2))]) is None
    lines = [line(1, "ici", date(2026, 4, 1)), line(2, "immunosuppression", date(2026, 1, 2))]
    lines.append(line(3, "ici", date(2026, 2, 10)))
    assert first_ici_start(lines) == date(2026, 2, 10)
