"""The references the grade bands stand on, and what the bands say when they cannot be drawn:
the analyte found by the name a lab writes, references refused, which baseline the bands use
and the words of `why_none`.

Expected edges are the CTCAE multiples worked out by hand (v5.0 ALT: >1, 3, 5, 20 x ULN; with an
abnormal baseline >=1.5, >3, >5, >20 x baseline; clinical reference, section 2); the texts of an
analyte without a term are the criteria files' own ("not_graded")."""

from __future__ import annotations

import math

import pytest

from irae_desktop.domain.grade_bands import GradeBand, GradeBands, grade_bands

# v5.0 ALT with a ULN of 40 U/L: the bands start at 1, 3, 5 and 20 x 40 U/L
ALT_ULN_40 = [(1, 40.0), (2, 120.0), (3, 200.0), (4, 800.0)]


def _starts(bands: GradeBands) -> list[tuple[int, float | None]]:
    return [(b.grade, b.low) for b in bands.bands if b.side == "high"]


@pytest.mark.parametrize("name", ["Alanine aminotransferase", "SGPT", "1742-6"])
def test_an_analyte_named_as_the_lab_writes_it_gets_the_bands_of_its_code(name: str) -> None:
    # the analyte's name, a local name and a LOINC code all stand for ALT
    bands = grade_bands(name, "U/L", uln=40.0, criteria_id="ctcae-5.0")
    assert bands.analyte == "ALT"
    assert _starts(bands) == ALT_ULN_40


def test_an_unknown_analyte_is_refused_and_named() -> None:
    with pytest.raises(ValueError) as refused:
        grade_bands("Troponin", "ng/L", uln=14.0)
    assert str(refused.value) == "unknown analyte 'Troponin'"


@pytest.mark.parametrize(
    ("criteria", "label"), [("ctcae-5.0", "CTCAE v5.0"), ("ctcae-6.0", "CTCAE v6.0")]
)
def test_an_analyte_without_a_term_has_no_bands_and_says_why(criteria: str, label: str) -> None:
    # the unit is given as a lab may write it and comes back in its standard spelling
    bands = grade_bands("CPEPTIDE", "ng/ml", uln=3.0, criteria_id=criteria)
    assert bands == GradeBands(
        analyte="CPEPTIDE",
        unit="ng/mL",
        criteria_id=criteria,
        criteria_label=label,
        bands=(),
        abnormal_baseline=False,
        baseline=None,
        why_none="C-peptide has no CTCAE term; it informs the ICI-diabetes alert and trends",
    )


@pytest.mark.parametrize(
    "refs",
    [
        {"uln": math.nan},
        {"uln": 40.0, "lln": math.inf},
        {"uln": 40.0, "baseline": -math.inf},
        {"uln": 40.0, "baseline": 95.0, "baseline_uln": math.nan},
    ],
)
def test_a_reference_that_is_not_a_number_draws_no_bands(refs: dict[str, float]) -> None:
    bands = grade_bands("ALT", "U/L", criteria_id="ctcae-5.0", **refs)  # type: ignore[arg-type]
    assert bands == GradeBands(
        "ALT", "U/L", "ctcae-5.0", "CTCAE v5.0", (), False, None, "a reference is not a number"
    )


@pytest.mark.parametrize(
    ("analyte", "uln", "lln"),
    [
        ("ALT", 0.0, None),  # a ULN of 0 alone
        ("ALT", -40.0, None),
        ("GLUCOSE_FASTING", 99.0, 0.0),  # a good ULN beside an LLN of 0
        ("GLUCOSE_FASTING", 0.0, 70.0),  # a good LLN beside a ULN of 0
    ],
)
def test_a_reference_range_at_or_below_zero_draws_no_bands(
    analyte: str, uln: float, lln: float | None
) -> None:
    bands = grade_bands(analyte, "mg/dL" if "GLUCOSE" in analyte else "U/L", uln=uln, lln=lln)
    assert bands.bands == ()
    assert bands.why_none == "the reference range cannot be used"
    assert (bands.analyte, bands.abnormal_baseline, bands.baseline) == (analyte, False, None)


def test_a_baseline_without_its_own_uln_is_judged_against_the_results_uln() -> None:
    # baseline 95 U/L against the result's ULN of 40: abnormal, so the v5.0 bands are
    # 1.5, 3, 5 and 20 x 95 = 142.5, 285, 475, 1900 U/L, and they say which baseline they use
    bands = grade_bands("ALT", "U/L", uln=40.0, baseline=95.0, criteria_id="ctcae-5.0")
    assert bands.abnormal_baseline
    assert bands.baseline == 95.0
    assert _starts(bands) == [(1, 142.5), (2, 285.0), (3, 475.0), (4, 1900.0)]
    assert bands.why_none == ""


def test_a_baseline_is_judged_against_its_own_uln_not_the_results() -> None:
    # baseline 50 U/L was above its own ULN of 45 (abnormal) though below today's ULN of 60:
    # the bands are 1.5, 3, 5, 20 x 50 = 75, 150, 250, 1000 U/L, 75 itself in grade 1
    bands = grade_bands(
        "ALT", "U/L", uln=60.0, baseline=50.0, baseline_uln=45.0, criteria_id="ctcae-5.0"
    )
    assert bands.abnormal_baseline
    assert _starts(bands) == [(1, 75.0), (2, 150.0), (3, 250.0), (4, 1000.0)]
    assert bands.grade_of(75.0) == 1


def test_a_normal_baseline_leaves_the_uln_bands_and_is_not_reported() -> None:
    # baseline 30 U/L under its ULN of 40 is normal: the bands are the ULN multiples, they use
    # no baseline, and every band is drawn
    bands = grade_bands(
        "ALT", "U/L", uln=40.0, baseline=30.0, baseline_uln=40.0, criteria_id="ctcae-5.0"
    )
    assert not bands.abnormal_baseline
    assert bands.baseline is None
    assert _starts(bands) == ALT_ULN_40
    assert bands.why_none == ""


def test_every_band_drawn_leaves_why_none_empty() -> None:
    bands = grade_bands("ALT", "u/l", uln=40.0, criteria_id="ctcae-5.0")
    assert (bands.analyte, bands.unit, bands.criteria_id) == ("ALT", "U/L", "ctcae-5.0")
    assert bands.why_none == ""


def test_a_baseline_of_zero_counts_as_no_baseline() -> None:
    # v6.0 ALP grade 1 is above the ULN and above the baseline when one is known; a baseline
    # of 0 is no baseline, so the band starts at the ULN of 120 U/L and names no baseline
    bands = grade_bands("ALP", "U/L", uln=120.0, baseline=0.0, criteria_id="ctcae-6.0")
    assert bands.bands == (GradeBand(1, "high", 120.0, None, False, False),)
    assert bands.baseline is None
    assert bands.why_none == ""


def test_a_baseline_below_one_is_kept() -> None:
    # ALT in µkat/L: baseline 0.95 above its ULN of 0.7 is abnormal; v5.0 bands at
    # 1.5, 3, 5, 20 x 0.95 = 1.425, 2.85, 4.75, 19 µkat/L
    bands = grade_bands(
        "ALT", "µkat/L", uln=0.7, baseline=0.95, baseline_uln=0.7, criteria_id="ctcae-5.0"
    )
    assert bands.baseline == 0.95
    assert [(g, pytest.approx(v)) for g, v in _starts(bands)] == [
        (1, 1.425),
        (2, 2.85),
        (3, 4.75),
        (4, 19.0),
    ]


def test_a_missing_lln_leaves_out_hypoglycaemia_grade_1_and_says_so() -> None:
    # fasting glucose without an LLN: grade 1 (<LLN - 55 mg/dL) cannot be drawn, the grades
    # below the absolute bounds <55, <40, <30 mg/dL still are
    bands = grade_bands("GLUCOSE_FASTING", "mg/dL", uln=99.0, lln=None)
    low = [(b.grade, b.high) for b in bands.bands if b.side == "low"]
    assert low == [(2, 55.0), (3, 40.0), (4, 30.0)]
    assert bands.why_none == "no LLN or baseline"
