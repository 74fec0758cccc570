"""The Kaplan-Meier estimate: a hand-worked example and the lifelines package."""

from __future__ import annotations

import pytest

from irae_desktop.domain.km import FollowedLine, kaplan_meier, median_days, proportion_reached_by

# seven lines: end point on days 2, 3, 3 and 7; censored on days 3 (same day as two events),
# 5 and 10. Worked by hand: day 2: 7 at risk, S = 6/7; day 3: 6 at risk (the line censored
# that day included), 2 events, S = 6/7 x 4/6 = 4/7; day 5: censored, 2 left; day 7:
# S = 4/7 x 1/2 = 2/7; day 10 censored.
SEVEN = [
    FollowedLine(2, True),
    FollowedLine(3, True),
    FollowedLine(3, True),
    FollowedLine(3, False),
    FollowedLine(5, False),
    FollowedLine(7, True),
    FollowedLine(10, False),
]


def test_hand_worked_steps_with_a_tie_and_censoring_on_an_event_day() -> None:
    steps = kaplan_meier(SEVEN)
    assert [(s.day, s.at_risk, s.events, s.censored) for s in steps] == [
        (2, 7, 1, 0),
        (3, 6, 2, 1),
        (5, 3, 0, 1),
        (7, 2, 1, 0),
        (10, 1, 0, 1),
    ]
    assert [s.remaining for s in steps] == pytest.approx([6 / 7, 4 / 7, 4 / 7, 2 / 7, 2 / 7])


def test_proportion_by_day_and_median() -> None:
    steps = kaplan_meier(SEVEN)
    assert proportion_reached_by(steps, 1) == 0.0
    assert proportion_reached_by(steps, 3) == pytest.approx(3 / 7)
    assert proportion_reached_by(steps, 6) == pytest.approx(3 / 7)
    assert proportion_reached_by(steps, 7) == pytest.approx(5 / 7)
    assert proportion_reached_by(steps, 10) == pytest.approx(5 / 7)
    # nobody followed beyond day 10 and the estimate had not reached 100 %: undefined
    assert proportion_reached_by(steps, 14) is None
    assert median_days(steps) == 7


def test_all_reached_is_defined_after_the_last_day_and_empty_is_none() -> None:
    steps = kaplan_meier([FollowedLine(4, True), FollowedLine(9, True)])
    assert proportion_reached_by(steps, 30) == 1.0
    assert median_days(steps) == 4
    assert proportion_reached_by(kaplan_meier([]), 7) is None
    assert median_days(kaplan_meier([FollowedLine(5, False)])) is None


def test_negative_time_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^a follow-up time cannot be negative$"):
        kaplan_meier([FollowedLine(-1, True)])


def test_a_line_followed_only_on_its_start_day_is_censored_on_day_0() -> None:
    """A line with no draw after its start is censored at 0 days (a valid time, not refused):
    by hand, day 0: 2 at risk, 1 censored, all remain; day 5: 1 at risk, 1 event, none remain."""
    steps = kaplan_meier([FollowedLine(0, False), FollowedLine(5, True)])
    assert [(s.day, s.at_risk, s.events, s.censored, s.remaining) for s in steps] == [
        (0, 2, 0, 1, 1.0),
        (5, 1, 1, 0, 0.0),
    ]


@pytest.mark.parametrize(
    "cohort",
    [
        SEVEN,
        [FollowedLine(d, r) for d, r in [(0, True), (1, False), (1, True), (4, True), (4, False)]],
        [FollowedLine(d, d % 3 != 0) for d in (1, 2, 3, 3, 5, 6, 6, 6, 8, 9, 12, 14, 14, 30)],
        [FollowedLine(d, False) for d in (3, 5)] + [FollowedLine(20, True)],
    ],
)
def test_matches_lifelines(cohort: list[FollowedLine]) -> None:
    lifelines = pytest.importorskip("lifelines")
    fitter = lifelines.KaplanMeierFitter().fit(
        [f.days for f in cohort], event_observed=[f.reached for f in cohort]
    )
    steps = kaplan_meier(cohort)
    expected = fitter.survival_function_.iloc[:, 0]
    for step in steps:
        assert step.remaining == pytest.approx(float(expected.loc[step.day]))
    table = fitter.event_table
    for step in steps:
        assert step.at_risk == int(table.loc[step.day, "at_risk"])
        assert step.events == int(table.loc[step.day, "observed"])
        assert step.censored == int(table.loc[step.day, "censored"])
    median = fitter.median_survival_time_
    assert median_days(steps) == (None if median == float("inf") else int(median))
