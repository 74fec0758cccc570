"""The bands a trend panel shades (domain.panel_bands): the reference range, baseline and unit
they stand on, the x ULN scaling, and the grades shared by a panel's analytes (clinical
reference, decision 15).

Every expected edge is worked by hand from the criteria tables in
irae_desktop/resources/criteria/ctcae-5.0.json and ctcae-6.0.json, never by calling the band code:
- ALT/AST v5.0, normal baseline: grade 1 >ULN-3x, 2 >3-5x, 3 >5-20x, 4 >20x ULN;
  abnormal baseline: grade 1 from 1.5x baseline (inclusive), 2 >3x, 3 >5x, 4 >20x baseline.
- ALT v6.0, abnormal baseline: grade 1 from 1.0x baseline (inclusive), 2 >1.5x, 3 >2x, 4 >4x.
- Bilirubin v5.0, abnormal baseline: grade 1 >1.0x, 2 >1.5x, 3 >3x, 4 >10x baseline.
- ALP v5.0: grade 1 >ULN-2.5x, 2 >2.5-5x, 3 >5-20x, 4 >20x ULN; ALP v6.0: grade 1 >ULN only.
- GGT v6.0: grade 1 >ULN-2.5x, 2 >2.5-5x, 3 >5-20x, 4 >20x ULN.
- Fasting glucose (ASCO 2021 / CTCAE v4.03 numeric): high 1 >ULN, 2 >160, 3 >250, 4 >500 mg/dL;
  low 1 <LLN, 2 <55, 3 <40, 4 <30 mg/dL. Non-fasting glucose: high 3 >250, 4 >500 only.
Unit factors (domain.units): 1 µkat/L = 60 U/L; bilirubin 17.1 µmol/L = 1 mg/dL; glucose
1 mmol/L = 18.016 mg/dL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from irae_desktop.domain.grade_bands import GradeBand, GradeBands
from irae_desktop.domain.panel_bands import (
    BandSource,
    PanelBand,
    PanelBands,
    _intersect,
    analyte_bands,
    panel_bands,
    same_bands,
)

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
V5, V6 = "ctcae-5.0", "ctcae-6.0"


@dataclass(frozen=True, slots=True)
class Lab:
    """A stored result, with only the fields that decide its bands (panel_bands.BandSource)."""

    collected_at: datetime
    value: float
    unit: str
    uln: float | None
    lln: float | None
    is_baseline: bool


def lab(
    day: int,
    value: float,
    uln: float | None,
    lln: float | None = None,
    *,
    unit: str = "U/L",
    baseline: bool = False,
) -> BandSource:
    return Lab(T0 + timedelta(days=day), value, unit, uln, lln, baseline)


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 6)


Row = tuple[int, str, float | None, float | None, bool, bool]


def grade_rows(bands: GradeBands) -> list[Row]:
    """(grade, side, low, high, low closed, high closed), ends to 6 decimals."""
    return [
        (b.grade, b.side, _r(b.low), _r(b.high), b.low_closed, b.high_closed) for b in bands.bands
    ]


def panel_rows(found: PanelBands) -> list[tuple[int, str, float | None, float | None]]:
    """(grade, side, low, high), ends to 6 decimals."""
    return [(b.grade, b.side, _r(b.low), _r(b.high)) for b in found.bands]


def alt_bands(
    criteria_id: str,
    bands: tuple[GradeBand, ...],
    *,
    baseline: float | None = None,
    why: str = "",
) -> GradeBands:
    label = "CTCAE v5.0" if criteria_id == V5 else "CTCAE v6.0"
    return GradeBands("ALT", "U/L", criteria_id, label, bands, baseline is not None, baseline, why)


def high_band(grade: int, low: float, high: float | None, *, closed: bool = False) -> GradeBand:
    """A high-side band open at its low end (closed there when `closed`), closed at its top."""
    return GradeBand(grade, "high", low, high, closed, high is not None)


# ALT v5.0 with ULN 40 U/L and a normal baseline: 40 / 120 / 200 / 800 U/L
ALT_V5_ULN_40 = alt_bands(
    V5,
    (
        high_band(1, 40.0, 120.0),
        high_band(2, 120.0, 200.0),
        high_band(3, 200.0, 800.0),
        high_band(4, 800.0, None),
    ),
)
ALT_V5_ULN_40_PANEL = (
    PanelBand(1, "high", 40.0, 120.0),
    PanelBand(2, "high", 120.0, 200.0),
    PanelBand(3, "high", 200.0, 800.0),
    PanelBand(4, "high", 800.0, None),
)
# ALT v5.0 against an abnormal baseline of 80 U/L: 1.5 / 3 / 5 / 20 x 80 = 120 / 240 / 400 / 1600
ALT_V5_BASELINE_80 = alt_bands(
    V5,
    (
        high_band(1, 120.0, 240.0, closed=True),
        high_band(2, 240.0, 400.0),
        high_band(3, 400.0, 1600.0),
        high_band(4, 1600.0, None),
    ),
    baseline=80.0,
)
# two marked baselines (the later one, 80 U/L, is the baseline) and a result after them
TWO_BASELINES = [
    lab(2, 80, 40, baseline=True),
    lab(1, 95, 40, baseline=True),
    lab(4, 150, 40),
]
# fasting glucose 100 / 70 mg/dL (ULN / LLN): high from the ULN and 160 / 250 / 500 mg/dL,
# low below the LLN and 55 / 40 / 30 mg/dL, a hypo band reaching down to 0
FASTING_PANEL = [
    (1, "high", 100.0, 160.0),
    (2, "high", 160.0, 250.0),
    (3, "high", 250.0, 500.0),
    (4, "high", 500.0, None),
    (1, "low", 55.0, 70.0),
    (2, "low", 40.0, 55.0),
    (3, "low", 30.0, 40.0),
    (4, "low", 0.0, 30.0),
]


# --- analyte_bands: which reference range and baseline the bands stand on --------------------


def test_an_analyte_the_product_does_not_know_has_no_bands() -> None:
    assert analyte_bands("LDH", [lab(1, 300, 250)], V5) is None


def test_an_analyte_without_results_has_no_bands() -> None:
    assert analyte_bands("ALT", [], V5) is None


def test_alt_with_a_normal_marked_baseline_is_graded_on_uln_multiples() -> None:
    # baseline 30 U/L is below the ULN of 40: the normal-baseline table, 1 / 3 / 5 / 20 x 40
    found = analyte_bands("ALT", [lab(1, 30, 40, baseline=True), lab(2, 55, 40)], V5)
    assert found == (ALT_V5_ULN_40, 40.0)


def test_the_latest_reference_range_sets_the_bands_even_if_a_later_result_has_none() -> None:
    # ranges 35 (day 1), 50 (day 2), 40 (day 3); the latest result (day 5) came without one
    rows = [lab(3, 50, 40), lab(1, 30, 35), lab(5, 70, None), lab(2, 45, 50)]
    assert analyte_bands("ALT", rows, V5) == (ALT_V5_ULN_40, 40.0)


def test_a_reference_range_with_only_an_lln_is_still_the_latest_range() -> None:
    # fasting glucose: day 1 ULN 100 / LLN 70, day 2 only an LLN of 65, day 3 no range at all
    rows = [
        lab(1, 90, 100, 70, unit="mg/dL"),
        lab(2, 95, None, 65, unit="mg/dL"),
        lab(3, 80, None, None, unit="mg/dL"),
    ]
    found = analyte_bands("GLUCOSE_FASTING", rows, V5)
    assert found is not None
    bands, uln = found
    assert uln is None
    # without a ULN grade 1 high is not drawn; hypo grade 1 ends at the LLN of 65 mg/dL
    assert grade_rows(bands) == [
        (2, "high", 160.0, 250.0, False, True),
        (3, "high", 250.0, 500.0, False, True),
        (4, "high", 500.0, None, False, False),
        (1, "low", 55.0, 65.0, True, False),
        (2, "low", 40.0, 55.0, True, False),
        (3, "low", 30.0, 40.0, True, False),
        (4, "low", None, 30.0, False, False),
    ]
    assert bands.why_none == "no ULN or baseline"


def test_no_reference_range_on_any_result_leaves_alt_without_bands() -> None:
    found = analyte_bands("ALT", [lab(1, 30, None), lab(2, 50, None)], V5)
    assert found == (alt_bands(V5, (), why="no ULN or LLN or baseline"), None)


def test_the_latest_of_several_marked_baselines_is_the_baseline() -> None:
    # baselines 95 U/L (day 1) and 80 U/L (day 2), ULN 40: abnormal, 1.5 / 3 / 5 / 20 x 80
    assert analyte_bands("ALT", TWO_BASELINES, V5) == (ALT_V5_BASELINE_80, 40.0)


def test_v6_abnormal_baseline_bands_are_the_v6_multiples() -> None:
    # v6.0: 1.0 (inclusive) / 1.5 / 2 / 4 x 80 = 80 / 120 / 160 / 320 U/L
    expected = alt_bands(
        V6,
        (
            high_band(1, 80.0, 120.0, closed=True),
            high_band(2, 120.0, 160.0),
            high_band(3, 160.0, 320.0),
            high_band(4, 320.0, None),
        ),
        baseline=80.0,
    )
    assert analyte_bands("ALT", TWO_BASELINES, V6) == (expected, 40.0)


def test_results_before_the_first_ici_start_are_graded_against_the_uln_whatever_the_baseline() -> (
    None
):
    assert analyte_bands("ALT", TWO_BASELINES, V5, before_start=True) == (ALT_V5_ULN_40, 40.0)
    # a clinician's override does not apply before the start either
    override = (100.0, 40.0)
    found = analyte_bands("ALT", TWO_BASELINES, V5, override, before_start=True)
    assert found == (ALT_V5_ULN_40, 40.0)


def test_a_clinicians_override_wins_over_the_marked_baseline() -> None:
    # override 100 U/L (ULN 40) over the marked 80 U/L: 1.5 / 3 / 5 / 20 x 100
    expected = alt_bands(
        V5,
        (
            high_band(1, 150.0, 300.0, closed=True),
            high_band(2, 300.0, 500.0),
            high_band(3, 500.0, 2000.0),
            high_band(4, 2000.0, None),
        ),
        baseline=100.0,
    )
    assert analyte_bands("ALT", TWO_BASELINES, V5, (100.0, 40.0)) == (expected, 40.0)


def test_an_override_within_its_own_uln_is_a_normal_baseline() -> None:
    # override 45 U/L with its own ULN 50: normal, so the marked 80 U/L no longer counts and
    # the bands are the ULN multiples of the latest range (40 U/L)
    assert analyte_bands("ALT", TWO_BASELINES, V5, (45.0, 50.0)) == (ALT_V5_ULN_40, 40.0)


def test_a_marked_baseline_is_judged_against_its_own_reference_range() -> None:
    # baseline 60 U/L above its own ULN of 40 is abnormal, although the latest ULN is 80:
    # 1.5 / 3 / 5 / 20 x 60 = 90 / 180 / 300 / 1200 U/L
    rows = [lab(1, 60, 40, baseline=True), lab(5, 70, 80)]
    expected = alt_bands(
        V5,
        (
            high_band(1, 90.0, 180.0, closed=True),
            high_band(2, 180.0, 300.0),
            high_band(3, 300.0, 1200.0),
            high_band(4, 1200.0, None),
        ),
        baseline=60.0,
    )
    assert analyte_bands("ALT", rows, V5) == (expected, 80.0)


def test_alt_reported_in_microkatal_gets_bands_in_u_per_l() -> None:
    # 0.75 µkat/L = 45 U/L (ULN); baseline 1.5 µkat/L = 90 U/L, abnormal:
    # 1.5 / 3 / 5 / 20 x 90 = 135 / 270 / 450 / 1800 U/L
    rows = [
        lab(1, 1.5, 0.75, unit="µkat/L", baseline=True),
        lab(4, 2.0, 0.75, unit="µkat/L"),
    ]
    expected = alt_bands(
        V5,
        (
            high_band(1, 135.0, 270.0, closed=True),
            high_band(2, 270.0, 450.0),
            high_band(3, 450.0, 1800.0),
            high_band(4, 1800.0, None),
        ),
        baseline=90.0,
    )
    assert analyte_bands("ALT", rows, V5) == (expected, 45.0)


def test_bilirubin_reported_in_micromol_gets_bands_in_mg_per_dl() -> None:
    # ULN 20.52 µmol/L = 1.2 mg/dL; baseline 34.2 µmol/L = 2.0 mg/dL, abnormal against its own
    # ULN (unconverted, 20.52 would make it look normal): >1 / 1.5 / 3 / 10 x 2.0 mg/dL
    rows = [
        lab(1, 34.2, 20.52, unit="µmol/L", baseline=True),
        lab(6, 40.0, 20.52, unit="µmol/L"),
    ]
    found = analyte_bands("TBILI", rows, V5)
    assert found is not None
    bands, uln = found
    assert uln == pytest.approx(1.2)
    assert (bands.analyte, bands.unit, bands.abnormal_baseline) == ("TBILI", "mg/dL", True)
    assert bands.baseline == pytest.approx(2.0)
    assert grade_rows(bands) == [
        (1, "high", 2.0, 3.0, False, True),
        (2, "high", 3.0, 6.0, False, True),
        (3, "high", 6.0, 20.0, False, True),
        (4, "high", 20.0, None, False, False),
    ]


def test_fasting_glucose_in_mmol_per_l_gets_its_uln_and_lln_in_mg_per_dl() -> None:
    # ULN 5.5 mmol/L = 99.088 mg/dL, LLN 4.0 mmol/L = 72.064 mg/dL (x 18.016)
    rows = [lab(1, 5.0, 5.5, 4.0, unit="mmol/L"), lab(2, 6.0, 5.5, 4.0, unit="mmol/L")]
    found = analyte_bands("GLUCOSE_FASTING", rows, V5)
    assert found is not None
    bands, uln = found
    assert uln == pytest.approx(99.088)
    assert (bands.unit, bands.criteria_label) == ("mg/dL", "ASCO 2021 / CTCAE v4.03 numeric")
    assert grade_rows(bands) == [
        (1, "high", 99.088, 160.0, False, True),
        (2, "high", 160.0, 250.0, False, True),
        (3, "high", 250.0, 500.0, False, True),
        (4, "high", 500.0, None, False, False),
        (1, "low", 55.0, 72.064, True, False),
        (2, "low", 40.0, 55.0, True, False),
        (3, "low", 30.0, 40.0, True, False),
        (4, "low", None, 30.0, False, False),
    ]


@pytest.mark.parametrize(
    ("rows", "criteria_id"),
    [
        pytest.param([lab(1, 30, 40), lab(2, 50, 40, unit="mmol/L")], V5, id="result unit"),
        pytest.param(
            [lab(1, 30, 40, unit="mg/dL", baseline=True), lab(2, 50, 40)], V5, id="baseline unit"
        ),
        pytest.param([lab(1, 30, 40), lab(2, 50, 40)], "ctcae-9.9", id="unknown criteria"),
    ],
)
def test_a_unit_or_criteria_set_that_cannot_be_used_gives_no_bands(
    rows: list[BandSource], criteria_id: str
) -> None:
    assert analyte_bands("ALT", rows, criteria_id) is None


# --- panel_bands: one analyte ----------------------------------------------------------------


def test_an_empty_panel_shades_nothing() -> None:
    found = panel_bands({}, V5)
    assert found == PanelBands((), {}, {}, False)
    assert found.disagree is False


def test_an_alt_panel_shades_the_alt_bands_in_u_per_l() -> None:
    found = panel_bands({"ALT": [lab(1, 30, 40), lab(2, 55, 40)]}, V5)
    assert found == PanelBands(ALT_V5_ULN_40_PANEL, {"ALT": ALT_V5_ULN_40}, {"ALT": 40.0}, False)
    assert found.disagree is False


def test_a_hypoglycaemia_band_reaches_down_to_zero() -> None:
    found = panel_bands({"GLUCOSE_FASTING": [lab(1, 90, 100, 70, unit="mg/dL")]}, V5)
    assert panel_rows(found) == FASTING_PANEL
    assert found.uln == {"GLUCOSE_FASTING": 100.0}
    assert found.disagree is False


def test_a_panel_plotted_in_multiples_of_uln_shades_the_bands_divided_by_the_uln() -> None:
    # abnormal baseline 80 U/L, ULN 40: 120 / 240 / 400 / 1600 U/L = 3 / 6 / 10 / 40 x ULN
    found = panel_bands({"ALT": TWO_BASELINES}, V5, relative=True)
    assert panel_rows(found) == [
        (1, "high", 3.0, 6.0),
        (2, "high", 6.0, 10.0),
        (3, "high", 10.0, 40.0),
        (4, "high", 40.0, None),
    ]
    # the bands per analyte stay in U/L, with the ULN they stand on
    assert found.by_analyte == {"ALT": ALT_V5_BASELINE_80}
    assert found.uln == {"ALT": 40.0}
    assert found.disagree is False


def test_a_multiples_of_uln_panel_without_a_uln_shades_nothing() -> None:
    found = panel_bands({"ALT": [lab(1, 30, None), lab(2, 50, None)]}, V5, relative=True)
    no_uln = alt_bands(V5, (), why="no ULN or LLN or baseline")
    assert found == PanelBands((), {"ALT": no_uln}, {"ALT": None}, False)
    assert found.disagree is False


def test_a_multiples_of_uln_panel_with_a_zero_uln_shades_nothing() -> None:
    found = panel_bands({"ALT": [lab(1, 30, 0.0), lab(2, 50, 0.0)]}, V5, relative=True)
    unusable = alt_bands(V5, (), why="the reference range cannot be used")
    assert found == PanelBands((), {"ALT": unusable}, {"ALT": 0.0}, False)
    assert found.disagree is False


def test_a_panel_follows_the_clinicians_override_for_its_analyte() -> None:
    # override 100 U/L (ULN 40): 1.5 / 3 / 5 / 20 x 100 = 150 / 300 / 500 / 2000 U/L
    found = panel_bands({"ALT": TWO_BASELINES}, V5, overrides={"ALT": (100.0, 40.0)})
    assert found.bands == (
        PanelBand(1, "high", 150.0, 300.0),
        PanelBand(2, "high", 300.0, 500.0),
        PanelBand(3, "high", 500.0, 2000.0),
        PanelBand(4, "high", 2000.0, None),
    )
    assert found.by_analyte["ALT"].baseline == 100.0
    # an override for another analyte leaves ALT on its marked baseline
    other = panel_bands({"ALT": TWO_BASELINES}, V5, overrides={"AST": (100.0, 40.0)})
    assert other.by_analyte == {"ALT": ALT_V5_BASELINE_80}


def test_a_panel_before_the_first_ici_start_shades_the_uln_bands() -> None:
    before = panel_bands({"ALT": TWO_BASELINES}, V5, before_start=True)
    assert before == PanelBands(ALT_V5_ULN_40_PANEL, {"ALT": ALT_V5_ULN_40}, {"ALT": 40.0}, False)
    after = panel_bands({"ALT": TWO_BASELINES}, V5)
    assert after.bands[0] == PanelBand(1, "high", 120.0, 240.0)


def test_a_v6_alp_panel_shades_grade_1_only() -> None:
    # v6.0 ALP: grade 1 above the ULN of 120 U/L, no upper end (v5.0 would have 4 grades)
    found = panel_bands({"ALP": [lab(1, 100, 120), lab(2, 400, 120)]}, V6)
    assert found.bands == (PanelBand(1, "high", 120.0, None),)
    assert found.by_analyte["ALP"].criteria_id == V6


@pytest.mark.parametrize(
    "results",
    [
        pytest.param({"AST": [lab(1, 30, 40, unit="mg/dL")]}, id="only analyte"),
        pytest.param(
            {"AST": [lab(1, 30, 40, unit="mg/dL")], "ALT": [lab(1, 30, 40)]}, id="first analyte"
        ),
    ],
)
def test_a_panel_whose_first_analyte_has_an_unusable_unit_shades_nothing(
    results: dict[str, list[BandSource]],
) -> None:
    found = panel_bands(results, V5)
    assert found == PanelBands((), {}, {}, False)
    assert found.disagree is False


def test_a_panel_with_one_unusable_analyte_shades_nothing() -> None:
    found = panel_bands({"ALT": [lab(1, 30, 40)], "AST": [lab(1, 30, 40, unit="mmol/L")]}, V5)
    assert found.bands == ()
    assert found.disagree is False
    assert "AST" not in found.by_analyte


# --- panel_bands: the grades shared by several analytes --------------------------------------


def test_alt_and_ast_with_the_same_uln_agree_on_every_band() -> None:
    found = panel_bands({"ALT": [lab(1, 30, 40)], "AST": [lab(1, 32, 40)]}, V5)
    assert found.bands == ALT_V5_ULN_40_PANEL
    assert found.uln == {"ALT": 40.0, "AST": 40.0}
    assert list(found.by_analyte) == ["ALT", "AST"]
    assert found.disagree is False


def test_alt_and_ast_with_different_ulns_share_only_the_values_where_both_agree() -> None:
    # ALT ULN 40: 40 / 120 / 200 / 800; AST ULN 120: 120 / 360 / 600 / 2400 U/L.
    # Grade 1 would be the single point 120 (nothing), grade 2 is empty (360 > 200),
    # grade 3 is 600-800, grade 4 from 2400 up
    found = panel_bands({"ALT": [lab(1, 30, 40)], "AST": [lab(1, 90, 120)]}, V5)
    assert found.bands == (
        PanelBand(3, "high", 600.0, 800.0),
        PanelBand(4, "high", 2400.0, None),
    )
    assert found.uln == {"ALT": 40.0, "AST": 120.0}
    assert found.disagree is True


def test_alt_and_ast_in_multiples_of_their_own_uln_agree() -> None:
    # ULN 40 and 35 U/L: both 1 / 3 / 5 / 20 x ULN
    found = panel_bands({"ALT": [lab(1, 30, 40)], "AST": [lab(1, 30, 35)]}, V5, relative=True)
    assert panel_rows(found) == [
        (1, "high", 1.0, 3.0),
        (2, "high", 3.0, 5.0),
        (3, "high", 5.0, 20.0),
        (4, "high", 20.0, None),
    ]
    assert found.disagree is False


def test_three_analytes_disagree_when_only_the_last_differs() -> None:
    # x ULN: ALT and AST 1 / 3 / 5 / 20, ALP (v5.0) 1 / 2.5 / 5 / 20; shared grade 1 is 1-2.5
    found = panel_bands(
        {"ALT": [lab(1, 30, 40)], "AST": [lab(1, 30, 35)], "ALP": [lab(1, 90, 120)]},
        V5,
        relative=True,
    )
    assert panel_rows(found) == [
        (1, "high", 1.0, 2.5),
        (2, "high", 3.0, 5.0),
        (3, "high", 5.0, 20.0),
        (4, "high", 20.0, None),
    ]
    assert found.disagree is True


def test_fasting_and_random_glucose_share_only_grades_3_4_high_and_every_hypo_grade() -> None:
    found = panel_bands(
        {
            "GLUCOSE_FASTING": [lab(1, 90, 100, 70, unit="mg/dL")],
            "GLUCOSE": [lab(2, 150, 140, 70, unit="mg/dL")],
        },
        V5,
    )
    assert panel_rows(found) == [
        (3, "high", 250.0, 500.0),
        (4, "high", 500.0, None),
        (1, "low", 55.0, 70.0),
        (2, "low", 40.0, 55.0),
        (3, "low", 30.0, 40.0),
        (4, "low", 0.0, 30.0),
    ]
    assert found.disagree is True


def test_an_open_ended_band_shared_with_a_closed_one_ends_where_the_closed_one_does() -> None:
    # v6.0: ALP grade 1 above 120 U/L with no upper end; GGT (ULN 60) grade 1 is 60-150 U/L
    found = panel_bands({"ALP": [lab(1, 100, 120)], "GGT": [lab(1, 50, 60)]}, V6)
    assert found.bands == (PanelBand(1, "high", 120.0, 150.0),)
    assert found.disagree is True


def test_a_hypo_band_never_shares_a_grade_with_a_hyper_band() -> None:
    # grade 1 hypo (55-70 mg/dL) and grade 1 hyper (60-160 mg/dL) of two analytes overlap in
    # value but are not the same grade: only the other analyte's grade 1 hypo band is shared
    hypo = [PanelBand(1, "low", 55.0, 70.0)]
    hyper = PanelBand(1, "high", 60.0, 160.0)
    assert _intersect(hypo, [hyper]) == []
    assert _intersect(hypo, [hyper, PanelBand(1, "low", 50.0, 65.0)]) == [
        PanelBand(1, "low", 55.0, 65.0)
    ]


# --- same_bands: whether two panels shade alike ----------------------------------------------


def _shading(*bands: PanelBand) -> PanelBands:
    return PanelBands(tuple(bands), {}, {}, False)


def test_same_bands_ignores_differences_below_the_ninth_decimal() -> None:
    a = _shading(PanelBand(1, "high", 2.0, 4.0), PanelBand(2, "high", 4.0, None))
    b = _shading(PanelBand(1, "high", 2.0000000003, 4.0000000003), PanelBand(2, "high", 4.0, None))
    assert same_bands(a, b) is True


@pytest.mark.parametrize(
    "other",
    [
        pytest.param(PanelBand(1, "high", 2.000000002, 4.0), id="low at the 9th decimal"),
        pytest.param(PanelBand(1, "high", 2.0, 4.000000002), id="high at the 9th decimal"),
        pytest.param(PanelBand(1, "high", 2.0, None), id="open top"),
        pytest.param(PanelBand(2, "high", 2.0, 4.0), id="grade"),
        pytest.param(PanelBand(1, "low", 2.0, 4.0), id="side"),
    ],
)
def test_same_bands_sees_a_different_band(other: PanelBand) -> None:
    assert same_bands(_shading(PanelBand(1, "high", 2.0, 4.0)), _shading(other)) is False


def test_same_bands_sees_a_missing_band_but_not_the_words_behind_the_bands() -> None:
    one = PanelBand(1, "high", 40.0, 120.0)
    assert same_bands(_shading(one), _shading(one, PanelBand(2, "high", 120.0, 200.0))) is False
    worded = PanelBands((one,), {"ALT": ALT_V5_ULN_40}, {"ALT": 40.0}, True)
    assert same_bands(_shading(one), worded) is True


def test_bands_of_two_analytes_that_only_touch_share_nothing_in_multiples_of_uln() -> None:
    # ALT ULN 49 U/L with an abnormal baseline of 98 U/L: grade 1 from 1.5 x 98 = 147 U/L,
    # which is 3.0 x ULN; AST ULN 40 U/L with a normal baseline: grade 1 ends at 3 x ULN. In
    # multiples of each ULN the two grade 1 bands meet at 3.0 and share no value: no band,
    # not a sliver between 2.9999999999999996 and 3.0 that a chart would label
    alt = [lab(0, 98, 49, baseline=True), lab(5, 200, 49)]
    ast = [lab(5, 150, 40)]
    shared = panel_bands({"ALT": alt, "AST": ast}, V5, relative=True)
    assert [b.grade for b in shared.bands if b.grade == 1] == []
    assert shared.disagree is True


def test_shared_bands_are_compared_to_the_ninth_decimal() -> None:
    # ends that differ only beyond the ninth decimal are one point: no band; a band narrower
    # than one (0.6 to 0.9, 0.2 to 0.4) is still a band
    def shared(a: tuple[float, float], b: tuple[float, float]) -> list[tuple[float, float]]:
        found = _intersect([PanelBand(1, "high", a[0], a[1])], [PanelBand(1, "high", b[0], b[1])])
        return [(band.low, band.high) for band in found]  # type: ignore[misc]

    assert shared((0.3, 0.30000000006), (0.1, 1.0)) == []
    assert shared((0.29999999994, 0.3), (0.1, 1.0)) == []
    assert shared((0.6, 0.9), (0.1, 1.0)) == [(0.6, 0.9)]
    assert shared((0.2, 0.4), (0.1, 1.0)) == [(0.2, 0.4)]
