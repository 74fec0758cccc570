"""A case series summarised by agent: the spread of one value, the line counted as censored, and
the Kaplan-Meier steps and days to a 50 % fall of a hand-worked group.

Quartiles are the inclusive method (a spreadsheet's QUARTILE.INC): for sorted values x0..xn-1
the quartile p sits at position (n - 1) x p, interpolated between its neighbours.
"""

from __future__ import annotations

from datetime import date

import pytest

from irae_desktop.domain.km import FollowedLine, KmStep
from irae_desktop.domain.outcome_summary import Spread, followed_line, spread, summarize
from irae_desktop.domain.outcomes import OutcomeRow


def _row(
    patient_id: int,
    *,
    reached: int | None = None,
    already: bool = False,
    followup: int = 0,
    fall: int | None = None,
) -> OutcomeRow:
    """An infliximab line of patient `patient_id` with these response facts."""
    return OutcomeRow(
        patient_id=patient_id,
        mrn=f"P-{patient_id}",
        birth_date=None,
        irae="hepatitis",
        irae_onset=date(2026, 3, 2),
        ici="pembrolizumab",
        first_ici_start=date(2026, 1, 1),
        line_id=patient_id,
        agent="infliximab",
        position=1,
        start=date(2026, 3, 2),
        stop=None,
        indication=None,
        peak_grade_before=3,
        prior_agents=(),
        prior_steroid_days=0,
        prior_prednisone_mg=0.0,
        prior_mmf=False,
        concurrent_agents=(),
        days_to_grade_le1=reached,
        already_grade_le1_at_start=already,
        days_to_50pct_fall=fall,
        steroid_mg_after=0.0,
        line_duration_days=followup,
        line_ongoing=True,
        followup_days=followup,
        outcome_30="ongoing",
        outcome_90="censored",
    )


def test_one_value_is_its_own_median_and_quartiles() -> None:
    assert spread([5]) == Spread(1, 5.0, 5.0, 5.0)


def test_two_values_spread_by_the_inclusive_quartiles() -> None:
    """3 and 9: median 6; q1 at position 0.25: 3 + 0.25 x 6 = 4.5; q3 at 0.75: 7.5."""
    assert spread([9, 3]) == Spread(2, 6.0, 4.5, 7.5)


def test_a_line_not_back_to_grade_1_is_censored_at_its_last_draw() -> None:
    """Not reached, last draw 14 days after the start: censored on day 14 (reached is False,
    not merely false-like); reached on day 10: an event on day 10; started at grade <= 1: none."""
    censored = followed_line(_row(1, followup=14))
    assert censored == FollowedLine(14, False)
    assert censored is not None and censored.reached is False
    assert followed_line(_row(2, reached=10, followup=20)) == FollowedLine(10, True)
    assert followed_line(_row(3, already=True, followup=20)) is None


def test_summary_of_a_group_with_an_event_a_censoring_and_a_second_event() -> None:
    """Three infliximab lines: back to grade <= 1 on day 4 (ALT halved on day 3), not back and
    last drawn on day 10 (halved on day 6), back on day 8 (never halved); a fourth started at
    grade <= 1 is outside the estimate. By hand: day 4, 3 at risk, 1 event: 2/3 remain; day 8,
    2 at risk, 1 event: 2/3 x 1/2 = 1/3 remain; day 10, 1 at risk, censored. Median: day 8, the
    first day at or below one half. Reached by day 7: 1 - 2/3 = 1/3; by day 14 and 30: beyond
    the last follow-up with lines left, not defined. Days to a 50 % fall: 3 and 6, median 4.5,
    quartiles 3.75 and 5.25."""
    rows = [
        _row(1, reached=4, followup=12, fall=3),
        _row(2, followup=10, fall=6),
        _row(3, reached=8, followup=8),
        _row(4, already=True, followup=9),
    ]
    (summary,) = summarize(rows)
    assert (summary.agent, summary.lines, summary.patients) == ("infliximab", 4, 4)
    assert (summary.reached, summary.not_applicable) == (2, 1)
    assert summary.days_to_50pct_fall == Spread(2, 4.5, 3.75, 5.25)
    assert [(s.day, s.at_risk, s.events, s.censored) for s in summary.km] == [
        (4, 3, 1, 0),
        (8, 2, 1, 0),
        (10, 1, 0, 1),
    ]
    assert [s.remaining for s in summary.km] == pytest.approx([2 / 3, 1 / 3, 1 / 3])
    assert all(isinstance(s, KmStep) for s in summary.km)
    assert summary.km_median_days == 8
    assert summary.reached_by[7] == pytest.approx(1 / 3)
    assert (summary.reached_by[14], summary.reached_by[30]) == (None, None)
