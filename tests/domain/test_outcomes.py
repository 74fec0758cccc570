"""Case-series rows and summaries: hand-worked cohorts (ULN 40 U/L for ALT, day 0 = 2 March
2026, draws at 08:00 UTC, clinical zone UTC; CTCAE v5.0: >3-5 xULN grade 2, >5-20 grade 3)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from irae_desktop.domain.outcome_summary import summarize
from irae_desktop.domain.outcomes import IRAES, OutcomeRow, cohort_outcomes
from irae_desktop.domain.timeline import DoseStepPoint, EpisodeSpan, PatientTimeline

from .builders import d, line, timeline

HEPATITIS = IRAES["hepatitis"]


def _episode(organ: str, onset: int) -> EpisodeSpan:
    return EpisodeSpan(1, organ, d(onset), None, 3, "active")


def responder_who_flares() -> PatientTimeline:
    """Prednisone 80 mg from day 0 to 13, MMF added on day 5; ALT back to grade 1 on day 10,
    grade 3 again on day 40."""
    alt = [(-61, 20), (-2, 300), (0, 400), (3, 250), (6, 150), (10, 100), (20, 60), (40, 250)]
    tl = timeline(
        [("ALT", day, value) for day, value in alt],
        [
            line(1, "ici", "pembrolizumab", -60),
            line(2, "immunosuppression", "prednisone", 0, 13, dose=80, dose_unit="mg"),
            line(3, "immunosuppression", "mycophenolate", 5, dose=1000, dose_unit="mg"),
        ],
        episodes=[_episode("hepatitis", -2)],
    )
    return replace(tl, patient_id=1, mrn="A-1")


def censored() -> PatientTimeline:
    """Methylprednisolone 100 mg a day from day 0, ALT still grade 2 at the last draw, day 14."""
    tl = timeline(
        [("ALT", -31, 30), ("ALT", 0, 250), ("ALT", 7, 200), ("ALT", 14, 180)],
        [
            line(1, "ici", "nivolumab", -30),
            line(2, "immunosuppression", "methylprednisolone", 0, dose=100, dose_unit="mg"),
        ],
        episodes=[_episode("Hepatitis", 0)],
    )
    return replace(tl, patient_id=2, mrn="B-2")


def started_at_grade_1() -> PatientTimeline:
    """Prednisone 60 mg days -10 to -1 (grade 1 by day -5), then MMF from day 0 while ALT was
    already grade 1; the ICI is infused again on day 20."""
    ici = line(1, "ici", "atezolizumab", -40)
    ici = replace(
        ici, dose_steps=(DoseStepPoint(d(-40), 1200, "mg"), DoseStepPoint(d(20), 1200, "mg"))
    )
    tl = timeline(
        [("ALT", -41, 25), ("ALT", -10, 200), ("ALT", -5, 100), ("ALT", 0, 80), ("ALT", 7, 50)],
        [
            ici,
            line(3, "immunosuppression", "prednisone", -10, -1, dose=60, dose_unit="mg"),
            line(2, "immunosuppression", "MMF", 0, 30, dose=1000, dose_unit="mg"),
        ],
        episodes=[_episode("hepatitis", -10)],
    )
    return replace(tl, patient_id=3, mrn="C-3")


def diabetes_only() -> PatientTimeline:
    tl = timeline(
        [("GLUCOSE", -21, 100), ("GLUCOSE", 0, 400), ("GLUCOSE", 2, 300), ("GLUCOSE", 5, 120)],
        [
            line(1, "ici", "pembrolizumab", -20),
            line(2, "immunosuppression", "baricitinib", 0, dose=4, dose_unit="mg"),
        ],
        episodes=[_episode("diabetes", 0)],
    )
    return replace(tl, patient_id=4, mrn="D-4")


def cohort() -> list[PatientTimeline]:
    return [responder_who_flares(), censored(), started_at_grade_1(), diabetes_only()]


def _rows() -> dict[tuple[str, str], OutcomeRow]:
    return {(r.mrn, r.agent): r for r in cohort_outcomes(cohort(), HEPATITIS)}


def test_one_row_per_patient_and_line_for_the_irae_only() -> None:
    rows = cohort_outcomes(cohort(), HEPATITIS)
    assert [(r.mrn, r.agent, r.position) for r in rows] == [
        ("A-1", "prednisone", 1),
        ("A-1", "mycophenolate mofetil", 2),
        ("B-2", "methylprednisolone", 1),
        ("C-3", "prednisone", 1),
        ("C-3", "mycophenolate mofetil", 2),
    ]


def test_responder_then_flare() -> None:
    row = _rows()[("A-1", "prednisone")]
    assert row.ici == "pembrolizumab"
    assert row.start_day == 60
    assert row.peak_grade_before == 3
    assert row.prior_agents == ()
    assert row.prior_steroid_days == 0
    assert row.prior_prednisone_mg == 0.0
    assert row.concurrent_agents == ("mycophenolate mofetil",)
    assert row.days_to_grade_le1 == 10
    assert row.reached_grade_le1
    assert row.days_to_50pct_fall == 6  # peak 400 on day 0; 150 on day 6
    assert row.steroid_mg_after == pytest.approx(80 * 14)
    assert (row.line_duration_days, row.line_ongoing) == (13, False)
    assert row.followup_days == 40
    assert (row.outcome_30, row.outcome_90) == ("resolved", "flared")


def test_overlapping_second_line() -> None:
    row = _rows()[("A-1", "mycophenolate mofetil")]
    assert row.prior_agents == ("prednisone",)
    assert row.prior_steroid_days == 5  # days 0-4
    assert row.prior_prednisone_mg == pytest.approx(400.0)
    assert row.peak_grade_before == 3
    assert row.days_to_grade_le1 == 5  # day 10 - day 5
    assert row.days_to_50pct_fall == 5  # peak 250 on day 3, 100 on day 10
    assert row.steroid_mg_after == pytest.approx(80 * 9)  # days 5-13
    assert (row.line_duration_days, row.line_ongoing) == (35, True)
    assert row.followup_days == 35
    assert (row.outcome_30, row.outcome_90) == ("resolved", "flared")


def test_censored_at_the_last_draw() -> None:
    row = _rows()[("B-2", "methylprednisolone")]
    assert row.days_to_grade_le1 is None and not row.reached_grade_le1
    assert not row.already_grade_le1_at_start
    assert row.days_to_50pct_fall is None  # 125 never reached
    assert row.followup_days == 14
    assert row.steroid_mg_after == pytest.approx(125 * 15)  # x1.25, days 0-14
    assert (row.outcome_30, row.outcome_90) == ("censored", "censored")


def test_line_started_at_grade_1_and_ici_resumed() -> None:
    first = _rows()[("C-3", "prednisone")]
    assert first.days_to_grade_le1 == 5
    assert first.peak_grade_before == 2
    row = _rows()[("C-3", "mycophenolate mofetil")]
    assert row.days_to_grade_le1 is None and row.already_grade_le1_at_start
    assert row.prior_agents == ("prednisone",) and not row.prior_mmf
    assert row.prior_steroid_days == 10
    assert row.prior_prednisone_mg == pytest.approx(600.0)
    assert row.ici == "atezolizumab"
    assert (row.line_duration_days, row.followup_days) == (30, 7)
    assert (row.outcome_30, row.outcome_90) == ("ICI resumed", "ICI resumed")


def test_diabetes_follows_glucose() -> None:
    rows = cohort_outcomes(cohort(), IRAES["diabetes"])
    assert [(r.mrn, r.agent) for r in rows] == [("D-4", "baricitinib")]
    row = rows[0]
    assert (row.days_to_grade_le1, row.days_to_50pct_fall) == (5, 5)
    assert row.peak_grade_before == 3
    assert row.outcome_30 == "resolved"


def test_filters_by_agent_spelling_and_position() -> None:
    rows = cohort_outcomes(cohort(), HEPATITIS, agents=["CellCept"])
    assert [r.mrn for r in rows] == ["A-1", "C-3"]
    rows = cohort_outcomes(cohort(), HEPATITIS, positions=[1])
    assert [r.agent for r in rows] == ["prednisone", "methylprednisolone", "prednisone"]


def test_summaries_by_agent() -> None:
    summaries = {s.agent: s for s in summarize(cohort_outcomes(cohort(), HEPATITIS))}
    pred = summaries["prednisone"]
    assert (pred.lines, pred.patients, pred.reached, pred.not_applicable) == (2, 2, 2, 0)
    spread = pred.days_to_grade_le1
    assert spread is not None
    assert (spread.median, spread.q1, spread.q3) == (7.5, 6.25, 8.75)  # of 5 and 10
    assert pred.reached_by == {7: 0.5, 14: 1.0, 30: 1.0}
    assert pred.km_median_days == 5
    mmf = summaries["mycophenolate mofetil"]
    assert (mmf.lines, mmf.reached, mmf.not_applicable) == (2, 1, 1)
    assert mmf.reached_by == {7: 1.0, 14: 1.0, 30: 1.0}
    methyl = summaries["methylprednisolone"]
    assert methyl.reached_by == {7: 0.0, 14: 0.0, 30: None}  # censored on day 14
    assert methyl.km_median_days is None


def test_followed_past_the_day_without_response_is_ongoing() -> None:
    """ALT grade 2 (200 U/L = 5 x ULN) still on day 35: ongoing at day 30, censored at 90."""
    tl = timeline(
        [("ALT", -31, 30), ("ALT", 0, 250), ("ALT", 14, 200), ("ALT", 35, 200)],
        [
            line(1, "ici", "nivolumab", -30),
            line(2, "immunosuppression", "infliximab", 0, dose=5, dose_unit="mg/kg"),
        ],
        episodes=[_episode("hepatitis", 0)],
    )
    (row,) = cohort_outcomes([tl], HEPATITIS)
    assert (row.outcome_30, row.outcome_90) == ("ongoing", "censored")
    assert row.steroid_mg_after == 0.0 and row.prior_prednisone_mg == 0.0


def test_days_are_clinical_days_in_the_team_zone() -> None:
    """Draws at 22:00 UTC are the next calendar day in Sydney: day 10 becomes day 11."""
    from zoneinfo import ZoneInfo

    base = responder_who_flares()
    tl = timeline(
        [(lab.analyte, (lab.collected_at.date() - d(0)).days, lab.value) for lab in base.labs],
        base.treatments,
        episodes=base.episodes,
        hour=22,
        zone=ZoneInfo("Australia/Sydney"),
    )
    first = cohort_outcomes([tl], HEPATITIS)[0]
    assert first.days_to_grade_le1 == 11
    assert first.followup_days == 41
