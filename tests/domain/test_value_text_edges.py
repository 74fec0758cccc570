"""Result text at its edges: signs, thousands groups by convention, impossible sizes, messages."""

from __future__ import annotations

import pytest

from irae_desktop.domain.units import UnitError, display_unit, is_canonical
from irae_desktop.domain.values import (
    ValueTextError,
    decimal_evidence,
    depends_on_convention,
    parse_result_text,
)


@pytest.mark.parametrize(
    ("text", "decimal_comma", "expected"),
    [
        ("-1,5", True, (-1.5, "")),  # a decimal-comma file: minus one and a half
        ("< -0.5", None, (-0.5, "<")),
        ("-2", None, (-2.0, "")),
        ("1,234.5", False, (1234.5, "")),  # a decimal-point file: the comma groups thousands
        ("1.234", True, (1234.0, "")),  # a decimal-comma file: the dot groups thousands
    ],
)
def test_signs_and_groups(text: str, decimal_comma: bool | None, expected: tuple) -> None:  # type: ignore[type-arg]
    assert parse_result_text(text, decimal_comma=decimal_comma) == expected


def test_a_point_after_a_comma_in_a_decimal_comma_file_is_refused() -> None:
    with pytest.raises(ValueTextError, match=r"^result '1,234\.5' is not a number this program"):
        parse_result_text("1,234.5", decimal_comma=True)


def test_an_ambiguous_group_names_the_cell_and_the_fix() -> None:
    with pytest.raises(ValueTextError) as caught:
        parse_result_text("< 1,234")
    assert str(caught.value) == (
        "result '< 1,234' is ambiguous: the comma may be a decimal or a thousands separator; "
        "set the file's decimal separator"
    )


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_cell_says_so(text: str) -> None:
    with pytest.raises(ValueTextError) as caught:
        parse_result_text(text)
    assert str(caught.value) == "the result is empty"


@pytest.mark.parametrize("text", ["9" * 400, "<" + "9" * 400, "9" * 400 + ".5"])
def test_a_number_too_large_for_a_float_is_refused(text: str) -> None:
    # 400 digits overflow to infinity: no laboratory writes that, and it must not grade as G4
    with pytest.raises(ValueTextError) as caught:
        parse_result_text(text)
    assert str(caught.value) == f"result {text!r} is not a finite number"


@pytest.mark.parametrize(
    ("text", "evidence", "depends"),
    [
        ("0,8", True, False),
        ("1.234,5", True, False),
        ("12.5", False, False),
        ("1,234.5", False, False),
        ("<0.06", False, False),
        ("100", None, False),
        ("1.020", None, True),
        ("1,020", None, True),
        ("0,800", True, False),  # nobody groups a leading zero
        ("1.2.3", None, False),
        ("abc", None, False),
        ("", None, False),
    ],
)
def test_what_a_cell_shows_of_its_decimal_mark(
    text: str, evidence: bool | None, depends: bool
) -> None:
    assert decimal_evidence(text) is evidence
    assert depends_on_convention(text) is depends


@pytest.mark.parametrize(
    ("analyte", "unit", "canonical"),
    [
        ("GLUCOSE", "mg/dl", True),
        ("GLUCOSE", "mmol/L", False),
        ("TBILI", "umol/L", False),
        ("ALT", "U/L", True),
    ],
)
def test_canonical_units(analyte: str, unit: str, canonical: bool) -> None:
    assert is_canonical(analyte, unit) is canonical


def test_display_unit_refusals_name_what_was_wrong() -> None:
    assert (display_unit("GLUCOSE", "SI"), display_unit("TBILI", "US")) == ("mmol/L", "mg/dL")
    with pytest.raises(UnitError) as caught:
        display_unit("NOPE", "US")
    assert str(caught.value) == "unknown analyte 'NOPE'"
    with pytest.raises(UnitError) as caught:
        display_unit("ALT", "metric")  # type: ignore[arg-type]
    assert str(caught.value) == "unknown unit system 'metric' (expected US or SI)"


def test_a_cell_mixing_commas_and_points_in_no_grouping_shows_no_decimal_mark() -> None:
    # "1,234.5" and "1.234,5" are groups of three with a decimal; these are neither
    from irae_desktop.domain.values import decimal_evidence

    for text in ("1.2,3.4", "1,2.3,4", "12,3.45.6"):
        assert decimal_evidence(text) is None, text
    assert decimal_evidence("1,234.5") is False
    assert decimal_evidence("1.234,5") is True
