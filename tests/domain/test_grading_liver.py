"""Liver terms of both criteria sets at, just below and just above every boundary.

docs/clinical-reference.md section 2.
"""

from __future__ import annotations

import pytest

from irae_desktop.domain.grading import grade_value
from irae_desktop.domain.units import convert

# (multiple, grade just below, grade at, grade just above): written from the tables of
# docs/clinical-reference.md, where "A - B" includes B and ">A" excludes A.
ALT_NORMAL = [(1.0, 0, 0, 1), (3.0, 1, 1, 2), (5.0, 2, 2, 3), (20.0, 3, 3, 4)]
BILI_NORMAL = [(1.0, 0, 0, 1), (1.5, 1, 1, 2), (3.0, 2, 2, 3), (10.0, 3, 3, 4)]
ALP_GGT_NORMAL = [(1.0, 0, 0, 1), (2.5, 1, 1, 2), (5.0, 2, 2, 3), (20.0, 3, 3, 4)]

NORMAL_BASELINE = {
    ("ctcae-5.0", "ALT"): ALT_NORMAL,
    ("ctcae-5.0", "AST"): ALT_NORMAL,
    ("ctcae-5.0", "TBILI"): BILI_NORMAL,
    ("ctcae-5.0", "ALP"): ALP_GGT_NORMAL,
    ("ctcae-5.0", "GGT"): ALP_GGT_NORMAL,
    ("ctcae-6.0", "ALT"): ALT_NORMAL,
    ("ctcae-6.0", "AST"): ALT_NORMAL,
    ("ctcae-6.0", "TBILI"): BILI_NORMAL,
    ("ctcae-6.0", "GGT"): ALP_GGT_NORMAL,
    ("ctcae-6.0", "ALP"): [(1.0, 0, 0, 1), (2.5, 1, 1, 1), (20.0, 1, 1, 1)],
}

ABNORMAL_BASELINE = {
    ("ctcae-5.0", "ALT"): [(1.5, 0, 1, 1), (3.0, 1, 1, 2), (5.0, 2, 2, 3), (20.0, 3, 3, 4)],
    ("ctcae-5.0", "AST"): [(1.5, 0, 1, 1), (3.0, 1, 1, 2), (5.0, 2, 2, 3), (20.0, 3, 3, 4)],
    ("ctcae-5.0", "TBILI"): [(1.0, 0, 0, 1), (1.5, 1, 1, 2), (3.0, 2, 2, 3), (10.0, 3, 3, 4)],
    ("ctcae-5.0", "ALP"): [(2.0, 0, 1, 1), (2.5, 1, 1, 2), (5.0, 2, 2, 3), (20.0, 3, 3, 4)],
    ("ctcae-5.0", "GGT"): [(2.0, 0, 1, 1), (2.5, 1, 1, 2), (5.0, 2, 2, 3), (20.0, 3, 3, 4)],
    ("ctcae-6.0", "ALT"): [(1.0, 0, 1, 1), (1.5, 1, 1, 2), (2.0, 2, 2, 3), (4.0, 3, 3, 4)],
    ("ctcae-6.0", "AST"): [(1.0, 0, 1, 1), (1.5, 1, 1, 2), (2.0, 2, 2, 3), (4.0, 3, 3, 4)],
    ("ctcae-6.0", "TBILI"): [(1.0, 0, 1, 1), (1.5, 1, 1, 2), (2.5, 2, 2, 3), (10.0, 3, 3, 4)],
    ("ctcae-6.0", "GGT"): [(1.0, 0, 1, 1), (1.5, 1, 1, 2), (3.0, 2, 2, 3), (10.0, 3, 3, 4)],
}

# (analyte, US unit, US ULN, SI unit): bilirubin ULN 1.2 mg/dL makes 3 x ULN a float boundary
UNITS = {
    "ALT": ("U/L", 40.0, "µkat/L"),
    "AST": ("IU/L", 33.0, "ukat/L"),
    "ALP": ("U/L", 129.0, "µkat/L"),
    "GGT": ("Units/L", 61.0, "μkat/L"),
    "TBILI": ("mg/dL", 1.2, "µmol/L"),
}
NUDGE = 1e-6


def _cases(table: dict[tuple[str, str], list[tuple[float, int, int, int]]]) -> list[tuple]:
    cases = []
    for (criteria, analyte), rows in table.items():
        for multiple, below, at, above in rows:
            for system in ("US", "SI"):
                cases.append((criteria, analyte, system, multiple, below, at, above))
    return cases


def _in_system(analyte: str, system: str, *numbers: float) -> tuple[str, list[float]]:
    us_unit, _, si_unit = UNITS[analyte]
    if system == "US":
        return us_unit, list(numbers)
    return si_unit, [convert(analyte, n, us_unit, si_unit) for n in numbers]


@pytest.mark.parametrize(
    ("criteria", "analyte", "system", "multiple", "below", "at", "above"),
    _cases(NORMAL_BASELINE),
)
def test_normal_baseline_boundaries(
    criteria: str, analyte: str, system: str, multiple: float, below: int, at: int, above: int
) -> None:
    uln_us = UNITS[analyte][1]
    unit, (uln,) = _in_system(analyte, system, uln_us)
    for factor, expected in ((1 - NUDGE, below), (1.0, at), (1 + NUDGE, above)):
        value = multiple * uln * factor
        result = grade_value(analyte, value, "", unit, uln, None, criteria_id=criteria)
        assert result.grade == expected, (factor, result.reason)
        assert result.basis == "ULN"
        assert result.criteria_id == criteria
        assert result.multiple == pytest.approx(value / uln)
        assert f"grade {expected}" in result.reason


@pytest.mark.parametrize(
    ("criteria", "analyte", "system", "multiple", "below", "at", "above"),
    _cases(ABNORMAL_BASELINE),
)
def test_abnormal_baseline_boundaries(
    criteria: str, analyte: str, system: str, multiple: float, below: int, at: int, above: int
) -> None:
    uln_us = UNITS[analyte][1]
    baseline_us = 2.2 * uln_us  # above its ULN: abnormal baseline
    unit, (uln, baseline) = _in_system(analyte, system, uln_us, baseline_us)
    for factor, expected in ((1 - NUDGE, below), (1.0, at), (1 + NUDGE, above)):
        value = multiple * baseline * factor
        result = grade_value(
            analyte,
            value,
            "",
            unit,
            uln,
            None,
            baseline=baseline,
            baseline_uln=uln,
            criteria_id=criteria,
        )
        assert result.grade == expected, (factor, result.reason)
        assert result.basis == "baseline"
        assert "x baseline" in result.reason


def test_floating_point_product_counts_as_the_boundary() -> None:
    # 3 x 1.2 is 3.5999999999999996 in binary floating point: still exactly 3 x ULN (grade 2)
    result = grade_value("TBILI", 3 * 1.2, "", "mg/dL", 1.2, None)
    assert result.grade == 2
    assert grade_value("ALT", 3 * 40.0, "", "U/L", 40.0, None).grade == 1


def test_reason_reads_as_a_clinician_would_write_it() -> None:
    result = grade_value("ALT", 412, "", "U/L", 40, None)
    assert result.reason == "ALT 412 U/L = 10.3 x ULN (40): grade 3, CTCAE v5.0"
    assert result.criteria_label == "CTCAE v5.0"


def test_v5_above_uln_below_baseline_rule_is_grade_0_and_says_so() -> None:
    result = grade_value("ALT", 70, "", "U/L", 40, None, baseline=60, baseline_uln=40)
    assert result.grade == 0
    assert result.reason.startswith(
        "ALT 70 U/L = 1.2 x baseline (60): above ULN, below baseline rule: grade 0, CTCAE v5.0"
    )


def test_v6_abnormal_baseline_grade_3_says_the_5x_uln_cap_is_not_applied() -> None:
    # 3 x baseline 100 = 300 U/L = 7.5 x ULN: grade 3 by the baseline rule, cap not applied
    result = grade_value(
        "ALT", 300, "", "U/L", 40, None, baseline=100, baseline_uln=40, criteria_id="ctcae-6.0"
    )
    assert result.grade == 3
    # the band's remark and the abnormal-baseline note, in that order
    assert result.reason == (
        "ALT 300 U/L = 3.0 x baseline (100): grade 3, CTCAE v6.0 (the v6.0 'up to 5 x ULN' cap "
        "for an abnormal baseline is not applied; abnormal baseline)"
    )


def test_baseline_equal_to_its_uln_is_normal() -> None:
    result = grade_value("ALT", 130, "", "U/L", 40, None, baseline=40, baseline_uln=40)
    assert result.basis == "ULN"
    assert result.grade == 2


def test_baseline_without_its_own_uln_is_judged_against_the_result_uln() -> None:
    result = grade_value("ALT", 100, "", "U/L", 40, None, baseline=80)
    assert result.basis == "baseline"
    assert result.grade == 0  # 1.25 x baseline: below the v5.0 1.5 x rule


def test_baseline_abnormal_flag_overrides_the_comparison() -> None:
    forced_normal = grade_value(
        "ALT", 130, "", "U/L", 40, None, baseline=80, baseline_uln=40, baseline_abnormal=False
    )
    assert forced_normal.basis == "ULN" and forced_normal.grade == 2
    forced_abnormal = grade_value(
        "ALT", 130, "", "U/L", 40, None, baseline=35, baseline_uln=40, baseline_abnormal=True
    )
    assert forced_abnormal.basis == "baseline" and forced_abnormal.grade == 2  # 3.7 x baseline


def test_the_baseline_result_itself_is_graded_against_uln_only() -> None:
    result = grade_value(
        "ALT", 90, "", "U/L", 40, None, baseline=90, baseline_uln=40, is_baseline=True
    )
    assert result.basis == "ULN"
    assert result.grade == 1
    assert "baseline result" in result.reason


def test_v6_alp_needs_value_above_both_uln_and_baseline() -> None:
    below_baseline = grade_value(
        "ALP", 300, "", "U/L", 120, None, baseline=350, baseline_uln=120, criteria_id="ctcae-6.0"
    )
    assert below_baseline.grade == 0
    above_both = grade_value(
        "ALP", 400, "", "U/L", 120, None, baseline=350, baseline_uln=120, criteria_id="ctcae-6.0"
    )
    assert above_both.grade == 1


def test_censored_value_grades_its_bound_and_keeps_the_comparator() -> None:
    low = grade_value("TBILI", 0.1, "<", "mg/dL", 1.2, None)
    assert low.grade == 0
    assert "TBILI <0.1 mg/dL" in low.reason and "censored" in low.reason
    high = grade_value("ALT", 1000, ">", "U/L", 40, None)
    assert high.grade == 4
    assert ">1000" in high.reason


def test_missing_uln_is_not_graded_and_says_why() -> None:
    result = grade_value("ALT", 80, "", "U/L", None, None)
    assert result.grade is None
    assert "no ULN reported and no site default: not graded" in result.reason
    assert result.basis is None and result.multiple is None


def test_zero_uln_is_not_used_as_a_reference() -> None:
    result = grade_value("ALT", 80, "", "U/L", 0.0, None)
    assert result.grade is None
    assert "cannot be used as a reference" in result.reason


def test_boundary_display_shows_enough_digits_not_to_look_equal() -> None:
    just_above = grade_value("ALT", 120.001, "", "U/L", 40, None)
    assert just_above.grade == 2
    assert "= 3.0 x ULN" not in just_above.reason
