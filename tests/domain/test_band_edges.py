"""The shaded grade bands at their exact edges: a value at a threshold belongs to the band the
CTCAE table puts it in ("A - B" is closed at B, ">A" is open at A), and a unit the table does
not list is converted from the table's own unit (expected values: CTCAE v5.0 and the ASCO 2021 /
CTCAE v4.03 glucose table, worked by hand)."""

from __future__ import annotations

import pytest

from irae_desktop.domain.grade_bands import grade_bands


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
