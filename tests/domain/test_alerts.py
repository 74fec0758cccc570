"""Alert rules on timelines built as in real consults (clinical reference, sections 3-4)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from irae_desktop.domain.alerts import AlertSettings, evaluate_alerts
from irae_desktop.domain.timeline import EpisodeSpan

from .builders import at, d, line, timeline

PEMBRO = line(1, "ici", "pembrolizumab", 0, dose=200, dose_unit="mg", frequency="q3w")


def kinds(alerts) -> list[str]:  # type: ignore[no-untyped-def]
    return [a.kind for a in alerts]


def _melanoma_hepatitis(extra_labs=(), treatments=(), weight=70.0):  # type: ignore[no-untyped-def]
    """Pembrolizumab from day 0; ALT to grade 4 on day 42; prednisone 1 mg/kg from day 42,
    switched to methylprednisolone 2 mg/kg on day 45."""
    labs = [
        ("ALT", -1, 25.0),
        ("AST", -1, 28.0),
        ("TBILI", -1, 0.6),
        ("ALT", 40, 300.0),
        ("AST", 40, 220.0),
        ("ALT", 42, 900.0),
        ("AST", 42, 610.0),
        ("ALT", 44, 880.0),
        ("AST", 44, 600.0),
        ("ALT", 46, 850.0),
        ("AST", 46, 590.0),
        *extra_labs,
    ]
    lines = [
        PEMBRO,
        line(2, "immunosuppression", "prednisone", 42, 44, dose=1.0, dose_unit="mg/kg"),
        line(3, "immunosuppression", "methylprednisolone", 45, dose=2.0, dose_unit="mg/kg"),
        *treatments,
    ]
    return timeline(labs, lines, weight_kg=weight)


def test_steroid_refractory_hepatitis_on_pembrolizumab() -> None:
    tl = _melanoma_hepatitis()
    alerts = evaluate_alerts(tl, at(46, 18))
    refractory = [a for a in alerts if a.kind == "steroid_refractory"]
    assert len(refractory) == 1
    alert = refractory[0]
    assert alert.severity == "critical" and alert.organ == "liver"
    assert alert.key == f"steroid_refractory:{d(42).isoformat()}"
    assert "ALT peak 900 U/L (grade 4)" in alert.rule and "0.5 mg/kg/day" in alert.rule
    assert "SITC" in alert.source
    assert alerts[0].severity == "critical"


def test_no_refractory_alert_before_three_days_of_steroids() -> None:
    assert "steroid_refractory" not in kinds(evaluate_alerts(_melanoma_hepatitis(), at(44, 18)))


def test_a_25_percent_fall_counts_as_improvement() -> None:
    tl = _melanoma_hepatitis(extra_labs=[("ALT", 47, 670.0), ("AST", 47, 420.0)])
    assert "steroid_refractory" not in kinds(evaluate_alerts(tl, at(47, 18)))


def test_a_fall_of_one_grade_counts_as_improvement() -> None:
    # 760 U/L is 19 x ULN: grade 3, only 16% below the 900 U/L peak
    tl = _melanoma_hepatitis(extra_labs=[("ALT", 47, 760.0), ("AST", 47, 560.0)])
    assert "steroid_refractory" not in kinds(evaluate_alerts(tl, at(47, 18)))


def test_second_line_already_started_silences_the_refractory_alert() -> None:
    mmf = line(
        4,
        "immunosuppression",
        "mycophenolate mofetil",
        46,
        dose=1000,
        dose_unit="mg",
        frequency="BID",
    )
    tl = _melanoma_hepatitis(treatments=[mmf])
    assert "steroid_refractory" not in kinds(evaluate_alerts(tl, at(46, 18)))


def test_low_dose_steroid_is_not_adequate() -> None:
    tl = timeline(
        [("ALT", -1, 25.0), ("ALT", 40, 900.0), ("ALT", 46, 880.0)],
        [PEMBRO, line(2, "immunosuppression", "prednisone", 40, dose=20, dose_unit="mg")],
    )
    assert "steroid_refractory" not in kinds(evaluate_alerts(tl, at(46, 18)))


def test_steroid_without_weight_says_the_dose_per_kg_is_unknown() -> None:
    tl = timeline(
        [("ALT", -1, 25.0), ("ALT", 40, 900.0), ("ALT", 46, 880.0)],
        [PEMBRO, line(2, "immunosuppression", "prednisone", 40, dose=80, dose_unit="mg")],
        weight_kg=None,
    )
    alerts = evaluate_alerts(tl, at(46, 18))
    assert "steroid_refractory" not in kinds(alerts)
    (unjudged,) = [a for a in alerts if a.kind == "steroid_dose_unjudged"]
    assert unjudged.severity == "info" and "no weight is recorded" in unjudged.rule
    with_weight = replace(tl, weight_kg=80.0)
    assert "steroid_dose_unjudged" not in kinds(evaluate_alerts(with_weight, at(46, 18)))


def test_refractory_key_is_stable_as_new_results_arrive() -> None:
    first = evaluate_alerts(_melanoma_hepatitis(), at(46, 18))
    later = evaluate_alerts(
        _melanoma_hepatitis(extra_labs=[("ALT", 48, 870.0), ("AST", 48, 600.0)]), at(48, 18)
    )
    key = [a.key for a in first if a.kind == "steroid_refractory"]
    assert key and key == [a.key for a in later if a.kind == "steroid_refractory"]


NIVO_IPI = [
    line(1, "ici", "nivolumab", 0, dose=1, dose_unit="mg/kg", frequency="q3w"),
    line(2, "ici", "ipilimumab", 0, dose=3, dose_unit="mg/kg", frequency="q3w"),
]


def test_ici_diabetes_with_glucose_600_and_c_peptide_0_05() -> None:
    tl = timeline([("GLUCOSE", -1, 95.0), ("GLUCOSE", 60, 600.0), ("CPEPTIDE", 61, 0.05)], NIVO_IPI)
    alerts = [a for a in evaluate_alerts(tl, at(61, 12)) if a.kind == "ici_diabetes"]
    assert len(alerts) == 1
    alert = alerts[0]
    assert alert.severity == "critical" and alert.organ == "glucose"
    assert alert.key == "ici_diabetes:2:3"
    assert "C-peptide 0.05 ng/mL" in alert.rule and "0.2 nmol/L" in alert.rule
    assert alert.source == "ASCO 2021"
    assert alert.evidence_at == at(61)


def test_ici_diabetes_with_raised_ketones() -> None:
    tl = timeline([("GLUCOSE", 60, 420.0), ("BHB", 60, 4.2)], NIVO_IPI)
    assert "ici_diabetes" in kinds(evaluate_alerts(tl, at(60, 12)))


def test_new_hyperglycemia_after_ici_start_with_low_c_peptide() -> None:
    # fasting 180 mg/dL is grade 2: below 250 but new since the ICI started
    tl = timeline(
        [("GLUCOSE_FASTING", -1, 92.0), ("GLUCOSE_FASTING", 50, 180.0), ("CPEPTIDE", 52, 0.3)],
        NIVO_IPI,
    )
    alerts = [a for a in evaluate_alerts(tl, at(52, 12)) if a.kind == "ici_diabetes"]
    assert alerts and "new hyperglycemia" in alerts[0].rule


def test_normal_c_peptide_or_one_too_far_away_gives_no_diabetes_alert() -> None:
    normal = timeline([("GLUCOSE", 60, 600.0), ("CPEPTIDE", 61, 2.5)], NIVO_IPI)
    assert not {"ici_diabetes", "ici_diabetes_check"} & set(kinds(evaluate_alerts(normal, at(62))))
    far = timeline([("GLUCOSE", 60, 600.0), ("CPEPTIDE", 68, 0.05)], NIVO_IPI)
    assert "ici_diabetes" not in kinds(evaluate_alerts(far, at(69)))


def test_c_peptide_boundary_is_strictly_below_0_2_nmol_per_litre() -> None:
    at_limit = 0.2 / 0.331  # exactly 0.2 nmol/L in ng/mL
    tl = timeline([("GLUCOSE", 60, 600.0), ("CPEPTIDE", 60, at_limit)], NIVO_IPI)
    assert "ici_diabetes" not in kinds(evaluate_alerts(tl, at(61)))
    tl2 = timeline([("GLUCOSE", 60, 600.0), ("CPEPTIDE", 60, at_limit * 0.99)], NIVO_IPI)
    assert "ici_diabetes" in kinds(evaluate_alerts(tl2, at(61)))


def test_unchecked_hyperglycemia_on_ici_asks_for_c_peptide_and_ketones() -> None:
    tl = timeline([("GLUCOSE", 60, 380.0)], NIVO_IPI)
    alerts = [a for a in evaluate_alerts(tl, at(60, 12)) if a.kind == "ici_diabetes_check"]
    assert alerts and alerts[0].severity == "warning" and "measure both" in alerts[0].rule


def test_hys_law_pattern_and_its_boundaries() -> None:
    base = [("ALP", 20, 150.0)]
    hit = timeline([("ALT", 20, 120.0), ("TBILI", 25, 2.41), *base], [PEMBRO])
    alerts = [a for a in evaluate_alerts(hit, at(26)) if a.kind == "hys_law"]
    assert len(alerts) == 1 and alerts[0].severity == "critical"
    assert alerts[0].source == "FDA DILI guidance 2009"
    assert "ALP 1.2 x ULN" in alerts[0].rule
    bili_at_2x = timeline([("ALT", 20, 120.0), ("TBILI", 25, 2.4), *base], [PEMBRO])
    assert "hys_law" not in kinds(evaluate_alerts(bili_at_2x, at(26)))
    alt_below_3x = timeline([("ALT", 20, 119.9), ("TBILI", 25, 3.0), *base], [PEMBRO])
    assert "hys_law" not in kinds(evaluate_alerts(alt_below_3x, at(26)))
    too_far = timeline([("ALT", 20, 200.0), ("TBILI", 35, 3.0)], [PEMBRO])
    assert "hys_law" not in kinds(evaluate_alerts(too_far, at(36)))
    cholestatic = timeline([("ALT", 20, 200.0), ("TBILI", 21, 3.0), ("ALP", 21, 240.0)], [PEMBRO])
    assert "hys_law" not in kinds(evaluate_alerts(cholestatic, at(22)))
    no_alp = timeline([("AST", 20, 200.0), ("TBILI", 21, 3.0)], [PEMBRO])
    (alert,) = [a for a in evaluate_alerts(no_alp, at(22)) if a.kind == "hys_law"]
    assert "ALP not measured" in alert.rule


def test_infliximab_during_active_hepatitis() -> None:
    ifx = line(5, "immunosuppression", "Infliximab-dyyb", 42, dose=5, dose_unit="mg/kg")
    tl = timeline([("ALT", -1, 25.0), ("ALT", 41, 300.0)], [PEMBRO, ifx])
    (alert,) = [a for a in evaluate_alerts(tl, at(43)) if a.kind == "infliximab_hepatitis"]
    assert alert.severity == "critical" and "contraindicated" in alert.rule
    assert alert.key == "infliximab_hepatitis:5"
    quiet = timeline([("ALT", -1, 25.0), ("ALT", 41, 45.0)], [PEMBRO, ifx])
    assert "infliximab_hepatitis" not in kinds(evaluate_alerts(quiet, at(43)))
    episode = EpisodeSpan(1, "hepatitis", d(30), None, 3, "improving")
    by_episode = timeline([("ALT", 41, 45.0)], [PEMBRO, ifx], episodes=[episode])
    assert "infliximab_hepatitis" in kinds(evaluate_alerts(by_episode, at(43)))


@pytest.mark.parametrize(
    ("value", "days_after", "overdue"),
    [
        (60.0, 7, False),  # grade 1: labs weekly; exactly 7 days is on time
        (60.0, 8, True),
        (130.0, 3, False),  # grade 2: every 3 days
        (130.0, 4, True),
        (300.0, 2, False),  # grade 3: every 2 days
        (300.0, 3, True),
        (30.0, 60, False),  # grade 0: no schedule
    ],
)
def test_labs_overdue_for_the_current_grade(value: float, days_after: int, overdue: bool) -> None:
    tl = timeline([("ALT", -1, 25.0), ("ALT", 30, value)], [PEMBRO])
    alerts = [a for a in evaluate_alerts(tl, at(30 + days_after)) if a.kind == "labs_overdue"]
    assert bool(alerts) == overdue
    if overdue:
        assert alerts[0].key == "labs_overdue:liver:2"


def test_signed_off_patient_has_no_overdue_alert() -> None:
    tl = replace(timeline([("ALT", 30, 300.0)], [PEMBRO]), status="signed_off")
    assert "labs_overdue" not in kinds(evaluate_alerts(tl, at(40)))


def test_grade_escalation_reports_the_latest_new_maximum_per_organ() -> None:
    tl = timeline(
        [
            ("ALT", -1, 90.0),  # baseline grade 1 against ULN: not an escalation
            ("ALT", 10, 140.0),  # 1.6 x the abnormal baseline: grade 1
            ("ALT", 12, 500.0),  # 5.6 x baseline: grade 3
            ("ALT", 14, 200.0),
            ("GLUCOSE", 20, 320.0),
        ],
        [PEMBRO],
    )
    alerts = [a for a in evaluate_alerts(tl, at(14, 12)) if a.kind == "grade_escalation"]
    by_organ = {a.organ: a for a in alerts}
    assert by_organ["liver"].key == "grade_escalation:liver:3:3"
    assert by_organ["liver"].severity == "critical"
    assert "previous maximum grade 1" in by_organ["liver"].rule
    assert by_organ["liver"].source == "CTCAE v5.0"
    assert "glucose" not in by_organ  # collected after `now`: ignored
    later = evaluate_alerts(tl, at(21))
    glucose = [a for a in later if a.kind == "grade_escalation" and a.organ == "glucose"]
    assert glucose and glucose[0].source == "ASCO 2021 / CTCAE v4.03 numeric"


def test_alerts_are_sorted_most_severe_first_and_need_an_aware_now() -> None:
    tl = _melanoma_hepatitis()
    alerts = evaluate_alerts(tl, at(46, 18))
    order = {"critical": 0, "warning": 1, "info": 2}
    assert [order[a.severity] for a in alerts] == sorted(order[a.severity] for a in alerts)
    with pytest.raises(ValueError, match="aware"):
        evaluate_alerts(tl, datetime(2026, 5, 1))


def test_settings_round_trip_and_change_the_rules() -> None:
    settings = AlertSettings(hys_law_window_days=20)
    assert AlertSettings.from_dict(settings.to_dict()) == settings
    too_far = timeline([("ALT", 20, 200.0), ("TBILI", 35, 3.0)], [PEMBRO])
    assert "hys_law" in kinds(evaluate_alerts(too_far, at(36), settings))
    assert AlertSettings.from_dict({"unknown": 1}) == AlertSettings()
    with pytest.raises(ValueError, match="hys_law_window_days must be a whole number"):
        AlertSettings.from_dict({"hys_law_window_days": 2.5})
    with pytest.raises(ValueError, match="must be a number"):
        AlertSettings.from_dict({"diabetes_glucose_above_mg_dl": "high"})
    with pytest.raises(ValueError, match="cannot be negative"):
        AlertSettings.from_dict({"overdue_days_grade1": -1})


def test_an_ungraded_draw_still_counts_as_labs_done() -> None:
    # glucose 300 mg/dL (grade 3: labs every 2 days) on day 30, then a non-fasting 200 mg/dL on
    # day 32, which has no grade (clinical reference, decision 9) but is a draw all the same:
    # on day 34 the last glucose is 2 days old, not 4
    tl = timeline([("GLUCOSE", 30, 300.0), ("GLUCOSE", 32, 200.0)], [PEMBRO])
    assert [lab.grade for lab in tl.labs] == [3, None]
    assert "labs_overdue" not in kinds(evaluate_alerts(tl, at(34)))
    overdue = [a for a in evaluate_alerts(tl, at(35)) if a.kind == "labs_overdue"]
    assert overdue and "last on" in overdue[0].rule and "3 days ago" in overdue[0].rule


def test_the_diabetes_pattern_is_raised_at_its_first_supported_glucose() -> None:
    # day 30: glucose 612 mg/dL with a censored C-peptide "<0.1" ng/mL, below 0.6 ng/mL
    # (0.2 nmol/L): the pattern holds that day; a later glucose with a later C-peptide is the
    # same episode, not a new event
    tl = timeline(
        [
            ("GLUCOSE", 30, 612.0),
            ("CPEPTIDE", 30, 0.1, "<"),
            ("GLUCOSE", 32, 306.0),
            ("CPEPTIDE", 35, 0.06),
        ],
        [PEMBRO],
    )
    (alert,) = [a for a in evaluate_alerts(tl, at(36)) if a.kind == "ici_diabetes"]
    assert alert.key == "ici_diabetes:1:2"
    assert "glucose 612 mg/dL" in alert.rule and "C-peptide <0.1 ng/mL" in alert.rule
