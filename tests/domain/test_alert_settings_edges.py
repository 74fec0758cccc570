"""Alert settings at their edges: a setting of 0 is allowed (only negatives are refused), and
the grade 4 interval for overdue labs also applies above grade 4."""

from __future__ import annotations

from irae_desktop.domain.alert_types import AlertSettings


def test_a_setting_of_zero_is_accepted() -> None:
    assert (
        AlertSettings.from_dict({"diabetes_bhb_above_mmol_l": 0}).diabetes_bhb_above_mmol_l == 0.0
    )


def test_overdue_intervals_by_grade_with_grade_5_as_grade_4() -> None:
    settings = AlertSettings(
        overdue_days_grade1=9, overdue_days_grade2=5, overdue_days_grade3=3, overdue_days_grade4=1
    )
    assert [settings.overdue_days(g) for g in (0, 1, 2, 3, 4, 5)] == [None, 9, 5, 3, 1, 1]
