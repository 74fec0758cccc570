"""ICI-diabetes alerts at their edges (clinical reference, section 3 and the alert thresholds of
section 4): the 250 mg/dL line, censored results, what counts as hyperglycemia that is new since
the first ICI dose, and the exact words of both alerts.

Dates: day 0 is 2026-03-02 (builders.DAY0), so day 60 is 2026-05-01. C-peptide is in ng/mL:
0.2 nmol/L is 0.2 / 0.331 = 0.604 ng/mL, so 0.3 ng/mL is low and 2.5 ng/mL is not.
"""

from __future__ import annotations

from irae_desktop.domain.alert_types import AlertSettings
from irae_desktop.domain.alerts_glucose import ici_diabetes

from .builders import line, timeline

PEMBRO = line(1, "ici", "pembrolizumab", 0, dose=200, dose_unit="mg", frequency="q3w")
DEFAULTS = AlertSettings()


def _kinds(tl, settings=DEFAULTS) -> list[str]:  # type: ignore[no-untyped-def]
    return [a.kind for a in ici_diabetes(tl, settings)]


def test_the_pattern_alert_in_full_words() -> None:
    tl = timeline([("GLUCOSE", 60, 420.0), ("BHB", 60, 4.2)], [PEMBRO])
    (alert,) = ici_diabetes(tl, DEFAULTS)
    assert alert.kind == "ici_diabetes"
    assert alert.severity == "critical"
    assert alert.title == "ICI-diabetes pattern"
    assert alert.source == "ASCO 2021"
    assert alert.organ == "glucose"
    assert alert.rule == (
        "glucose 420 mg/dL on 2026-05-01 (above 250 mg/dL) with beta-hydroxybutyrate 4.2 mmol/L "
        "(above 0.6 mmol/L) within 7 days: urgent endocrine review, insulin; "
        "steroids do not treat it"
    )


def test_the_reminder_in_full_words() -> None:
    tl = timeline([("GLUCOSE", 60, 380.0)], [PEMBRO])
    (alert,) = ici_diabetes(tl, DEFAULTS)
    assert alert.kind == "ici_diabetes_check"
    assert alert.key == "ici_diabetes_check:1"
    assert alert.severity == "warning"
    assert alert.title == "Hyperglycemia on ICI: check C-peptide and ketones"
    assert alert.source == "ASCO 2021"
    assert alert.organ == "glucose"
    assert alert.rule == (
        "glucose 380 mg/dL on 2026-05-01 (above 250 mg/dL) on immunotherapy, no C-peptide or "
        "beta-hydroxybutyrate within 7 days: measure both"
    )


def test_glucose_of_exactly_250_is_not_above_250() -> None:
    # non-fasting 250 mg/dL: below grade 3 (>250) and ungraded, so neither rule nor reminder
    assert _kinds(timeline([("GLUCOSE", 60, 250.0), ("CPEPTIDE", 60, 0.3)], [PEMBRO])) == []
    assert _kinds(timeline([("GLUCOSE", 60, 251.0), ("CPEPTIDE", 60, 0.3)], [PEMBRO])) == [
        "ici_diabetes"
    ]


def test_glucose_reported_above_the_measuring_range_counts() -> None:
    for comparator in (">", ">="):
        tl = timeline([("GLUCOSE", 60, 500.0, comparator), ("CPEPTIDE", 60, 0.3)], [PEMBRO])
        (alert,) = ici_diabetes(tl, DEFAULTS)
        assert alert.kind == "ici_diabetes", comparator
        assert alert.rule.startswith(f"glucose {comparator}500 mg/dL on 2026-05-01 (above 250")


def test_glucose_reported_below_a_value_does_not_count() -> None:
    # "<600" may be anything under 600: not known to be above 250
    tl = timeline([("GLUCOSE", 60, 600.0, "<"), ("CPEPTIDE", 60, 0.3)], [PEMBRO])
    assert _kinds(tl) == []


def test_grade_3_counts_when_the_team_raised_the_glucose_line() -> None:
    # the team sets the line at 400 mg/dL; 300 mg/dL non-fasting is still grade 3 (>250), and
    # the patient was hyperglycemic before the ICI, so only the grade makes it count
    settings = AlertSettings(diabetes_glucose_above_mg_dl=400.0)
    tl = timeline(
        [("GLUCOSE_FASTING", -10, 180.0), ("GLUCOSE", 60, 300.0), ("CPEPTIDE", 60, 0.3)],
        [PEMBRO],
    )
    (alert,) = ici_diabetes(tl, settings)
    assert alert.kind == "ici_diabetes"
    assert "on 2026-05-01 (grade 3) with C-peptide 0.3 ng/mL" in alert.rule


def test_normal_glucose_after_ici_raises_nothing() -> None:
    tl = timeline([("GLUCOSE_FASTING", 60, 95.0), ("CPEPTIDE", 60, 0.3)], [PEMBRO])
    assert _kinds(tl) == []
    assert _kinds(timeline([("GLUCOSE_FASTING", 60, 95.0)], [PEMBRO])) == []


def test_grade_2_glucose_is_new_only_after_the_first_ici_day() -> None:
    # fasting 180 mg/dL is grade 2 (>160 - 250): it counts when new after the ICI start
    after = timeline([("GLUCOSE_FASTING", 50, 180.0), ("CPEPTIDE", 51, 0.3)], [PEMBRO])
    (alert,) = ici_diabetes(after, DEFAULTS)
    assert "(new hyperglycemia (grade 2) after ICI start)" in alert.rule
    # on the day of the first dose it is not after the start
    on_start = timeline([("GLUCOSE_FASTING", 0, 180.0), ("CPEPTIDE", 0, 0.3)], [PEMBRO])
    assert _kinds(on_start) == []
    # without any ICI line there is no "after ICI start"
    no_ici = timeline([("GLUCOSE_FASTING", 50, 180.0), ("CPEPTIDE", 51, 0.3)], [])
    assert _kinds(no_ici) == []


def test_grade_2_glucose_is_not_new_when_graded_hyperglycemia_came_before() -> None:
    before = timeline(
        [("GLUCOSE_FASTING", -5, 180.0), ("GLUCOSE_FASTING", 50, 180.0), ("CPEPTIDE", 51, 0.3)],
        [PEMBRO],
    )
    assert _kinds(before) == []
    # hyperglycemia on the day of the first dose was there before the ICI acted
    on_start = timeline(
        [("GLUCOSE_FASTING", 0, 180.0), ("GLUCOSE_FASTING", 50, 180.0), ("CPEPTIDE", 51, 0.3)],
        [PEMBRO],
    )
    assert _kinds(on_start) == []


def test_an_ungraded_non_fasting_glucose_before_ici_is_not_prior_hyperglycemia() -> None:
    # non-fasting 180 mg/dL has no grade (grades 1-2 need a fasting value): the fasting grade 2
    # after the ICI start is still new
    tl = timeline(
        [("GLUCOSE", -5, 180.0), ("GLUCOSE_FASTING", 50, 180.0), ("CPEPTIDE", 51, 0.3)],
        [PEMBRO],
    )
    (alert,) = ici_diabetes(tl, DEFAULTS)
    assert "new hyperglycemia (grade 2)" in alert.rule


def test_c_peptide_reported_at_or_below_a_value_supports() -> None:
    for comparator in ("<", "<="):
        tl = timeline([("GLUCOSE", 60, 400.0), ("CPEPTIDE", 60, 0.1, comparator)], [PEMBRO])
        (alert,) = ici_diabetes(tl, DEFAULTS)
        assert alert.kind == "ici_diabetes", comparator
        assert f"C-peptide {comparator}0.1 ng/mL (below 0.2 nmol/L = 0.60 ng/mL)" in alert.rule


def test_ketones_of_exactly_0_6_do_not_support_and_0_61_do() -> None:
    at_line = timeline([("GLUCOSE", 60, 400.0), ("BHB", 60, 0.6)], [PEMBRO])
    assert _kinds(at_line) == []  # measured, so no reminder either
    above = timeline([("GLUCOSE", 60, 400.0), ("BHB", 60, 0.61)], [PEMBRO])
    assert _kinds(above) == ["ici_diabetes"]


def test_ketones_reported_above_the_range_support_and_below_a_value_do_not() -> None:
    for comparator in (">", ">="):
        tl = timeline([("GLUCOSE", 60, 400.0), ("BHB", 60, 8.0, comparator)], [PEMBRO])
        (alert,) = ici_diabetes(tl, DEFAULTS)
        assert f"beta-hydroxybutyrate {comparator}8 mmol/L (above 0.6 mmol/L)" in alert.rule
    below = timeline([("GLUCOSE", 60, 400.0), ("BHB", 60, 1.0, "<")], [PEMBRO])
    assert _kinds(below) == []


def test_an_earlier_unchecked_glucose_is_reminded_when_a_later_one_was_checked() -> None:
    # day 20: 400 mg/dL, nothing measured within 7 days; day 40: 400 mg/dL with a normal
    # C-peptide the same day: the reminder names the day-20 glucose (lab 1)
    tl = timeline([("GLUCOSE", 20, 400.0), ("GLUCOSE", 40, 400.0), ("CPEPTIDE", 40, 2.5)], [PEMBRO])
    (alert,) = ici_diabetes(tl, DEFAULTS)
    assert alert.kind == "ici_diabetes_check"
    assert alert.key == "ici_diabetes_check:1"
    assert "on 2026-03-22 (above 250 mg/dL)" in alert.rule


def test_no_reminder_for_hyperglycemia_before_or_on_the_first_ici_day() -> None:
    before = timeline([("GLUCOSE", -3, 400.0)], [PEMBRO])
    assert _kinds(before) == []
    on_start = timeline([("GLUCOSE", 0, 400.0)], [PEMBRO])
    assert _kinds(on_start) == []
    no_ici = timeline([("GLUCOSE", 10, 400.0)], [])
    assert _kinds(no_ici) == []
