"""High glucose on high-dose steroids (clinical reference, section 10): the ICI-diabetes alerts
name the steroid the patient was on that day, and a glucose drawn on at least 20 mg/day
prednisone-equivalent with a C-peptide that is not low and no raised ketones is told apart as
likely steroid-induced hyperglycemia (info), not ICI diabetes. C-peptide 0.2 nmol/L = 0.60 ng/mL
(1 ng/mL = 0.331 nmol/L); pembrolizumab from day 0, prednisone from day 40."""

from __future__ import annotations

import pytest

from irae_desktop.domain.alerts import evaluate_alerts

from .builders import at, line, timeline

PEMBRO = line(1, "ici", "pembrolizumab", 0, dose=200, dose_unit="mg", frequency="q3w")
KINDS = ("ici_diabetes", "ici_diabetes_check", "steroid_hyperglycemia")
STEROID_WORDS = "; on systemic steroids that day: prednisone 60 mg/day prednisone-equivalent"


def _pred(dose: float) -> object:
    return line(2, "immunosuppression", "prednisone", 40, dose=dose, dose_unit="mg")


def _glucose(labs, dose: float | None = 60.0):  # type: ignore[no-untyped-def]
    lines = [PEMBRO] if dose is None else [PEMBRO, _pred(dose)]
    return [a for a in evaluate_alerts(timeline(labs, lines), at(42)) if a.kind in KINDS]


def test_ici_diabetes_names_the_steroid_of_the_day() -> None:
    (alert,) = _glucose([("GLUCOSE", 41, 600.0), ("CPEPTIDE", 41, 0.05)])
    assert (alert.kind, alert.severity) == ("ici_diabetes", "critical")
    assert alert.rule == (
        "glucose 600 mg/dL on 2026-04-12 (above 250 mg/dL) with C-peptide 0.05 ng/mL (below "
        f"0.2 nmol/L = 0.60 ng/mL) within 7 days{STEROID_WORDS}: urgent endocrine review, "
        "insulin; steroids do not treat it"
    )
    # without a steroid that day the words are as before
    (alert,) = _glucose([("GLUCOSE", 41, 600.0), ("CPEPTIDE", 41, 0.05)], dose=None)
    assert "steroids that day" not in alert.rule


def test_preserved_c_peptide_on_high_dose_steroids_in_full() -> None:
    (alert,) = _glucose([("GLUCOSE", 41, 320.0), ("CPEPTIDE", 41, 2.0), ("BHB", 41, 0.3)])
    assert (alert.key, alert.kind, alert.severity, alert.title, alert.source, alert.organ) == (
        "steroid_hyperglycemia:1:2",
        "steroid_hyperglycemia",
        "info",
        "Hyperglycemia on high-dose steroids: likely steroid-induced",
        "ASCO 2021",
        "glucose",
    )
    assert alert.rule == (
        f"glucose 320 mg/dL on 2026-04-12 (above 250 mg/dL){STEROID_WORDS}; C-peptide 2 ng/mL "
        "on 2026-04-12 (not below 0.2 nmol/L = 0.60 ng/mL), beta-hydroxybutyrate 0.3 mmol/L (not "
        "above 0.6 mmol/L): likely steroid-induced hyperglycemia, not ICI diabetes; treat the "
        "glucose, and think again if C-peptide falls or ketones rise"
    )
    (alert,) = _glucose([("GLUCOSE", 41, 320.0), ("CPEPTIDE", 41, 2.0)])
    assert ", ketones not measured: likely steroid-induced" in alert.rule


@pytest.mark.parametrize(
    ("labs", "dose", "kinds"),
    [
        # the dose from which a steroid explains it: 20 mg/day
        ([("GLUCOSE", 41, 320.0), ("CPEPTIDE", 41, 2.0)], 20.0, ["steroid_hyperglycemia"]),
        ([("GLUCOSE", 41, 320.0), ("CPEPTIDE", 41, 2.0)], 19.0, []),
        # C-peptide at the threshold (0.604 ng/mL) is not below it; just under it is
        ([("GLUCOSE", 41, 320.0), ("CPEPTIDE", 41, 0.61)], 60.0, ["steroid_hyperglycemia"]),
        ([("GLUCOSE", 41, 320.0), ("CPEPTIDE", 41, 0.6)], 60.0, ["ici_diabetes"]),
        # raised ketones make it ICI diabetes whatever the steroid
        ([("GLUCOSE", 41, 320.0), ("CPEPTIDE", 41, 2.0), ("BHB", 41, 1.5)], 60.0, ["ici_diabetes"]),
        # a censored C-peptide that may be low is not "preserved"
        ([("GLUCOSE", 41, 320.0), ("CPEPTIDE", 41, 1.0, "<")], 60.0, []),
        # nothing measured: the reminder, which says why it matters on steroids
        ([("GLUCOSE", 41, 320.0)], 60.0, ["ici_diabetes_check"]),
        ([("GLUCOSE", 41, 200.0), ("CPEPTIDE", 41, 2.0)], 60.0, []),  # not diabetes-range
    ],
)
def test_which_alert(labs, dose: float, kinds: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert [a.kind for a in _glucose(labs, dose)] == kinds


def test_the_reminder_on_high_dose_steroids() -> None:
    (alert,) = _glucose([("GLUCOSE", 41, 320.0)])
    assert alert.rule == (
        "glucose 320 mg/dL on 2026-04-12 (above 250 mg/dL) on immunotherapy, no C-peptide or "
        f"beta-hydroxybutyrate within 7 days{STEROID_WORDS}: steroid-induced hyperglycemia is "
        "likely, and only C-peptide and ketones tell it from ICI diabetes: measure both"
    )
    (alert,) = _glucose([("GLUCOSE", 41, 320.0)], dose=10.0)
    assert alert.rule.endswith(
        "within 7 days; on systemic steroids that day: prednisone 10 mg/day "
        "prednisone-equivalent: measure both"
    )
