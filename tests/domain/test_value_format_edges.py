"""Lab values written at their edges: a negative zero, a range with only a lower limit, a number a
rule text already gives in another unit, and limits a stored text writes with a glyph.

Expected texts are worked by hand: bilirubin 1 mg/dL = 17.1 µmol/L and glucose 1 mmol/L =
18.016 mg/dL (clinical reference, decision 7); bilirubin is shown with 1 decimal in mg/dL and
none in µmol/L, glucose with none in mg/dL and 1 in mmol/L; a censoring limit rounds outwards
("≤" up, "≥" down) so that it stays true."""

from __future__ import annotations

import pytest

from irae_desktop.domain.value_format import number_text, range_text, text_in_units, value_text


@pytest.mark.parametrize(
    ("analyte", "unit"),
    [
        ("TBILI", "mg/dL"),  # shown with 1 decimal: "-0.0" before the sign is dropped
        ("GLUCOSE", "mg/dL"),  # shown with no decimals: "-0" before the sign is dropped
    ],
)
def test_a_negative_zero_reads_as_a_plain_zero(analyte: str, unit: str) -> None:
    # float("-0") is -0.0: a "-0" in a lab file is zero and reads "0", never "-0"
    assert number_text(analyte, -0.0, unit) == "0"


def test_a_negative_zero_converted_for_display_reads_as_a_plain_zero() -> None:
    # -0.0 mg/dL x 17.1 is -0.0 µmol/L
    assert value_text("TBILI", -0.0, "mg/dL", "SI") == ("0", "µmol/L")


def test_a_range_with_only_a_lower_limit_reads_at_least() -> None:
    # 70 mg/dL / 18.016 = 3.885 mmol/L -> 3.9
    assert range_text("GLUCOSE", 70.0, None, "mg/dL", "SI") == "≥3.9"
    assert range_text("GLUCOSE", 70.0, None, "mg/dL", "US") == "≥70"


def test_a_number_a_rule_text_gives_in_another_unit_is_left_as_written() -> None:
    # mmol/L is not glucose's stored unit (mg/dL): the number is already in SI, not converted
    assert text_in_units("glucose above 13.9 mmol/L", "SI") == "glucose above 13.9 mmol/L"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        # 0.12 mg/dL x 17.1 = 2.052 µmol/L: at most 2.052 is written "≤3", never "≤2"
        ("TBILI ≤0.12 mg/dL", "Bilirubin ≤3 µmol/L"),
        ("TBILI <=0.12 mg/dL", "Bilirubin ≤3 µmol/L"),
        # 500 mg/dL / 18.016 = 27.753 mmol/L: at least 27.753 is written "≥27.7", never "≥27.8"
        ("GLUCOSE ≥500 mg/dL", "Glucose ≥27.7 mmol/L"),
        ("GLUCOSE >=500 mg/dL", "Glucose ≥27.7 mmol/L"),
    ],
)
def test_a_limit_written_with_a_glyph_in_a_rule_text_rounds_outwards(
    stored: str, shown: str
) -> None:
    assert text_in_units(stored, "SI") == shown
