"""Alert rules at their edges: the 30-day current window, a first new maximum, overdue severity,
results taken at the very moment of evaluation (clinical reference, sections 3-4)."""

from __future__ import annotations

from irae_desktop.domain.alerts import (
    AlertSettings,
    current_grade,
    evaluate_alerts,
    grade_escalation,
    labs_overdue,
)

from .builders import at, line, timeline

PEMBRO = line(1, "ici", "pembrolizumab", 0, dose=200, dose_unit="mg", frequency="q3w")


def test_a_result_30_days_before_the_newest_still_counts_for_the_current_grade() -> None:
    # ALT 300 U/L over a ULN of 40 is 7.5 xULN: grade 3; AST 30 U/L is grade 0
    kept = current_grade(timeline([("ALT", 10, 300.0), ("AST", 40, 30.0)], [PEMBRO]), "liver")
    assert kept is not None and kept[0] == 3 and kept[1].analyte == "ALT"
    dropped = current_grade(timeline([("ALT", 9, 300.0), ("AST", 40, 30.0)], [PEMBRO]), "liver")
    assert dropped is not None and dropped[0] == 0 and dropped[1].analyte == "AST"


def test_of_two_results_at_the_same_grade_the_newer_is_the_current_one() -> None:
    # ALT 50 and AST 60 U/L: both above the ULN of 40, under 3 xULN: grade 1
    found = current_grade(timeline([("ALT", 10, 50.0), ("AST", 12, 60.0)], [PEMBRO]), "liver")
    assert found is not None and found[0] == 1 and found[1].analyte == "AST"
    # a newer grade 0 (AST 30) does not hide an older grade 1
    found = current_grade(timeline([("ALT", 10, 50.0), ("AST", 12, 30.0)], [PEMBRO]), "liver")
    assert found is not None and found[0] == 1 and found[1].analyte == "ALT"


def test_a_first_grade_1_is_a_new_maximum_over_grade_0() -> None:
    # baseline ALT 25 on day -1; ALT 60 U/L on day 10 = 1.5 xULN: grade 1
    (alert,) = grade_escalation(timeline([("ALT", -1, 25.0), ("ALT", 10, 60.0)], [PEMBRO]))
    assert alert.title == "Liver: new maximum grade 1"
    assert alert.severity == "info"
    assert alert.rule.endswith("; previous maximum grade 0")
    assert alert.rule != "ALT; previous maximum grade 0"  # the grading reason, not the name


def test_only_grade_0_results_raise_no_new_maximum() -> None:
    assert grade_escalation(timeline([("ALT", -1, 25.0), ("ALT", 10, 38.0)], [PEMBRO])) == []


def test_a_repeat_of_the_maximum_is_not_a_new_one() -> None:
    # ALT 150 then 160 U/L: 3.75 and 4.0 xULN, both grade 2; the first set the maximum
    tl = timeline([("ALT", -1, 25.0), ("ALT", 10, 150.0), ("ALT", 12, 160.0)], [PEMBRO])
    (alert,) = grade_escalation(tl)
    assert alert.evidence_at == at(10)
    assert alert.rule.endswith("; previous maximum grade 0")


def test_a_glucose_maximum_is_found_when_the_liver_has_none() -> None:
    # glucose 300 mg/dL is above 250: grade 3 (fasting or not); the liver stays normal
    tl = timeline([("ALT", 10, 30.0), ("GLUCOSE", 10, 300.0)], [PEMBRO])
    (alert,) = grade_escalation(tl)
    assert (alert.organ, alert.title) == ("glucose", "Glucose: new maximum grade 3")
    assert alert.severity == "critical"


def test_overdue_labs_are_critical_from_grade_3_and_a_warning_at_grade_2() -> None:
    settings = AlertSettings()
    # grade 3 (ALT 300 U/L): labs every 2 days, overdue on the 3rd
    (severe,) = labs_overdue(timeline([("ALT", 10, 300.0)], [PEMBRO]), at(13), settings)
    assert (severe.severity, severe.title, severe.organ) == (
        "critical",
        "Liver labs overdue",
        "liver",
    )
    assert severe.source == "ASCO 2021"
    # grade 2 (ALT 150 U/L, 3.75 xULN): every 3 days, overdue on the 4th
    assert labs_overdue(timeline([("ALT", 10, 150.0)], [PEMBRO]), at(13), settings) == []
    (moderate,) = labs_overdue(timeline([("ALT", 10, 150.0)], [PEMBRO]), at(14), settings)
    assert moderate.severity == "warning"
    # grade 4 (ALT 900 U/L, 22.5 xULN): every 2 days as well, critical
    (worst,) = labs_overdue(timeline([("ALT", 10, 900.0)], [PEMBRO]), at(13), settings)
    assert worst.severity == "critical"


def test_overdue_glucose_is_found_when_the_liver_is_normal() -> None:
    # liver grade 0 needs no labs; glucose 300 mg/dL (grade 3) every 2 days
    tl = timeline([("ALT", 10, 30.0), ("GLUCOSE", 10, 300.0)], [PEMBRO])
    (alert,) = labs_overdue(tl, at(13), AlertSettings())
    assert (alert.organ, alert.title) == ("glucose", "Glucose labs overdue")


def test_a_result_taken_at_the_moment_of_evaluation_counts() -> None:
    tl = timeline([("ALT", -1, 25.0), ("ALT", 10, 300.0)], [PEMBRO])
    assert "grade_escalation" in [a.kind for a in evaluate_alerts(tl, at(10))]


def test_alerts_come_newest_evidence_first() -> None:
    tl = timeline([("ALT", -1, 25.0), ("ALT", 10, 150.0), ("GLUCOSE", 20, 300.0)], [PEMBRO])
    alerts = evaluate_alerts(tl, at(40))
    moments = [a.evidence_at for a in alerts]
    assert moments == sorted(moments, reverse=True) and len(set(moments)) > 1


def test_a_new_maximum_is_looked_for_only_after_the_first_ici_start() -> None:
    # ALT 300 U/L (grade 3) on day -10 comes before treatment; the baseline is ALT 25 on day -1
    # (the last before the start); then ALT 60 U/L = 1.5 xULN (grade 1) on day 10
    tl = timeline([("ALT", -10, 300.0), ("ALT", -1, 25.0), ("ALT", 10, 60.0)], [PEMBRO])
    (alert,) = grade_escalation(tl)
    assert alert.title == "Liver: new maximum grade 1" and alert.evidence_at == at(10)
