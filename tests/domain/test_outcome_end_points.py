"""The day-30 and day-90 outcome of a line at the edges of its windows.

Hand-worked cases: ALT ULN 40 U/L (builders), a normal baseline ALT of 20 U/L on day -61, the
first ICI (pembrolizumab) on day -60, prednisone 80 mg a day from day 0 for hepatitis recorded on
day 0. CTCAE v5.0 with a normal baseline: ALT >ULN-3 x ULN is grade 1 (60 and 100 U/L), >3-5 x
ULN grade 2 (150 and 200 U/L), >5-20 x ULN grade 3 (300 and 400 U/L), 30 U/L grade 0; total
bilirubin (ULN 1.2 mg/dL) >1.5-3 x ULN is grade 2 (2.4 mg/dL). The outcome rules
(domain.outcomes; flares by clinical reference decision 14): a flare after day 0 outranks a
resumed ICI, which outranks a resolution (every response result's latest grade <= 1 once back
to grade <= 1 by the day); else "ongoing" when any draw is at least 30 (90) days after the
start, "censored" otherwise.
"""

from __future__ import annotations

from irae_desktop.domain.outcomes import IRAES, OutcomeRow, patient_outcomes
from irae_desktop.domain.timeline import EpisodeSpan, TreatmentSpan

from .builders import d, line, timeline

HEPATITIS = IRAES["hepatitis"]


def _row(
    alt: list[tuple[int, float]],
    *,
    ici: TreatmentSpan | None = None,
    other_labs: tuple[tuple[str, int, float], ...] = (),
) -> OutcomeRow:
    """The prednisone row of a patient with these ALT results (day, U/L) after the baseline."""
    tl = timeline(
        [("ALT", -61, 20), *(("ALT", day, value) for day, value in alt), *other_labs],
        [
            ici or line(1, "ici", "pembrolizumab", -60),
            line(2, "immunosuppression", "prednisone", 0, dose=80, dose_unit="mg"),
        ],
        episodes=[EpisodeSpan(1, "hepatitis", d(0), None, 3, "active")],
    )
    (row,) = patient_outcomes(tl, HEPATITIS)
    return row


def _outcomes(row: OutcomeRow) -> tuple[str, str]:
    return row.outcome_30, row.outcome_90


def test_a_peak_three_days_before_the_line_is_what_a_flare_comes_down_from() -> None:
    """Grade 3 on day -3 (the first day a line's peak is looked for), grade 1 on day 5, grade 2
    on day 20: down one grade from the peak and up again to 2, a flare after day 0."""
    row = _row([(-3, 300), (5, 100), (20, 150)])
    assert _outcomes(row) == ("flared", "flared")


def test_a_flare_on_day_30_counts_at_day_30() -> None:
    """Grade 3 on day 0, grade 1 on day 10, grade 2 again on day 30 (the window's last day)."""
    row = _row([(0, 400), (10, 60), (30, 150)])
    assert _outcomes(row) == ("flared", "flared")


def test_a_flare_on_the_lines_start_day_is_what_it_treats_not_its_outcome() -> None:
    """Grade 3 on day -3, grade 1 on day -1, grade 2 on day 0 (a flare, the reason for the line),
    grade 1 on day 10: back to grade <= 1 by day 10, no later flare, so resolved."""
    row = _row([(-3, 300), (-1, 100), (0, 150), (10, 60)])
    assert row.days_to_grade_le1 == 10
    assert _outcomes(row) == ("resolved", "resolved")


def test_an_ici_hold_ended_within_the_window_is_a_resumption() -> None:
    """Pembrolizumab held from day -2 and resumed on day 20: ICI resumed by day 30 and 90,
    though ALT was back to grade 1 on day 10."""
    ici = line(1, "ici", "pembrolizumab", -60, holds=((-2, 20),))
    row = _row([(0, 400), (10, 60), (40, 30)], ici=ici)
    assert row.days_to_grade_le1 == 10
    assert _outcomes(row) == ("ICI resumed", "ICI resumed")


def test_an_infusion_on_the_lines_start_day_is_not_a_resumption() -> None:
    """Infusions on day -60, day 0 (the line's start) and day 42: only day 42 is after day 0,
    so resolved at day 30 (grade 1 on day 10) and ICI resumed by day 90."""
    infusions = ((-60, 200, "mg"), (0, 200, "mg"), (42, 200, "mg"))
    ici = line(1, "ici", "pembrolizumab", -60, steps=infusions)
    row = _row([(0, 400), (10, 60), (60, 30)], ici=ici)
    assert _outcomes(row) == ("resolved", "ICI resumed")


def test_an_infusion_on_day_30_counts_at_day_30() -> None:
    """Infusions on day -60 and day 30 (the window's last day): ICI resumed by day 30."""
    ici = line(1, "ici", "pembrolizumab", -60, steps=((-60, 200, "mg"), (30, 200, "mg")))
    row = _row([(0, 400), (10, 60), (60, 30)], ici=ici)
    assert _outcomes(row) == ("ICI resumed", "ICI resumed")


def test_back_to_grade_1_on_day_30_is_resolved_at_day_30() -> None:
    """Grade 3 on day 0, grade 2 on day 14, grade 1 on day 30: 30 days to grade <= 1."""
    row = _row([(0, 400), (14, 200), (30, 60)])
    assert row.days_to_grade_le1 == 30
    assert _outcomes(row) == ("resolved", "resolved")


def test_a_result_back_above_grade_1_by_the_day_is_not_resolved() -> None:
    """ALT grade 3 on day 0, grade 1 on day 10 (10 days to grade <= 1), grade 2 on day 30. The
    bilirubin (grade 2 on days 0, 10 and 30) holds the liver at grade 2 from day 10, so ALT's
    rise is no flare (the organ's grade goes 3, 2, 2). ALT's latest grade by day 30 is 2: not
    resolved; followed to day 30, so ongoing at day 30 and censored at day 90."""
    bilirubin = (("TBILI", -61, 0.6), ("TBILI", 0, 2.4), ("TBILI", 10, 2.4), ("TBILI", 30, 2.4))
    row = _row([(0, 400), (10, 60), (30, 150)], other_labs=bilirubin)
    assert row.days_to_grade_le1 == 10
    assert _outcomes(row) == ("ongoing", "censored")


def test_followed_to_day_30_exactly_is_ongoing_at_day_30() -> None:
    """Grade 3 on day 0, grade 2 on days 14 and 30 (no fall to grade <= 1, no flare): the last
    draw is 30 days after the start, 60 short of day 90."""
    row = _row([(0, 400), (14, 150), (30, 150)])
    assert row.days_to_grade_le1 is None
    assert _outcomes(row) == ("ongoing", "censored")


def test_followed_to_day_90_exactly_is_ongoing_at_day_90() -> None:
    """Grade 3 on day 0, grade 2 on days 14, 30, 60 and 90: the last draw is on day 90."""
    row = _row([(0, 400), (14, 150), (30, 150), (60, 150), (90, 150)])
    assert _outcomes(row) == ("ongoing", "ongoing")


def test_resolved_by_day_10_and_still_at_day_90() -> None:
    """Grade 3 on day 0, grade 1 on day 10, grade 0 (30 U/L) on day 90, no flare, no ICI."""
    row = _row([(0, 400), (10, 60), (90, 30)])
    assert _outcomes(row) == ("resolved", "resolved")


def test_hepatitis_without_alt_or_ast_results_is_censored_with_nothing_measured() -> None:
    """Only bilirubin is drawn (2.4 mg/dL on day 0: grade 2; 1.0 on day 7: grade 0): no ALT or
    AST, so no time to grade <= 1, no halving of ALT, no draw to follow (0 days) and censored at
    both days; the bilirubin still gives the liver's grade 2 before the line."""
    tl = timeline(
        [("TBILI", -61, 0.6), ("TBILI", 0, 2.4), ("TBILI", 7, 1.0)],
        [
            line(1, "ici", "pembrolizumab", -60),
            line(2, "immunosuppression", "prednisone", 0, dose=80, dose_unit="mg"),
        ],
        episodes=[EpisodeSpan(1, "hepatitis", d(0), None, 3, "active")],
    )
    (row,) = patient_outcomes(tl, HEPATITIS)
    assert row.peak_grade_before == 2
    assert (row.days_to_grade_le1, row.days_to_50pct_fall) == (None, None)
    assert (row.followup_days, row.line_duration_days) == (0, 0)
    assert _outcomes(row) == ("censored", "censored")


def test_hepatitis_followed_by_ast_alone_has_no_alt_halving() -> None:
    """AST (ULN 40 U/L) 400 on day 0 (grade 3), 150 on day 6 (grade 2), 30 on day 12 (grade 0);
    no ALT at all: 12 days to grade <= 1, no day on which ALT halved."""
    tl = timeline(
        [("AST", -61, 20), ("AST", 0, 400), ("AST", 6, 150), ("AST", 12, 30)],
        [
            line(1, "ici", "pembrolizumab", -60),
            line(2, "immunosuppression", "prednisone", 0, dose=80, dose_unit="mg"),
        ],
        episodes=[EpisodeSpan(1, "hepatitis", d(0), None, 3, "active")],
    )
    (row,) = patient_outcomes(tl, HEPATITIS)
    assert row.days_to_grade_le1 == 12
    assert row.days_to_50pct_fall is None
