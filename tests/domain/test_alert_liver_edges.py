"""Hepatitis alerts at their edges (clinical reference, section 4): Hy's law exactly at its
multiples and with results above the measuring range, the 3-day look-back for a steroid's peak,
a run of steroids that stopped yesterday or the day before, hepatitis active exactly 14 days
after a grade 2 result, episodes of other organs, and the exact words of the alerts.

Day 0 is 2026-03-02 (builders.DAY0); ULNs: ALT 40 U/L, AST 40 U/L, total bilirubin 1.2 mg/dL,
ALP 120 U/L. ALT grades (CTCAE v5.0): >3-5 x ULN grade 2, >5-20 x ULN grade 3. The patient
weighs 70 kg, so prednisone 70 mg a day is 1 mg/kg/day, above the 0.5 mg/kg/day of an
adequate dose.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from irae_desktop.domain.alert_types import AlertSettings
from irae_desktop.domain.alerts_liver import (
    hys_law,
    infliximab_in_hepatitis,
    steroid_dose_unjudged,
    steroid_refractory,
)
from irae_desktop.domain.timeline import EpisodeSpan

from .builders import at, line, timeline

DEFAULTS = AlertSettings()
NIVO = line(1, "ici", "nivolumab", 0, dose=240, dose_unit="mg", frequency="q2w")


# --- Hy's law -------------------------------------------------------------------------------


def test_hys_law_at_exactly_3_x_uln_and_just_above_2_x_uln() -> None:
    # ALT 120 = 3.0 x ULN (at least 3: counts); bilirubin 2.5 = 2.08 x ULN (above 2)
    tl = timeline([("ALT", 40, 120.0), ("TBILI", 41, 2.5), ("ALP", 41, 150.0)], [NIVO])
    (alert,) = hys_law(tl, DEFAULTS)
    assert alert.title == "Hy's law pattern"
    assert alert.organ == "liver"
    assert alert.severity == "critical"
    assert alert.rule == (
        "ALT 120 U/L = 3.0 x ULN (at least 3) and total bilirubin 2.5 mg/dL = 2.1 x ULN "
        "(above 2) within 14 days; ALP 1.2 x ULN (below 2); exclude other causes"
    )


def test_bilirubin_of_exactly_2_x_uln_or_below_is_not_hys_law() -> None:
    exactly = timeline([("ALT", 40, 400.0), ("TBILI", 41, 2.4)], [NIVO])  # 2.4 / 1.2 = 2.0
    assert hys_law(exactly, DEFAULTS) == []
    below = timeline([("ALT", 40, 400.0), ("TBILI", 41, 1.8)], [NIVO])  # 1.5 x ULN
    assert hys_law(below, DEFAULTS) == []


def test_aminotransferase_above_the_measuring_range_counts() -> None:
    for comparator in (">", ">="):
        tl = timeline([("ALT", 40, 1000.0, comparator), ("TBILI", 41, 3.0)], [NIVO])
        (alert,) = hys_law(tl, DEFAULTS)
        assert alert.rule.startswith(f"ALT {comparator}1000 U/L = 25.0 x ULN"), comparator


def test_a_bilirubin_with_an_uln_of_1_is_read_against_it() -> None:
    # a laboratory whose bilirubin ULN is 1.0 mg/dL: 2.5 mg/dL is 2.5 x ULN
    tl = timeline([("ALT", 40, 400.0), ("TBILI", 41, 2.5)], [NIVO])
    labs = [replace(lab, uln=1.0) if lab.analyte == "TBILI" else lab for lab in tl.labs]
    (alert,) = hys_law(replace(tl, labs=labs), DEFAULTS)
    assert "total bilirubin 2.5 mg/dL = 2.5 x ULN" in alert.rule


def test_a_result_with_an_uln_of_0_is_left_out_without_failing() -> None:
    tl = timeline([("ALT", 40, 400.0), ("TBILI", 41, 2.5)], [NIVO])
    labs = [replace(lab, uln=0.0) if lab.analyte == "TBILI" else lab for lab in tl.labs]
    assert hys_law(replace(tl, labs=labs), DEFAULTS) == []


def test_an_unusable_normal_or_lonely_bilirubin_does_not_stop_the_search() -> None:
    # before the day-41 bilirubin that makes the pattern: one written "<0.5", one normal, and
    # one high on day 5 with no aminotransferase at 3 x ULN within 14 days of it
    for first in (("TBILI", 30, 0.5, "<"), ("TBILI", 30, 0.6), ("TBILI", 5, 3.0)):
        tl = timeline([first, ("ALT", 40, 400.0), ("TBILI", 41, 3.0)], [NIVO])
        (alert,) = hys_law(tl, DEFAULTS)
        assert alert.key == "hys_law:2:3", first


def test_without_alp_the_rule_says_so() -> None:
    tl = timeline([("ALT", 40, 400.0), ("TBILI", 41, 3.0)], [NIVO])
    (alert,) = hys_law(tl, DEFAULTS)
    assert alert.rule.endswith(
        "within 14 days; ALP not measured within the window; exclude other causes"
    )


def test_the_alp_nearest_the_bilirubin_decides_cholestasis() -> None:
    # ALP 360 = 3 x ULN on day 39, ALP 120 = 1 x ULN with the bilirubin on day 41: not cholestatic
    tl = timeline(
        [("ALT", 40, 400.0), ("ALP", 39, 360.0), ("ALP", 41, 120.0), ("TBILI", 41, 3.0)], [NIVO]
    )
    (alert,) = hys_law(tl, DEFAULTS)
    assert "ALP 1.0 x ULN (below 2)" in alert.rule
    # equally near before and after: the earlier one is read
    tied = timeline(
        [("ALT", 40, 400.0), ("ALP", 40, 120.0), ("ALP", 42, 360.0), ("TBILI", 41, 3.0)], [NIVO]
    )
    (alert,) = hys_law(tied, DEFAULTS)
    assert "ALP 1.0 x ULN (below 2)" in alert.rule


def test_of_alt_and_ast_drawn_together_the_one_stored_last_is_named() -> None:
    # both at 10 x ULN at the same instant: the key must not change from one look to the next
    tl = timeline([("ALT", 40, 400.0), ("AST", 40, 400.0), ("TBILI", 41, 3.0)], [NIVO])
    (alert,) = hys_law(tl, DEFAULTS)
    assert alert.key == "hys_law:2:3" and alert.rule.startswith("AST 400 U/L")
    swapped = timeline([("AST", 40, 400.0), ("ALT", 40, 400.0), ("TBILI", 41, 3.0)], [NIVO])
    (alert,) = hys_law(swapped, DEFAULTS)
    assert alert.key == "hys_law:2:3" and alert.rule.startswith("ALT 400 U/L")


def test_a_cholestatic_episode_does_not_hide_a_later_hys_law_pattern() -> None:
    # day 10: ALT, bilirubin and ALP 3 x ULN together (cholestatic); day 40 the same without ALP
    tl = timeline(
        [
            ("ALT", 10, 400.0),
            ("TBILI", 10, 3.0),
            ("ALP", 10, 360.0),
            ("ALT", 40, 400.0),
            ("TBILI", 40, 3.0),
        ],
        [NIVO],
    )
    (alert,) = hys_law(tl, DEFAULTS)
    assert alert.key == "hys_law:4:5"


def test_the_latest_of_two_patterns_is_raised() -> None:
    tl = timeline([("ALT", 40, 400.0), ("TBILI", 40, 3.0), ("TBILI", 42, 3.2)], [NIVO])
    (alert,) = hys_law(tl, DEFAULTS)
    assert alert.key == "hys_law:1:3"


# --- steroid-refractory hepatitis -----------------------------------------------------------


def _refractory(labs, stop=None, extra=(), now_day=13):  # type: ignore[no-untyped-def]
    """Prednisone 70 mg (1 mg/kg/day) from day 10 (judged from day 13)."""
    pred = line(2, "immunosuppression", "prednisone", 10, stop, dose=70, dose_unit="mg")
    tl = timeline([("ALT", -1, 25.0), *labs], [NIVO, pred, *extra])
    return steroid_refractory(tl, at(now_day, 12), DEFAULTS)


def test_a_peak_exactly_3_days_before_the_steroids_counts() -> None:
    # peak 800 U/L on day 7 (3 days before day 10); 560 on day 13 is 30% below it: improving
    assert _refractory([("ALT", 7, 800.0), ("ALT", 10, 500.0), ("ALT", 13, 560.0)]) == []


def test_a_peak_4_days_before_the_steroids_does_not_count() -> None:
    # the day-6 peak is out of the look-back: peak 560 on day 13 itself, no fall, grade 3
    (alert,) = _refractory([("ALT", 6, 800.0), ("ALT", 10, 500.0), ("ALT", 13, 560.0)])
    assert alert.title == "Possible steroid-refractory hepatitis"
    assert alert.source == "SITC; ASCO 2021"
    assert alert.rule == (
        "4 days of prednisone-equivalent at least 0.5 mg/kg/day since 2026-03-12; "
        "ALT peak 560 U/L (grade 3), latest 560 U/L (grade 3) on 2026-03-15: no fall by a "
        "grade or by 25%; consider second-line immunosuppression (mycophenolate)"
    )


def test_grade_2_that_does_not_fall_is_refractory() -> None:
    # ALT 180 = 4.5 x ULN (grade 2) on day 9, 170 on day 13: 170 is above 75% of 180 (135)
    (alert,) = _refractory([("ALT", 9, 180.0), ("ALT", 13, 170.0)])
    assert "ALT peak 180 U/L (grade 2), latest 170 U/L (grade 2)" in alert.rule


def test_steroids_stopped_yesterday_still_count_and_the_day_before_do_not() -> None:
    labs = [("ALT", 9, 600.0), ("ALT", 13, 590.0)]
    (alert,) = _refractory(labs, stop=12)  # days 10-12, judged on day 13
    assert alert.rule.startswith("3 days of prednisone-equivalent")
    assert _refractory(labs, stop=12, now_day=14) == []  # stopped 2 days before day 14


def test_a_second_line_started_with_the_steroids_ends_the_question() -> None:
    mmf = line(3, "immunosuppression", "mycophenolate", 10, dose=1000, dose_unit="mg")
    assert _refractory([("ALT", 9, 600.0), ("ALT", 13, 590.0)], extra=(mmf,)) == []


def test_an_analyte_without_a_result_since_day_3_is_left_out() -> None:
    # ALT only before day 13 (nothing to judge); AST 600 -> 590 does not fall
    (alert,) = _refractory([("ALT", 9, 600.0), ("AST", 9, 600.0), ("AST", 13, 590.0)])
    assert "AST peak 600 U/L (grade 3), latest 590 U/L (grade 3)" in alert.rule
    assert "ALT" not in alert.rule
    assert _refractory([("ALT", 9, 600.0), ("ALT", 11, 590.0)]) == []


# --- infliximab while hepatitis is active ----------------------------------------------------


def _infliximab(labs, lines, episodes=(), now_day=20, zone=UTC):  # type: ignore[no-untyped-def]
    tl = timeline([("ALT", -1, 25.0), *labs], [NIVO, *lines], episodes=list(episodes), zone=zone)
    return infliximab_in_hepatitis(tl, at(now_day, 12), DEFAULTS)


IFX_20 = line(5, "immunosuppression", "infliximab", 20, dose=5, dose_unit="mg/kg")


def test_hepatitis_is_active_exactly_14_days_after_a_grade_2_result() -> None:
    # ALT 180 = 4.5 x ULN (grade 2) on day 6: day 20 is 14 days later, day 21 is 15
    (alert,) = _infliximab([("ALT", 6, 180.0)], [IFX_20])
    assert alert.title == "Infliximab with active hepatitis"
    assert alert.source == "ASCO 2021; SITC; ESMO; NCCN"
    assert alert.organ == "liver"
    assert alert.rule == (
        "infliximab started 2026-03-22 while hepatitis is active (ALT grade 2 on 2026-03-08); "
        "still active now (ALT grade 2 on 2026-03-08); infliximab is contraindicated in "
        "immune-related hepatitis"
    )
    ifx_21 = line(5, "immunosuppression", "infliximab", 21, dose=5, dose_unit="mg/kg")
    assert _infliximab([("ALT", 6, 180.0)], [ifx_21], now_day=21) == []


def test_a_grade_2_result_drawn_today_makes_hepatitis_active() -> None:
    assert len(_infliximab([("ALT", 20, 180.0)], [IFX_20])) == 1


def test_ast_alone_can_make_hepatitis_active() -> None:
    (alert,) = _infliximab([("AST", 18, 180.0)], [IFX_20])
    assert "(AST grade 2 on 2026-03-20)" in alert.rule


def test_an_open_colitis_episode_is_not_hepatitis() -> None:
    colitis = EpisodeSpan(1, "colitis", at(15).date(), None, 3, "active")
    assert _infliximab([], [IFX_20], [colitis]) == []


def test_a_liver_episode_counts_from_its_onset_day_to_its_resolution_day() -> None:
    onset_today = EpisodeSpan(1, "Liver", at(20).date(), None, 3, "active")
    (alert,) = _infliximab([], [IFX_20], [onset_today])
    assert "(hepatitis episode since 2026-03-22)" in alert.rule
    ends_today = EpisodeSpan(1, "hepatitis", at(15).date(), at(20).date(), 3, "improving")
    assert len(_infliximab([], [IFX_20], [ends_today])) == 1
    marked_resolved = EpisodeSpan(1, "hepatitis", at(15).date(), None, 3, "resolved")
    assert _infliximab([], [IFX_20], [marked_resolved]) == []


def test_infliximab_given_before_hepatitis_is_raised_from_the_hepatitis_onset() -> None:
    # infliximab for colitis from day 5 (running); a hepatitis episode from day 15; clinical
    # days in Berlin, where day 15 begins at 23:00 UTC the day before
    berlin = ZoneInfo("Europe/Berlin")
    ifx_5 = line(5, "immunosuppression", "infliximab", 5, dose=5, dose_unit="mg/kg")
    episode = EpisodeSpan(1, "hepatitis", at(15).date(), None, 3, "active")
    (alert,) = _infliximab([], [ifx_5], [episode], zone=berlin)
    assert alert.began_at == datetime(2026, 3, 16, 23, 0, tzinfo=UTC)
    assert alert.evidence_at == datetime(2026, 3, 6, 23, 0, tzinfo=UTC)
    assert alert.rule.startswith("infliximab on board and hepatitis is active (hepatitis episode")


def test_infliximab_started_during_hepatitis_is_raised_from_its_start() -> None:
    # ALT grade 2 on day 15 and again on day 19; infliximab from day 15
    ifx_15 = line(5, "immunosuppression", "infliximab", 15, dose=5, dose_unit="mg/kg")
    (alert,) = _infliximab([("ALT", 15, 180.0), ("ALT", 19, 190.0)], [ifx_15])
    assert alert.began_at == datetime(2026, 3, 17, 0, 0, tzinfo=UTC)


def test_an_old_finished_course_does_not_hide_a_new_one() -> None:
    # a course on days 1-3 (no hepatitis then, stopped), and a new one from day 20
    old = line(4, "immunosuppression", "infliximab", 1, 3, dose=5, dose_unit="mg/kg")
    (alert,) = _infliximab([("ALT", 18, 180.0)], [old, IFX_20])
    assert alert.key == "infliximab_hepatitis:5"


# --- steroid dose that cannot be judged -------------------------------------------------------


def test_unjudged_steroid_dose_in_full_words() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    readable = line(2, "immunosuppression", "prednisone", 10, dose=70, dose_unit="mg")
    prn = line(3, "immunosuppression", "prednisolone", 11, dose=20, dose_unit="mg", frequency="prn")
    tl = timeline([("ALT", 9, 600.0)], [NIVO, readable, prn], zone=berlin)
    (alert,) = steroid_dose_unjudged(tl, at(13, 12))
    assert alert.key == "steroid_dose_unjudged:3"
    assert alert.title == "Steroid dose per kg unknown"
    assert alert.source == "SITC; ASCO 2021"
    assert alert.organ == "liver"
    assert alert.severity == "info"
    assert alert.evidence_at == datetime(2026, 3, 12, 23, 0, tzinfo=UTC)  # day 11 in Berlin
    assert alert.rule == (
        "prednisolone since 2026-03-13: its dose, unit or frequency cannot be read, so "
        "prednisone-equivalent mg/kg/day and the steroid-refractory check cannot be worked out"
    )


def test_no_weight_is_named_and_a_stopped_steroid_is_not_raised() -> None:
    running = line(2, "immunosuppression", "prednisone", 10, dose=70, dose_unit="mg")
    tl = timeline([("ALT", 9, 600.0)], [NIVO, running], weight_kg=None)
    (alert,) = steroid_dose_unjudged(tl, at(13, 12))
    assert "prednisone since 2026-03-12: no weight is recorded, so" in alert.rule
    stopped = line(2, "immunosuppression", "prednisone", 10, 11, dose=70, dose_unit="mg")
    tl2 = timeline([("ALT", 9, 600.0)], [NIVO, stopped], weight_kg=None)
    assert steroid_dose_unjudged(tl2, at(13, 12)) == []
