"""Each liver alert in full: title, severity, organ, source and rule, worked out by hand from the
scenario (clinical reference, sections 3-4), so a changed word or number in any of them shows."""

from __future__ import annotations

from irae_desktop.domain.alerts import evaluate_alerts

from .builders import at, d, line, timeline
from .test_alerts import PEMBRO, _melanoma_hepatitis


def _only(alerts, kind):  # type: ignore[no-untyped-def]
    (alert,) = [a for a in alerts if a.kind == kind]
    return alert


def test_steroid_refractory_in_full() -> None:
    # prednisone 1 mg/kg from day 42, then methylprednisolone: 5 days at >= 0.5 mg/kg/day by
    # day 46; ALT 900 -> 850 U/L (22.5 and 21.3 xULN, grade 4 both), AST 610 -> 590 U/L
    # (15.3 and 14.8 xULN, grade 3 both): no fall by a grade or by 25%
    alert = _only(evaluate_alerts(_melanoma_hepatitis(), at(46, 18)), "steroid_refractory")
    assert (alert.title, alert.severity, alert.organ, alert.source) == (
        "Possible steroid-refractory hepatitis",
        "critical",
        "liver",
        "SITC; ASCO 2021",
    )
    assert alert.rule == (
        f"5 days of prednisone-equivalent at least 0.5 mg/kg/day since {d(42).isoformat()}; "
        f"ALT peak 900 U/L (grade 4), latest 850 U/L (grade 4) on {d(46).isoformat()}; "
        f"AST peak 610 U/L (grade 3), latest 590 U/L (grade 3) on {d(46).isoformat()}: "
        "no fall by a grade or by 25%; consider second-line immunosuppression (mycophenolate)"
    )
    assert alert.evidence_at == at(46)


def test_steroid_dose_unjudged_in_full() -> None:
    prednisone = line(2, "immunosuppression", "prednisone", 40, dose=80, dose_unit="mg")
    tl = timeline(
        [("ALT", -1, 25.0), ("ALT", 40, 900.0), ("ALT", 46, 880.0)],
        [PEMBRO, prednisone],
        weight_kg=None,
    )
    alert = _only(evaluate_alerts(tl, at(46, 18)), "steroid_dose_unjudged")
    assert (alert.key, alert.title, alert.severity, alert.organ, alert.source) == (
        "steroid_dose_unjudged:2",
        "Steroid dose per kg unknown",
        "info",
        "liver",
        "SITC; ASCO 2021",
    )
    assert alert.rule == (
        f"prednisone since {d(40).isoformat()}: no weight is recorded, so prednisone-equivalent "
        "mg/kg/day and the steroid-refractory check cannot be worked out"
    )
    assert alert.evidence_at == at(40, 0)  # the start of the clinical day the line began


def test_hys_law_in_full() -> None:
    # ALT 120 U/L = 3.0 xULN (at least 3); bilirubin 2.41 mg/dL = 2.01 xULN (above 2), 5 days
    # later; ALP 150 U/L = 1.25 xULN (below 2)
    tl = timeline([("ALT", 20, 120.0), ("TBILI", 25, 2.41), ("ALP", 20, 150.0)], [PEMBRO])
    alert = _only(evaluate_alerts(tl, at(26)), "hys_law")
    assert (alert.title, alert.severity, alert.organ, alert.source) == (
        "Hy's law pattern",
        "critical",
        "liver",
        "FDA DILI guidance 2009",
    )
    assert alert.rule == (
        "ALT 120 U/L = 3.0 x ULN (at least 3) and total bilirubin 2.41 mg/dL = 2.0 x ULN "
        "(above 2) within 14 days; ALP 1.2 x ULN (below 2); exclude other causes"
    )
    assert alert.evidence_at == at(25)


def test_hys_law_names_the_closest_aminotransferase() -> None:
    # ALT 130 U/L on day 10 and AST 150 U/L on day 20 both qualify; the bilirubin of day 21
    # is paired with the AST, one day away
    tl = timeline(
        [("ALT", 10, 130.0), ("AST", 20, 150.0), ("TBILI", 21, 3.0), ("ALP", 21, 100.0)], [PEMBRO]
    )
    alert = _only(evaluate_alerts(tl, at(22)), "hys_law")
    assert alert.rule.startswith("AST 150 U/L = 3.8 x ULN (at least 3)"), alert.rule
    assert "ALP 0.8 x ULN (below 2)" in alert.rule


def test_infliximab_with_active_hepatitis_in_full() -> None:
    # ALT 300 U/L on day 41 = 7.5 xULN: grade 3, hepatitis active when infliximab starts on 42
    ifx = line(5, "immunosuppression", "Infliximab-dyyb", 42, dose=5, dose_unit="mg/kg")
    tl = timeline([("ALT", -1, 25.0), ("ALT", 41, 300.0)], [PEMBRO, ifx])
    alert = _only(evaluate_alerts(tl, at(43)), "infliximab_hepatitis")
    assert (alert.title, alert.severity, alert.organ, alert.source) == (
        "Infliximab with active hepatitis",
        "critical",
        "liver",
        "ASCO 2021; SITC; ESMO; NCCN",
    )
    day41 = d(41).isoformat()
    assert alert.rule == (
        f"Infliximab-dyyb started {d(42).isoformat()} while hepatitis is active (ALT grade 3 "
        f"on {day41}); still active now (ALT grade 3 on {day41}); infliximab is "
        "contraindicated in immune-related hepatitis"
    )
    assert alert.evidence_at == alert.began_at == at(42, 0)
