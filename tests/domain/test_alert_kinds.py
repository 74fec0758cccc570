"""Alert kinds and their lifecycle (clinical reference, decision 13)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from irae_desktop.domain.alert_kinds import (
    ALERT_KINDS,
    can_acknowledge,
    kind_of_key,
    lifecycle_of,
    standing,
)
from irae_desktop.domain.alert_types import Alert
from irae_desktop.domain.alerts import evaluate_alerts
from irae_desktop.domain.timeline import EpisodeSpan

from .builders import at, d, line, timeline

PEMBRO = line(1, "ici", "pembrolizumab", 0, dose=200, dose_unit="mg", frequency="q3w")
TODAY = date(2026, 9, 14)


def alert(kind: str) -> Alert:
    return Alert(f"{kind}:1", kind, "critical", "t", "r", "s", at(0), "liver")


def test_every_kind_has_a_stable_identifier_and_a_lifecycle() -> None:
    assert {k: v.lifecycle for k, v in ALERT_KINDS.items()} == {
        "grade_escalation": "event",
        "flare": "event",
        "hys_law": "event",
        "ici_diabetes": "event",
        "steroid_refractory": "condition",
        "infliximab_hepatitis": "condition",
        "labs_overdue": "condition",
        "steroid_dose_unjudged": "condition",
        "ici_diabetes_check": "condition",
        "needs_review": "condition",
        "steroid_hyperglycemia": "event",
        "jak_lab_threshold": "condition",
        "jak_renal": "condition",
        "mmf_cytopenia": "condition",
        "pjp_prophylaxis": "condition",
        "infection_screening": "condition",
        "duplicate_line": "condition",
    }
    assert all(k.why for k in ALERT_KINDS.values())
    assert lifecycle_of("a_kind_added_later") == "condition"
    assert kind_of_key("flare:liver:3:17") == "flare"
    assert can_acknowledge("flare") and not can_acknowledge("labs_overdue")


@pytest.mark.parametrize(
    ("days_ago", "acknowledged", "expected"),
    [
        (0, False, "current"),
        (6, False, "current"),  # today and the six days before: the last 7 clinical days
        (7, False, "unacknowledged"),
        (40, False, "unacknowledged"),
        (0, True, "acknowledged"),
        (40, True, "acknowledged"),
    ],
)
def test_an_event_counts_for_7_clinical_days_then_waits_muted(
    days_ago: int, acknowledged: bool, expected: str
) -> None:
    raised = TODAY - timedelta(days=days_ago)
    assert standing(alert("flare"), acknowledged, raised, TODAY) == expected


@pytest.mark.parametrize("acknowledged", [False, True])
def test_a_condition_is_current_however_old_and_whatever_was_stored(acknowledged: bool) -> None:
    raised = TODAY - timedelta(days=90)
    assert standing(alert("labs_overdue"), acknowledged, raised, TODAY) == "current"


def test_every_kind_the_rules_raise_is_in_the_table() -> None:
    """Scenes that raise each kind; none may fall back to the default lifecycle unnoticed."""
    ifx = line(5, "immunosuppression", "infliximab", 42, dose=5, dose_unit="mg/kg")
    pred = line(2, "immunosuppression", "prednisone", 40, dose=1.0, dose_unit="mg/kg")
    liver_and_glucose = timeline(
        [
            ("ALT", -1, 25.0),
            ("ALT", 10, 900.0),
            ("ALT", 20, 60.0),
            ("ALT", 40, 300.0),
            ("TBILI", 40, 3.0),
            ("GLUCOSE", 41, 600.0),
            ("CPEPTIDE", 41, 0.05),
        ],
        [PEMBRO, ifx],
    )
    refractory = timeline(
        [("ALT", -1, 25.0), ("ALT", 40, 300.0), ("ALT", 44, 300.0)], [PEMBRO, pred]
    )
    mg_only = line(2, "immunosuppression", "prednisone", 40, dose=60.0, dose_unit="mg")
    no_weight = timeline([("ALT", 40, 300.0)], [PEMBRO, mg_only], weight_kg=None)
    raised = {a.kind for a in evaluate_alerts(liver_and_glucose, at(48))}
    raised |= {a.kind for a in evaluate_alerts(refractory, at(44, 18))}
    raised |= {a.kind for a in evaluate_alerts(no_weight, at(41))}
    assert raised >= {
        "grade_escalation",
        "flare",
        "hys_law",
        "ici_diabetes",
        "steroid_refractory",
        "infliximab_hepatitis",
        "labs_overdue",
        "steroid_dose_unjudged",
    }
    assert raised <= set(ALERT_KINDS)


def test_infliximab_alert_holds_only_while_hepatitis_is_active() -> None:
    ifx = line(5, "immunosuppression", "infliximab", 42, 42, dose=5, dose_unit="mg/kg")
    # ALT grade 3 on day 41, grade 1 from day 50: hepatitis no longer active 14 days later
    tl = timeline([("ALT", -1, 25.0), ("ALT", 41, 300.0), ("ALT", 50, 60.0)], [PEMBRO, ifx])
    (found,) = [a for a in evaluate_alerts(tl, at(43)) if a.kind == "infliximab_hepatitis"]
    assert found.raised_at == found.evidence_at and found.evidence_at.date() == d(42)
    assert "infliximab_hepatitis" not in {a.kind for a in evaluate_alerts(tl, at(60))}
    # an open hepatitis episode keeps it active
    episode = EpisodeSpan(1, "hepatitis", d(40), None, 3, "improving")
    with_episode = timeline(
        [("ALT", -1, 25.0), ("ALT", 41, 300.0), ("ALT", 50, 60.0)],
        [PEMBRO, ifx],
        episodes=[episode],
    )
    assert "infliximab_hepatitis" in {a.kind for a in evaluate_alerts(with_episode, at(60))}


def test_infliximab_started_before_hepatitis_alerts_while_it_runs() -> None:
    ifx = line(5, "immunosuppression", "infliximab", 20, dose=5, dose_unit="mg/kg")
    tl = timeline([("ALT", -1, 25.0), ("ALT", 41, 300.0)], [PEMBRO, ifx])
    (found,) = [a for a in evaluate_alerts(tl, at(43)) if a.kind == "infliximab_hepatitis"]
    assert found.raised_at == at(41) and "on board" in found.rule
    stopped = line(5, "immunosuppression", "infliximab", 20, 21, dose=5, dose_unit="mg/kg")
    tl = timeline([("ALT", -1, 25.0), ("ALT", 41, 300.0)], [PEMBRO, stopped])
    assert "infliximab_hepatitis" not in {a.kind for a in evaluate_alerts(tl, at(43))}


def test_labs_overdue_is_raised_when_the_next_result_fell_due() -> None:
    # grade 3 on day 30: results due every 2 days, so overdue from day 32 at the same hour
    tl = timeline([("ALT", -1, 25.0), ("ALT", 30, 300.0)], [PEMBRO])
    (found,) = [a for a in evaluate_alerts(tl, at(33)) if a.kind == "labs_overdue"]
    assert found.raised_at == at(32) and found.evidence_at == at(30)
