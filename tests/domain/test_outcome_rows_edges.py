"""What one case-series row says about its patient, episode and line, at the edges.

Hand-worked cases (builders): day 0 = 2 March 2026, birth date 1 January 1960, weight 70 kg,
draws at 08:00 UTC, clinical zone UTC; ALT ULN 40 U/L, a normal baseline ALT of 20 U/L on day
-61 and the first ICI (pembrolizumab) on day -60 unless a test says otherwise. CTCAE v5.0: ALT
>ULN-3 x ULN is grade 1 (60 and 100 U/L), >3-5 x ULN grade 2 (130, 150 and 200 U/L), >5-20 x ULN
grade 3 (300 and 400 U/L). Prednisone equivalents (clinical reference section 7):
methylprednisolone x 1.25, dexamethasone x 6.67.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from irae_desktop.domain.outcomes import IRAES, OutcomeRow, patient_outcomes
from irae_desktop.domain.timeline import EpisodeSpan, PatientTimeline, TreatmentSpan

from .builders import d, line, timeline, with_labs

HEPATITIS = IRAES["hepatitis"]
PEMBROLIZUMAB = line(1, "ici", "pembrolizumab", -60)


def _hepatitis(
    alt: list[tuple[int, float]],
    treatments: list[TreatmentSpan],
    *,
    onset: int = 0,
    baseline: bool = True,
) -> PatientTimeline:
    """A patient with hepatitis recorded on day `onset`, these ALT results (day, U/L) after the
    day -61 baseline, and these treatment lines."""
    labs = [("ALT", -61, 20.0)] if baseline else []
    labs += [("ALT", day, value) for day, value in alt]
    return timeline(
        labs,  # type: ignore[arg-type]
        treatments,
        episodes=[EpisodeSpan(1, "Hepatitis", d(onset), None, 3, "active")],
    )


def _rows(tl: PatientTimeline) -> dict[str, OutcomeRow]:
    return {row.agent: row for row in patient_outcomes(tl, HEPATITIS)}


def test_a_row_names_the_patient_episode_and_line_as_recorded() -> None:
    """Hepatitis recorded on day -2 (28 February 2026); prednisone line 2 from day 0 to day 13
    (15 March 2026) for "grade 3 hepatitis"."""
    prednisone = replace(
        line(2, "immunosuppression", "prednisone", 0, 13, dose=80, dose_unit="mg"),
        indication="grade 3 hepatitis",
    )
    tl = _hepatitis([(-2, 300), (0, 400), (10, 60)], [PEMBROLIZUMAB, prednisone], onset=-2)
    (row,) = patient_outcomes(tl, HEPATITIS)
    assert (row.patient_id, row.mrn, row.birth_date) == (1, "T-1", date(1960, 1, 1))
    assert (row.irae, row.irae_onset) == ("hepatitis", date(2026, 2, 28))
    assert (row.ici, row.first_ici_start) == ("pembrolizumab", date(2026, 1, 1))
    assert (row.line_id, row.agent, row.position) == (2, "prednisone", 1)
    assert (row.start, row.stop) == (date(2026, 3, 2), date(2026, 3, 15))
    assert row.indication == "grade 3 hepatitis"


def test_a_steroid_given_before_the_onset_is_no_line_but_counts_as_prior_steroid() -> None:
    """Dexamethasone 8 mg a day on days -59 to -57 (an antiemetic with the first infusion),
    hepatitis on day 0, prednisone from day 0: one row, for prednisone; the dexamethasone is its
    3 prior steroid days and 3 x 8 x 6.67 = 160.08 mg prednisone-equivalent."""
    tl = _hepatitis(
        [(0, 400), (10, 60)],
        [
            PEMBROLIZUMAB,
            line(2, "immunosuppression", "dexamethasone", -59, -57, dose=8, dose_unit="mg"),
            line(3, "immunosuppression", "prednisone", 0, dose=80, dose_unit="mg"),
        ],
    )
    rows = patient_outcomes(tl, HEPATITIS)
    assert [(r.agent, r.position) for r in rows] == [("prednisone", 1)]
    assert rows[0].prior_agents == ()
    assert rows[0].prior_steroid_days == 3
    assert rows[0].prior_prednisone_mg == pytest.approx(160.08)


def test_a_weight_based_steroid_dose_is_counted_with_the_patients_weight() -> None:
    """Methylprednisolone 1 mg/kg a day on days 0 to 4 at 70 kg: 70 x 1.25 = 87.5 mg
    prednisone-equivalent a day, 437.5 mg over the 5 days; mycophenolate from day 5."""
    tl = _hepatitis(
        [(0, 400), (7, 100), (14, 30)],
        [
            PEMBROLIZUMAB,
            line(2, "immunosuppression", "methylprednisolone", 0, 4, dose=1, dose_unit="mg/kg"),
            line(3, "immunosuppression", "mycophenolate", 5, dose=1000, dose_unit="mg"),
        ],
    )
    rows = _rows(tl)
    assert rows["methylprednisolone"].steroid_mg_after == pytest.approx(437.5)
    assert rows["mycophenolate mofetil"].prior_prednisone_mg == pytest.approx(437.5)
    assert rows["mycophenolate mofetil"].prior_steroid_days == 5


def test_a_steroid_dose_that_cannot_be_read_leaves_the_mg_unknown() -> None:
    """Prednisone 40 mg "as directed" (no number of doses a day) from day 0, mycophenolate from
    day 5: nothing was given before day 0 (0 mg), every later total is unknown."""
    tl = _hepatitis(
        [(0, 400), (7, 100), (14, 30)],
        [
            PEMBROLIZUMAB,
            line(
                2,
                "immunosuppression",
                "prednisone",
                0,
                dose=40,
                dose_unit="mg",
                frequency="as directed",
            ),
            line(3, "immunosuppression", "mycophenolate", 5, dose=1000, dose_unit="mg"),
        ],
    )
    rows = _rows(tl)
    prednisone, mmf = rows["prednisone"], rows["mycophenolate mofetil"]
    assert (prednisone.prior_prednisone_mg, prednisone.steroid_mg_after) == (0.0, None)
    assert (mmf.prior_prednisone_mg, mmf.steroid_mg_after) == (None, None)


def test_no_systemic_steroid_means_no_prior_steroid_days() -> None:
    """Infliximab alone, from day 0: no steroid day and 0 mg before it or during it."""
    tl = _hepatitis(
        [(0, 400), (14, 60)],
        [PEMBROLIZUMAB, line(2, "immunosuppression", "infliximab", 0, dose=5, dose_unit="mg/kg")],
    )
    (row,) = patient_outcomes(tl, HEPATITIS)
    assert row.prior_steroid_days == 0
    assert (row.prior_prednisone_mg, row.steroid_mg_after) == (0.0, 0.0)


def test_peak_grade_before_leaves_out_results_before_the_first_ici() -> None:
    """ALT 300 U/L on day -90 (grade 3, before the ICI: a pre-treatment value), 150 on day -2
    and 130 on day 0 (grade 2): the peak before the line is grade 2."""
    tl = _hepatitis(
        [(-90, 300), (-2, 150), (0, 130), (7, 60)],
        [PEMBROLIZUMAB, line(2, "immunosuppression", "prednisone", 0, dose=80, dose_unit="mg")],
    )
    (row,) = patient_outcomes(tl, HEPATITIS)
    assert row.peak_grade_before == 2


def test_peak_grade_before_leaves_out_results_after_the_start() -> None:
    """ALT grade 2 on days -2 and 0 (150 U/L), grade 3 on day 3 (300 U/L): the peak before the
    line is 2, the later rise is its outcome, not its reason."""
    tl = _hepatitis(
        [(-2, 150), (0, 150), (3, 300), (10, 60)],
        [PEMBROLIZUMAB, line(2, "immunosuppression", "prednisone", 0, dose=80, dose_unit="mg")],
    )
    (row,) = patient_outcomes(tl, HEPATITIS)
    assert row.peak_grade_before == 2


def test_a_result_drawn_on_the_first_ici_day_is_before_treatment() -> None:
    """On day -60, the first ICI day, ALT 150 U/L at 06:00 (graded 2 against the ULN only, as
    every result by the first ICI day) and 35 U/L at 08:00 (the baseline, the day's last). After
    the ICI, 100 U/L on day -2 and day 0 (grade 1): the peak before the line is grade 1."""
    tl = _hepatitis(
        [(-60, 150), (-60, 35), (-2, 100), (0, 100), (7, 30)],
        [PEMBROLIZUMAB, line(2, "immunosuppression", "prednisone", 0, dose=80, dose_unit="mg")],
        baseline=False,
    )
    early = next(lab for lab in tl.labs if lab.value == 150)
    assert (early.grade, early.is_baseline) == (2, False)
    moved = replace(early, collected_at=datetime(2026, 1, 1, 6, tzinfo=UTC))
    tl = with_labs(tl, [moved if lab is early else lab for lab in tl.labs])
    (row,) = patient_outcomes(tl, HEPATITIS)
    assert row.peak_grade_before == 1


def test_no_graded_result_before_the_start_gives_no_peak() -> None:
    """Only the baseline before the line (a baseline is not the irAE), then ALT from day 2."""
    tl = _hepatitis(
        [(2, 300), (10, 60)],
        [PEMBROLIZUMAB, line(2, "immunosuppression", "prednisone", 0, dose=80, dose_unit="mg")],
    )
    (row,) = patient_outcomes(tl, HEPATITIS)
    assert row.peak_grade_before is None


def test_a_patient_without_a_recorded_ici() -> None:
    """No ICI line: no baseline, so every result is graded against the ULN (150 U/L on day -2:
    grade 2; 300 on day 0: grade 3; 60 on day 10: grade 1). No ICI named, no day since it, and
    the peak before the line is grade 3."""
    tl = _hepatitis(
        [(-2, 150), (0, 300), (10, 60)],
        [line(2, "immunosuppression", "prednisone", 0, dose=80, dose_unit="mg")],
        baseline=False,
    )
    (row,) = patient_outcomes(tl, HEPATITIS)
    assert (row.ici, row.first_ici_start, row.start_day) == (None, None, None)
    assert row.peak_grade_before == 3
    assert row.days_to_grade_le1 == 10


def test_later_lines_share_no_response_that_was_not_reached() -> None:
    """Methylprednisolone from day 0, ALT still grade 2 (150 U/L) on days 7 and 14, mycophenolate
    added on day 7: methylprednisolone never reached grade <= 1, so nothing is concurrent."""
    tl = _hepatitis(
        [(0, 400), (7, 150), (14, 150)],
        [
            PEMBROLIZUMAB,
            line(2, "immunosuppression", "methylprednisolone", 0, dose=100, dose_unit="mg"),
            line(3, "immunosuppression", "mycophenolate", 7, dose=1000, dose_unit="mg"),
        ],
    )
    assert _rows(tl)["methylprednisolone"].concurrent_agents == ()


def test_a_line_started_after_the_response_is_not_concurrent() -> None:
    """Prednisone from day 0, ALT grade 1 on day 10 (10 days), tacrolimus from day 20."""
    tl = _hepatitis(
        [(0, 400), (10, 60), (25, 30)],
        [
            PEMBROLIZUMAB,
            line(2, "immunosuppression", "prednisone", 0, dose=80, dose_unit="mg"),
            line(3, "immunosuppression", "tacrolimus", 20, dose=2, dose_unit="mg"),
        ],
    )
    assert _rows(tl)["prednisone"].concurrent_agents == ()


def test_a_line_started_on_the_day_of_the_response_is_concurrent() -> None:
    """Prednisone from day 0, ALT grade 1 on day 10 (10 days); mycophenolate from day 10, the
    response's day (included, as in the patient view's concurrent agents)."""
    tl = _hepatitis(
        [(0, 400), (10, 60), (25, 30)],
        [
            PEMBROLIZUMAB,
            line(2, "immunosuppression", "prednisone", 0, dose=80, dose_unit="mg"),
            line(3, "immunosuppression", "mycophenolate", 10, dose=1000, dose_unit="mg"),
        ],
    )
    assert _rows(tl)["prednisone"].concurrent_agents == ("mycophenolate mofetil",)


def test_prior_mmf_includes_the_line_just_before() -> None:
    """Mycophenolate from day 0 (line 1), tacrolimus from day 14 (line 2)."""
    tl = _hepatitis(
        [(0, 400), (14, 200), (28, 60)],
        [
            PEMBROLIZUMAB,
            line(2, "immunosuppression", "mycophenolate", 0, dose=1000, dose_unit="mg"),
            line(3, "immunosuppression", "tacrolimus", 14, dose=2, dose_unit="mg"),
        ],
    )
    rows = _rows(tl)
    assert rows["mycophenolate mofetil"].prior_mmf is False
    assert rows["tacrolimus"].prior_mmf is True
    assert rows["tacrolimus"].prior_agents == ("mycophenolate mofetil",)


def test_a_line_with_no_draw_after_its_start_is_followed_for_0_days() -> None:
    """ALT 300 U/L on day -2, prednisone from day 0 and no draw since: 0 days followed and 0
    days long (no stop date: counted to the last draw, here the start), censored at both days."""
    tl = _hepatitis(
        [(-2, 300)],
        [PEMBROLIZUMAB, line(2, "immunosuppression", "prednisone", 0, dose=80, dose_unit="mg")],
    )
    (row,) = patient_outcomes(tl, HEPATITIS)
    assert (row.followup_days, row.line_duration_days, row.line_ongoing) == (0, 0, True)
    assert (row.outcome_30, row.outcome_90) == ("censored", "censored")


def test_a_line_stopped_on_its_start_day_lasted_0_days() -> None:
    """Methylprednisolone given on day 0 only (stop date day 0), ALT followed to day 14."""
    tl = _hepatitis(
        [(0, 400), (7, 150), (14, 60)],
        [
            PEMBROLIZUMAB,
            line(2, "immunosuppression", "methylprednisolone", 0, 0, dose=500, dose_unit="mg"),
        ],
    )
    (row,) = patient_outcomes(tl, HEPATITIS)
    assert (row.line_duration_days, row.line_ongoing, row.followup_days) == (0, False, 14)
