"""Lab values as every view writes them: clinical precision per unit system, censored limits,
reference ranges, rule texts restated in the units on display, and export precision.

Expected texts are worked by hand from the conversion factors (clinical reference, decision 7:
bilirubin 1 mg/dL = 17.1 µmol/L, glucose 1 mmol/L = 18.016 mg/dL, C-peptide 1 ng/mL = 0.331
nmol/L, HbA1c % = 0.0915 x mmol/mol + 2.15) and the precision clinical labs report."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from irae_desktop.domain.analytes import ANALYTES, DISPLAY_ORDER, analyte_label, decimals_for
from irae_desktop.domain.value_format import (
    export_number,
    number_text,
    range_text,
    source_decimals,
    text_in_units,
    value_text,
)


@pytest.mark.parametrize(
    ("analyte", "value", "unit", "system", "expected"),
    [
        ("TBILI", 0.7, "mg/dL", "SI", ("12", "µmol/L")),  # 11.97
        ("TBILI", 0.7, "mg/dL", "US", ("0.7", "mg/dL")),
        ("TBILI", 1.25, "mg/dL", "US", ("1.3", "mg/dL")),  # half away from zero
        ("GLUCOSE", 98.0, "mg/dL", "SI", ("5.4", "mmol/L")),  # 5.44
        ("GLUCOSE", 612.0, "mg/dL", "SI", ("34.0", "mmol/L")),  # 33.97
        ("GLUCOSE", 140.5, "mg/dL", "US", ("141", "mg/dL")),
        ("GLUCOSE_POC", 250.0, "mg/dL", "SI", ("13.9", "mmol/L")),  # 13.88
        ("ALT", 892.0, "U/L", "SI", ("892", "U/L")),  # enzymes stay U/L in SI
        ("ALT", 0.8, "µkat/L", "US", ("48", "U/L")),
        ("CPEPTIDE", 1.5, "ng/mL", "SI", ("0.50", "nmol/L")),  # 0.4965
        ("CPEPTIDE", 0.06, "ng/mL", "US", ("0.06", "ng/mL")),
        ("HBA1C", 7.9, "%", "SI", ("63", "mmol/mol")),  # 62.84
        ("HBA1C", 7.94, "%", "US", ("7.9", "%")),
        ("BHB", 4.2, "mmol/L", "SI", ("4.2", "mmol/L")),
    ],
)
def test_values_at_clinical_precision(analyte, value, unit, system, expected) -> None:  # type: ignore[no-untyped-def]
    assert value_text(analyte, value, unit, system) == expected


@pytest.mark.parametrize(
    ("analyte", "value", "comparator", "expected"),
    [
        # <0.1 mg/dL = <1.71 µmol/L: an upper limit rounds up so it stays true
        ("TBILI", 0.1, "<", "<2"),
        ("TBILI", 0.1, "<=", "≤2"),
        # >500 mg/dL = >27.75 mmol/L: a lower limit rounds down, never claiming more
        ("GLUCOSE", 500.0, ">", ">27.7"),
        ("GLUCOSE", 500.0, ">=", "≥27.7"),
    ],
)
def test_censored_limits_round_outwards(analyte, value, comparator, expected) -> None:  # type: ignore[no-untyped-def]
    assert value_text(analyte, value, ANALYTES[analyte].canonical_unit, "SI", comparator)[0] == (
        expected
    )


def test_a_small_value_never_reads_as_zero() -> None:
    assert value_text("CPEPTIDE", 0.003, "ng/mL", "US") == ("0.003", "ng/mL")
    assert value_text("CPEPTIDE", 0.0, "ng/mL", "US") == ("0", "ng/mL")


def test_reference_ranges_in_both_systems() -> None:
    assert range_text("TBILI", 0.1, 1.2, "mg/dL", "SI") == "2–21"  # 1.71-20.52
    assert range_text("TBILI", 0.1, 1.2, "mg/dL", "US") == "0.1–1.2"
    assert range_text("GLUCOSE", 70.0, 140.0, "mg/dL", "SI") == "3.9–7.8"  # 3.89-7.77
    assert range_text("GLUCOSE", 70.0, 140.0, "mg/dL", "US") == "70–140"
    assert range_text("ALT", None, 40.0, "U/L", "SI") == "≤40"
    assert range_text("ALT", None, None, "U/L", "SI", "none reported") == "none reported"


def test_every_analyte_lists_a_precision_for_each_unit_it_is_shown_in() -> None:
    from irae_desktop.domain.units import display_unit

    for code in DISPLAY_ORDER:
        for system in ("US", "SI"):
            assert decimals_for(code, display_unit(code, system)) is not None, (code, system)
    assert DISPLAY_ORDER[:3] == ("ALT", "AST", "TBILI")
    assert analyte_label("TBILI") == "Bilirubin"
    assert analyte_label("GLUCOSE_POC") == "Glucose (POC)"


@pytest.mark.parametrize(
    ("stored", "system", "shown"),
    [
        (
            "TBILI 1.4 mg/dL = 1.2 x ULN (1.2): grade 1, CTCAE v5.0",
            "SI",
            "Bilirubin 24 µmol/L = 1.2 x ULN (21): grade 1, CTCAE v5.0",
        ),
        (
            "TBILI 1.4 mg/dL = 1.2 x ULN (1.2): grade 1, CTCAE v5.0",
            "US",
            "Bilirubin 1.4 mg/dL = 1.2 x ULN (1.2): grade 1, CTCAE v5.0",
        ),
        (
            "GLUCOSE 418 mg/dL: above 250 mg/dL, hyperglycemia: grade 3, ASCO 2021",
            "SI",
            "Glucose 23.2 mmol/L: above 13.9 mmol/L, hyperglycemia: grade 3, ASCO 2021",
        ),
        (
            "ALT 892 U/L = 22.3 x ULN (40): grade 4, CTCAE v5.0",
            "SI",
            "ALT 892 U/L = 22.3 x ULN (40): grade 4, CTCAE v5.0",
        ),
        (
            # an alert naming two analytes: each number follows the analyte named before it;
            # a limit already in SI (0.2 nmol/L) is left as written, and its US equivalent
            # (0.60 ng/mL = 0.20 nmol/L) is not said twice
            "glucose 612 mg/dL on 2026-11-28 with C-peptide <0.1 ng/mL "
            "(below 0.2 nmol/L = 0.60 ng/mL)",
            "SI",
            "glucose 34.0 mmol/L on 2026-11-28 with C-peptide <0.04 nmol/L (below 0.2 nmol/L)",
        ),
        (
            "C-peptide <0.1 ng/mL (below 0.2 nmol/L = 0.60 ng/mL)",
            "US",
            "C-peptide <0.1 ng/mL (below 0.2 nmol/L = 0.60 ng/mL)",
        ),
        (
            "AST 702 U/L = 17.6 x ULN (at least 3) and total bilirubin 2.5 mg/dL = 2.1 x ULN",
            "SI",
            "AST 702 U/L = 17.6 x ULN (at least 3) and total bilirubin 43 µmol/L = 2.1 x ULN",
        ),
    ],
)
def test_rule_texts_in_the_units_on_display(stored: str, system: str, shown: str) -> None:
    assert text_in_units(stored, system) == shown


@pytest.mark.parametrize(
    ("text", "places"), [("540.48", 2), ("<0.1", 1), ("12", 0), ("7,5", 1), ("", None)]
)
def test_source_decimals(text: str, places: int | None) -> None:
    assert source_decimals(text) == places


def test_exports_keep_the_source_precision() -> None:
    assert export_number("GLUCOSE", 540.4799999999999, "mg/dL", "540.48", "mg/dL") == 540.48
    # 30 mmol/L x 18.016: glucose's 1 mg/dL precision and one decimal more
    assert export_number("GLUCOSE", 540.4799999999999, "mg/dL", "30", "mmol/L") == 540.5
    assert export_number("TBILI", 1.2, "mg/dL", "1.20", "mg/dL") == 1.2


def test_unknown_analytes_and_units_are_shown_as_stored_not_converted() -> None:
    # nothing to convert with: the value keeps its own unit, at up to three significant figures
    assert value_text("FERRITIN", 123.456, "ng/mL", "SI") == ("123", "ng/mL")
    assert value_text("TBILI", 20.0, "mmol/mol", "SI") == ("20", "mmol/mol")
    assert range_text("FERRITIN", 30.0, 400.0, "ng/mL", "SI") == "30–400"
    assert text_in_units("no analyte named 12 mg/dL", "SI") == "no analyte named 12 mg/dL"
    # a source text without a number (a qualitative result) falls back to clinical precision
    assert export_number("GLUCOSE", 98.04, "mg/dL", "positive", "mg/dL") == 98.0


@given(
    code=st.sampled_from(DISPLAY_ORDER),
    value=st.floats(min_value=0.0, max_value=5000.0, allow_nan=False),
    system=st.sampled_from(["US", "SI"]),
)
def test_shown_value_is_within_half_a_display_step_of_the_exact_one(
    code: str, value: float, system: str
) -> None:
    from irae_desktop.domain.units import convert, display_unit

    canonical = ANALYTES[code].canonical_unit
    text, unit = value_text(code, value, canonical, system)
    assert unit == display_unit(code, system)  # type: ignore[arg-type]
    exact = convert(code, value, canonical, unit)
    step = 10.0 ** -(decimals_for(code, unit) or 0)
    assert abs(float(text) - exact) <= step / 2 + 1e-9


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        # no clinical precision listed: three significant figures, halves away from zero
        (0.0, "0"),
        (1.0, "1"),
        (1.005, "1.01"),  # from 1 up: two decimals
        (1.5, "1.5"),  # trailing zeros dropped
        (10.05, "10.1"),  # from 10 up: one decimal
        (12.0, "12"),
        (12.35, "12.4"),
        (100.45, "100"),  # from 100 up: no decimals
        (0.01234, "0.0123"),
    ],
)
def test_a_value_without_a_listed_precision_keeps_three_figures(value: float, shown: str) -> None:
    assert number_text("FERRITIN", value, "ng/mL") == shown
