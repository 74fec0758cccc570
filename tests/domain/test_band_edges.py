"""The shaded grade bands at their exact edges: a value at a threshold belongs to the band the
CTCAE table puts it in ("A - B" is closed at B, ">A" is open at A), and a unit the table does
not list is converted from the table's own unit, and where a reference range puts the two sides
of glucose against each other the high side wins, as in the grader (expected values: CTCAE v5.0
and the ASCO 2021 / CTCAE v4.03 glucose table, worked by hand)."""

from __future__ import annotations

import pytest

from irae_desktop.domain.grade_bands import GradeBand, grade_bands
from irae_desktop.domain.grading import grade_value


@pytest.mark.parametrize(
    ("alt", "grade"),
    [
        # ALT, ULN 40 U/L, normal baseline: G1 >ULN-3.0 x ULN, G2 >3.0-5.0, G3 >5.0-20.0, G4 >20
        (40.0, None),  # exactly the ULN: not above it
        (40.5, 1),
        (120.0, 1),  # exactly 3 x ULN closes grade 1
        (120.0 * (1 + 1e-11), 1),  # the same value up to rounding noise
        (120.001, 2),  # a thousandth above 3 x ULN is grade 2
        (200.0, 2),  # exactly 5 x ULN
        (200.001, 3),
        (800.0, 3),  # exactly 20 x ULN
        (800.001, 4),
    ],
)
def test_alt_band_edges_follow_the_table(alt: float, grade: int | None) -> None:
    bands = grade_bands("ALT", "U/L", uln=40.0, criteria_id="ctcae-5.0")
    assert bands.grade_of(alt) == grade


def test_fasting_glucose_bands_in_a_unit_the_table_does_not_list() -> None:
    # the table gives mg/dL and mmol/L; in g/L the absolute bounds are the mg/dL ones / 100:
    # hyperglycemia >ULN, >1.60, >2.50, >5.00 g/L; hypoglycemia <LLN, <0.55, <0.40, <0.30 g/L
    bands = grade_bands("GLUCOSE_FASTING", "g/L", uln=0.99, lln=0.70)
    high = [(b.grade, b.low) for b in bands.bands if b.side == "high"]
    low = [(b.grade, b.high) for b in bands.bands if b.side == "low"]
    assert [(g, pytest.approx(v)) for g, v in high] == [(1, 0.99), (2, 1.6), (3, 2.5), (4, 5.0)]
    assert [(g, pytest.approx(v)) for g, v in low] == [(1, 0.70), (2, 0.55), (3, 0.40), (4, 0.30)]
    # at a bound: 1.60 g/L is still grade 1 (">160 mg/dL" is open), 0.55 g/L still grade 1
    assert (bands.grade_of(1.6), bands.grade_of(1.61)) == (1, 2)
    assert (bands.grade_of(0.55), bands.grade_of(0.54)) == (1, 2)
    assert bands.grade_of(0.85) is None  # inside the reference range


def test_a_uln_at_the_grade_2_bound_leaves_no_grade_1_band() -> None:
    # fasting glucose, ULN 160 mg/dL: grade 1 is ">ULN - 160 mg/dL", empty here; grade 2 starts
    # above 160, so 160 itself is in no band (the grader: not above the ULN, grade 0)
    bands = grade_bands("GLUCOSE_FASTING", "mg/dL", uln=160.0, lln=70.0)
    high = [(b.grade, b.low, b.high) for b in bands.bands if b.side == "high"]
    assert high == [(2, 160.0, 250.0), (3, 250.0, 500.0), (4, 500.0, None)]
    assert (bands.grade_of(160.0), bands.grade_of(160.5)) == (None, 2)
    assert grade_value("GLUCOSE_FASTING", 160.0, "", "mg/dL", 160.0, 70.0).grade == 0


def test_a_reference_range_of_one_value_leaves_that_value_without_a_band() -> None:
    # LLN = ULN = 90 mg/dL: hyperglycemia grade 1 is above 90, hypoglycemia grade 1 below it;
    # 90 itself is neither (the grader gives it grade 0)
    bands = grade_bands("GLUCOSE_FASTING", "mg/dL", uln=90.0, lln=90.0)
    assert GradeBand(1, "low", 55.0, 90.0, True, False) in bands.bands
    assert GradeBand(1, "high", 90.0, 160.0, False, True) in bands.bands
    assert [bands.grade_of(v) for v in (89.9, 90.0, 90.1)] == [1, None, 1]
    assert grade_value("GLUCOSE_FASTING", 90.0, "", "mg/dL", 90.0, 90.0).grade == 0


def test_hypoglycemia_bands_below_a_very_low_uln_stop_where_grade_1_starts() -> None:
    # ULN 35, LLN 20 mg/dL (a range far below any plausible one): the grader tries the high side
    # first, so above 35 every value is hyperglycemia grade 1; below it hypoglycemia keeps
    # grade 3 from 30 up to and including 35 (<40 mg/dL cut at the ULN) and grade 4 below 30.
    # Grade 2 (<55 - 40) lies wholly above 35 and grade 1 (<LLN 20) inside grade 4: not drawn.
    bands = grade_bands("GLUCOSE_FASTING", "mg/dL", uln=35.0, lln=20.0)
    low = [b for b in bands.bands if b.side == "low"]
    assert low == [
        GradeBand(3, "low", 30.0, 35.0, True, True),
        GradeBand(4, "low", None, 30.0, False, False),
    ]
    assert [bands.grade_of(v) for v in (25.0, 32.0, 35.0, 36.0, 45.0)] == [4, 3, 3, 1, 1]
    assert grade_value("GLUCOSE_FASTING", 32.0, "", "mg/dL", 35.0, 20.0).grade == 3
