"""Grade bands agree with the grader: a value inside a band gets that band's grade, and the
band edges are the literal thresholds of the CTCAE tables (clinical reference, decision 15)."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from irae_desktop.domain.grade_bands import GradeBand, grade_bands
from irae_desktop.domain.grading import grade_value

CRITERIA = st.sampled_from(["ctcae-5.0", "ctcae-6.0"])
# (analyte, unit, plausible ULN, plausible LLN)
GRADED = [
    ("ALT", "U/L", 40.0, None),
    ("AST", "U/L", 35.0, None),
    ("ALT", "µkat/L", 0.7, None),
    ("TBILI", "mg/dL", 1.2, None),
    ("TBILI", "µmol/L", 20.5, None),
    ("ALP", "U/L", 120.0, None),
    ("GGT", "U/L", 60.0, None),
    ("GLUCOSE_FASTING", "mg/dL", 99.0, 70.0),
    ("GLUCOSE_FASTING", "mmol/L", 5.5, 3.9),
    ("GLUCOSE", "mg/dL", 140.0, 70.0),
    ("GLUCOSE", "mmol/L", 7.8, 3.9),
    ("GLUCOSE_POC", "mg/dL", 140.0, 70.0),
    # the treatment-safety terms: counts, anemia, creatinine (alternatives by ULN or baseline,
    # v6.0's baseline below the LLN) and lipids
    ("ALC", "10^9/L", 4.0, 1.0),
    ("ANC", "10^9/L", 7.7, 1.8),
    ("ANC", "cells/uL", 7700.0, 1800.0),
    ("PLT", "10^9/L", 400.0, 150.0),
    ("HGB", "g/dL", 16.0, 12.0),
    ("HGB", "mmol/L", 9.9, 7.4),
    ("CREAT", "mg/dL", 1.2, 0.6),
    ("CREAT", "µmol/L", 106.0, 53.0),
    ("CHOL", "mg/dL", 200.0, None),
    ("CHOL", "mmol/L", 5.2, None),
    ("TRIG", "mg/dL", 150.0, None),
    ("TRIG", "mmol/L", 1.7, None),
]
FRACTION = st.floats(min_value=0.001, max_value=0.999)
SCALE = st.floats(min_value=0.3, max_value=3.0)


def _value_in(band: GradeBand, fraction: float) -> float:
    low = band.low if band.low is not None else 0.0
    high = band.high if band.high is not None else max(low, 1.0) * 40
    return low + fraction * (high - low)


@settings(max_examples=600, deadline=None)
@given(
    st.sampled_from(GRADED),
    CRITERIA,
    SCALE,
    st.one_of(st.none(), st.floats(min_value=0.2, max_value=6.0)),
    st.booleans(),
    FRACTION,
    st.data(),
)
def test_a_value_inside_a_band_gets_the_bands_grade(
    case: tuple[str, str, float, float | None],
    criteria: str,
    scale: float,
    baseline_multiple: float | None,
    is_baseline: bool,
    fraction: float,
    data: st.DataObject,
) -> None:
    analyte, unit, uln0, lln0 = case
    uln = uln0 * scale
    lln = None if lln0 is None else min(lln0, uln * 0.9)
    baseline = None if baseline_multiple is None else uln * baseline_multiple
    refs = {"baseline": baseline, "baseline_uln": uln, "criteria_id": criteria}
    bands = grade_bands(analyte, unit, uln=uln, lln=lln, is_baseline=is_baseline, **refs)  # type: ignore[arg-type]
    assume(bands.bands)
    band = data.draw(st.sampled_from(bands.bands))
    value = _value_in(band, fraction)
    assume(value > 0)
    got = grade_value(analyte, value, "", unit, uln, lln, is_baseline=is_baseline, **refs)  # type: ignore[arg-type]
    assert got.grade == band.grade, (band, value, got.reason)
    for edge, closed in ((band.low, band.low_closed), (band.high, band.high_closed)):
        if edge is not None and edge > 0:
            at = grade_value(analyte, edge, "", unit, uln, lln, is_baseline=is_baseline, **refs)  # type: ignore[arg-type]
            # a closed end is in the band, an open one is not (the tables' "A - B" and ">A")
            assert (at.grade == band.grade) == closed, (band, edge, at.reason)


def _edges(bands: tuple[GradeBand, ...], side: str = "high") -> list[tuple[int, float | None]]:
    return [(b.grade, b.low if side == "high" else b.high) for b in bands if b.side == side]


def test_v6_alp_has_one_band_above_uln_and_baseline() -> None:
    # v6.0: ALP grade 1 only, above both baseline and ULN (ULN 120 U/L): 400 U/L is grade 1
    bands = grade_bands("ALP", "U/L", uln=120.0, criteria_id="ctcae-6.0")
    assert [(b.grade, b.low, b.high) for b in bands.bands] == [(1, 120.0, None)]
    assert bands.grade_of(400.0) == 1
    assert grade_value("ALP", 400.0, "", "U/L", 120.0, None, criteria_id="ctcae-6.0").grade == 1
    with_baseline = grade_bands("ALP", "U/L", uln=120.0, baseline=150.0, criteria_id="ctcae-6.0")
    assert [(b.grade, b.low) for b in with_baseline.bands] == [(1, 150.0)]


def test_v5_alp_bands_are_the_uln_multiples() -> None:
    bands = grade_bands("ALP", "U/L", uln=120.0, criteria_id="ctcae-5.0")
    # >ULN, >2.5, >5, >20 x ULN of 120 U/L
    assert _edges(bands.bands) == [(1, 120.0), (2, 300.0), (3, 600.0), (4, 2400.0)]
    assert [b.high for b in bands.bands] == [300.0, 600.0, 2400.0, None]


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        # 95 U/L baseline, ULN 40: v5.0 1.5 / 3 / 5 / 20 x BL; v6.0 1.0 / 1.5 / 2 / 4 x BL
        ("ctcae-5.0", [(1, 142.5), (2, 285.0), (3, 475.0), (4, 1900.0)]),
        ("ctcae-6.0", [(1, 95.0), (2, 142.5), (3, 190.0), (4, 380.0)]),
    ],
)
def test_abnormal_baseline_alt_bands_are_multiples_of_the_baseline(
    criteria: str, expected: list[tuple[int, float]]
) -> None:
    bands = grade_bands(
        "ALT", "U/L", uln=40.0, baseline=95.0, baseline_uln=40.0, criteria_id=criteria
    )
    assert bands.abnormal_baseline
    assert [(g, pytest.approx(v)) for g, v in _edges(bands.bands)] == expected
    # ALT 214 and 305 U/L against that baseline: v5.0 grade 1 and 2, never the ULN's grade 3
    if criteria == "ctcae-5.0":
        assert (bands.grade_of(214.0), bands.grade_of(305.0)) == (1, 2)


def test_fasting_glucose_bands_hyper_and_hypo() -> None:
    bands = grade_bands("GLUCOSE_FASTING", "mg/dL", uln=99.0, lln=70.0)
    assert _edges(bands.bands) == [(1, 99.0), (2, 160.0), (3, 250.0), (4, 500.0)]
    # hypoglycemia: <LLN, <55, <40, <30 mg/dL (upper ends of the low bands)
    assert _edges(bands.bands, "low") == [(1, 70.0), (2, 55.0), (3, 40.0), (4, 30.0)]
    si = grade_bands("GLUCOSE_FASTING", "mmol/L", uln=5.5, lln=3.9)
    assert _edges(si.bands) == [(1, 5.5), (2, 8.9), (3, 13.9), (4, 27.8)]


def test_non_fasting_glucose_has_no_grade_1_or_2_band() -> None:
    bands = grade_bands("GLUCOSE", "mg/dL", uln=140.0, lln=70.0)
    assert _edges(bands.bands) == [(3, 250.0), (4, 500.0)]
    assert bands.grade_of(200.0) is None


def test_no_uln_draws_only_the_absolute_bands_and_says_why() -> None:
    bands = grade_bands("GLUCOSE_FASTING", "mg/dL", uln=None, lln=70.0)
    assert _edges(bands.bands) == [(2, 160.0), (3, 250.0), (4, 500.0)]
    assert bands.why_none == "no ULN or baseline"
    assert grade_bands("ALT", "U/L", uln=None).bands == ()


def test_analyte_without_a_term_has_no_bands() -> None:
    bands = grade_bands("CPEPTIDE", "ng/mL", uln=3.0)
    assert bands.bands == () and "no CTCAE term" in bands.why_none


def test_bands_name_the_table_the_grades_come_from() -> None:
    # glucose under v5.0 is graded by the ASCO 2021 / CTCAE v4.03 numeric table (clinical
    # reference, decision 1): its bands say so, as its stored grades do
    glucose = grade_bands("GLUCOSE_FASTING", "mg/dL", uln=99.0, lln=70.0, criteria_id="ctcae-5.0")
    assert glucose.criteria_label == "ASCO 2021 / CTCAE v4.03 numeric"
    alt = grade_bands("ALT", "U/L", uln=40.0, criteria_id="ctcae-5.0")
    assert alt.criteria_label == "CTCAE v5.0"


@pytest.mark.parametrize(
    ("criteria", "baseline", "lln", "expected"),
    [
        # ULN 1.2 mg/dL, no baseline: >1, >1.5, >3, >6 x ULN
        ("ctcae-5.0", None, 0.6, [(1, 1.2), (2, 1.8), (3, 3.6), (4, 7.2)]),
        # a baseline of 0.5: grade 2 from 1.5 x 0.5 = 0.75 and grade 3 from 3 x 0.5 = 1.5,
        # below the ULN's own bands; grade 1 is left with no values of its own
        ("ctcae-5.0", 0.5, 0.6, [(2, 0.75), (3, 1.5), (4, 7.2)]),
        # v6.0: the same baseline below the LLN 0.6 counts; one of 0.7 does not
        ("ctcae-6.0", 0.5, 0.6, [(2, 0.75), (3, 1.5), (4, 7.2)]),
        ("ctcae-6.0", 0.7, 0.6, [(1, 1.2), (2, 1.8), (3, 3.6), (4, 7.2)]),
    ],
)
def test_creatinine_bands_take_the_lower_of_uln_and_baseline(
    criteria: str, baseline: float | None, lln: float, expected: list[tuple[int, float]]
) -> None:
    bands = grade_bands("CREAT", "mg/dL", uln=1.2, lln=lln, baseline=baseline, criteria_id=criteria)
    assert [(g, pytest.approx(v)) for g, v in _edges(bands.bands)] == expected
    for grade, start in expected:
        assert (
            grade_value(
                "CREAT",
                start * 1.001,
                "",
                "mg/dL",
                1.2,
                lln,
                baseline=baseline,
                criteria_id=criteria,
            ).grade
            == grade
        )


def test_v6_creatinine_bands_need_the_lln_to_use_the_baseline() -> None:
    bands = grade_bands("CREAT", "mg/dL", uln=1.2, baseline=0.5, criteria_id="ctcae-6.0")
    assert _edges(bands.bands) == [(4, pytest.approx(7.2))]
    assert bands.why_none == "no LLN"
