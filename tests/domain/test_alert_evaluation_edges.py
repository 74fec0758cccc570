"""evaluate_alerts and the per-organ rules at their edges: the moment of evaluation for held
results, a result without a grading reason, and labs overdue for the second organ when the
first has none or is not overdue (clinical reference, sections 3-4, decisions 11-12)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from irae_desktop.domain.alerts import evaluate_alerts, grade_escalation
from irae_desktop.domain.timeline import LabPoint

from .builders import at, line, timeline

PEMBRO = line(1, "ici", "pembrolizumab", 0, dose=200, dose_unit="mg", frequency="q3w")


def test_a_naive_moment_of_evaluation_is_refused_by_name() -> None:
    tl = timeline([("ALT", 5, 30.0)], [PEMBRO])
    with pytest.raises(ValueError, match=r"^evaluate_alerts needs an aware datetime for now$"):
        evaluate_alerts(tl, datetime(2026, 4, 1, 12, 0))


def _held(collected: datetime) -> LabPoint:
    return LabPoint(
        id=9,
        analyte="ALT",
        collected_at=collected,
        value=52000.0,
        comparator="",
        unit="U/L",
        uln=40.0,
        lln=None,
        grade=None,
        grade_reason=None,
        criteria_id=None,
        is_baseline=False,
        source="test",
    )


def test_a_held_result_counts_from_the_moment_it_was_collected() -> None:
    tl = replace(timeline([("ALT", 5, 30.0)], [PEMBRO]), held_for_review=[_held(at(20))])
    assert "needs_review" in [a.kind for a in evaluate_alerts(tl, at(20))]
    before = evaluate_alerts(tl, at(20) - timedelta(minutes=1))
    assert "needs_review" not in [a.kind for a in before]


def test_a_new_maximum_without_a_grading_reason_names_the_analyte() -> None:
    # ALT 400 U/L = 10 x ULN, grade 3, on day 20; its reason text is missing
    tl = timeline([("ALT", -1, 30.0), ("ALT", 20, 400.0)], [PEMBRO])
    labs = [replace(lab, grade_reason=None) if lab.id == 2 else lab for lab in tl.labs]
    (alert,) = grade_escalation(replace(tl, labs=labs))
    assert alert.rule == "ALT; previous maximum grade 0"


def test_glucose_labs_are_overdue_when_the_liver_has_no_labs() -> None:
    # glucose 300 mg/dL (grade 3) on day 10: labs every 2 days; on day 15 it is 5 days ago
    tl = timeline([("GLUCOSE", 10, 300.0)], [PEMBRO])
    (alert,) = [a for a in evaluate_alerts(tl, at(15, 12)) if a.kind == "labs_overdue"]
    assert alert.organ == "glucose"
    assert alert.severity == "critical"
    assert alert.title == "Glucose labs overdue"
    assert alert.source == "ASCO 2021"
    assert alert.rule == (
        "current grade 3 (GLUCOSE) calls for labs every 2 days; last on 2026-03-12, 5 days ago"
    )


def test_glucose_labs_are_overdue_when_the_liver_labs_are_not() -> None:
    # ALT 100 U/L = 2.5 x ULN (grade 1) yesterday: not overdue; glucose as above
    tl = timeline([("GLUCOSE", 10, 300.0), ("ALT", 14, 100.0)], [PEMBRO])
    overdue = [a.organ for a in evaluate_alerts(tl, at(15, 12)) if a.kind == "labs_overdue"]
    assert overdue == ["glucose"]


def test_an_alert_cites_the_criteria_its_result_was_graded_by() -> None:
    tl = timeline([("ALT", -1, 30.0), ("ALT", 20, 400.0)], [PEMBRO], criteria_id="ctcae-6.0")
    (alert,) = grade_escalation(tl)
    assert alert.source == "CTCAE v6.0"
    # a result graded by a criteria set this version does not ship cites that set's id
    labs = [replace(lab, criteria_id="site-2019") for lab in tl.labs]
    (alert,) = grade_escalation(replace(tl, labs=labs))
    assert alert.source == "site-2019"
