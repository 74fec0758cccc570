"""A clinician's baseline given in another unit than the results is converted before the results
are graded against it (CTCAE v5.0 ALT, abnormal baseline; 1 µkat/L = 60 U/L; worked by hand)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from irae_desktop.domain.baseline import BaselineOverride
from irae_desktop.domain.series import LabToGrade, grade_series

START = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("alt", "grade"),
    [
        # baseline 1.0 µkat/L = 60 U/L, its ULN 0.85 µkat/L = 51 U/L: abnormal, so the later
        # results are graded as multiples of 60 U/L: G1 >= 1.5 x BL (90), G2 > 3.0 x BL (180)
        (80.0, 0),  # above the result's ULN of 65 U/L, but below 1.5 x the baseline
        (90.0, 1),  # exactly 1.5 x the baseline
        (280.0, 2),  # 4.7 x the baseline
    ],
)
def test_an_override_in_another_unit_is_converted_before_grading(alt: float, grade: int) -> None:
    later = LabToGrade(1, "ALT", datetime(2026, 3, 20, 9, tzinfo=UTC), alt, "", "U/L", 65.0, None)
    graded = grade_series(
        [later],
        START,
        zone=UTC,
        overrides={"ALT": BaselineOverride("ALT", 1.0, 0.85, "pre-treatment value from letter")},
        baseline_units={"ALT": "µkat/L"},
        criteria_id="ctcae-5.0",
    )
    assert graded[1].grade == grade, graded[1].reason
