"""Analyte names and codes, unit spellings and conversions, and result text as written by labs."""

from __future__ import annotations

import pytest

from irae_desktop.domain.analytes import (
    ANALYTES,
    ORGAN_TITLES,
    analyte_label,
    get_analyte,
    lookup_analyte,
)
from irae_desktop.domain.units import (
    UnitError,
    convert,
    display_unit,
    from_canonical,
    normalise_unit,
    to_canonical,
)
from irae_desktop.domain.values import ValueTextError, parse_result_text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ALT", "ALT"),
        ("alt", "ALT"),
        ("1742-6", "ALT"),
        ("1744-2", "ALT"),
        ("ALT (SGPT)", "ALT"),
        ("SGPT", "ALT"),
        ("Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma", "ALT"),
        ("AST (SGOT)", "AST"),
        ("30239-8", "AST"),
        ("alkaline phos.", "ALP"),
        ("ALK. PHOS.", "ALP"),
        ("ALKP", "ALP"),
        ("TBIL", "TBILI"),
        ("TOTAL BILIRUBIN", "TBILI"),
        ("Bilirubin.total [Mass/volume] in Serum or Plasma", "TBILI"),
        ("1968-7", "DBILI"),
        ("2324-2", "GGT"),
        ("GLU", "GLUCOSE"),
        ("Glucose", "GLUCOSE"),
        ("2345-7", "GLUCOSE"),
        ("2339-0", "GLUCOSE"),
        ("1558-6", "GLUCOSE_FASTING"),
        ("1554-5", "GLUCOSE_FASTING"),
        ("41653-7", "GLUCOSE_POC"),
        ("bedside glucose", "GLUCOSE_POC"),
        ("1986-9", "CPEPTIDE"),
        ("Hemoglobin A1c/Hemoglobin.total in Blood", "HBA1C"),
        ("59261-8", "HBA1C"),
        ("6873-4", "BHB"),
        ("  total   bilirubin ", "TBILI"),
        ("CREATININE", "CREAT"),
    ],
)
def test_lookup_by_code_loinc_and_local_name(text: str, code: str) -> None:
    found = lookup_analyte(text)
    assert found is not None and found.code == code


@pytest.mark.parametrize("text", ["", "ferritin", "1234-5", "SODIUM"])
def test_unknown_names_are_none(text: str) -> None:
    assert lookup_analyte(text) is None


def test_every_analyte_has_a_canonical_unit_the_converter_accepts() -> None:
    for code, analyte in ANALYTES.items():
        assert to_canonical(code, 1.0, analyte.canonical_unit) == 1.0
        assert analyte.organ in ("liver", "glucose", "blood", "kidney", "lipids", "other")
        assert analyte.organ in ORGAN_TITLES
        assert analyte.plausible_low < analyte.plausible_high


@pytest.mark.parametrize(
    ("text", "spelled"),
    [
        ("mg/dl", "mg/dL"),
        ("MG/DL", "mg/dL"),
        ("umol/L", "µmol/L"),
        ("μmol/L", "µmol/L"),
        ("µmol/l", "µmol/L"),
        ("mmol/l", "mmol/L"),
        ("U/L", "U/L"),
        ("IU/L", "U/L"),
        ("Units/L", "U/L"),
        ("U/l", "U/L"),
        ("[IU]/L", "U/L"),
        ("%", "%"),
        ("mmol/mol", "mmol/mol"),
        ("ng/mL", "ng/mL"),
        ("pmol/L", "pmol/L"),
        ("nmol/L", "nmol/L"),
    ],
)
def test_unit_spellings(text: str, spelled: str) -> None:
    assert normalise_unit(text) == spelled


@pytest.mark.parametrize(
    ("analyte", "value", "unit", "canonical"),
    [
        ("GLUCOSE", 10.0, "mmol/L", 180.16),
        ("TBILI", 17.1, "umol/L", 1.0),
        ("CPEPTIDE", 0.331, "nmol/L", 1.0),
        ("CPEPTIDE", 331.0, "pmol/L", 1.0),
        ("HBA1C", 48.0, "mmol/mol", 0.0915 * 48 + 2.15),
        ("ALT", 1.0, "µkat/L", 60.0),
        ("AST", 50.0, "IU/L", 50.0),
    ],
)
def test_conversions_to_canonical(analyte: str, value: float, unit: str, canonical: float) -> None:
    assert to_canonical(analyte, value, unit) == pytest.approx(canonical, rel=1e-12)


def test_convert_round_trips_including_the_affine_hba1c_formula() -> None:
    assert convert("HBA1C", 6.5, "%", "mmol/mol") == pytest.approx((6.5 - 2.15) / 0.0915)
    assert convert("HBA1C", convert("HBA1C", 53, "mmol/mol", "%"), "%", "mmol/mol") == (
        pytest.approx(53)
    )
    assert convert("GLUCOSE", 180.16, "mg/dL", "mmol/L") == pytest.approx(10.0)


def test_unit_of_another_analyte_is_refused_with_the_expected_units() -> None:
    with pytest.raises(UnitError) as err:
        to_canonical("ALT", 1.0, "mmol/L")
    assert str(err.value) == "unit 'mmol/L' does not belong to ALT (expected U/L, IU/L, µkat/L)"
    with pytest.raises(UnitError, match="unknown unit 'furlongs'"):
        normalise_unit("furlongs")
    with pytest.raises(UnitError) as blank:
        normalise_unit("  ")
    assert str(blank.value) == "no unit given"
    with pytest.raises(UnitError, match=r"'\(none\)' does not belong to TBILI"):
        to_canonical("TBILI", 1.0, "")
    with pytest.raises(UnitError) as unknown:
        to_canonical("FERRITIN", 1.0, "ng/mL")  # not an analyte this program converts
    assert str(unknown.value) == "unknown analyte 'FERRITIN': no units known for it"


def test_display_units_and_from_canonical() -> None:
    assert display_unit("GLUCOSE", "SI") == "mmol/L"
    assert display_unit("ALT", "SI") == "U/L"
    assert display_unit("TBILI", "US") == "mg/dL"
    value, unit = from_canonical("TBILI", 1.0, "SI")
    assert (value, unit) == (pytest.approx(17.1), "µmol/L")
    value, unit = from_canonical("CPEPTIDE", 0.6, "SI")
    assert (value, unit) == (pytest.approx(0.1986), "nmol/L")
    assert from_canonical("ALT", 55.0, "US") == (55.0, "U/L")
    with pytest.raises(UnitError):
        display_unit("ALT", "metric")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "decimal_comma", "value", "comparator"),
    [
        ("<0.1", None, 0.1, "<"),
        ("> 600", None, 600.0, ">"),
        ("≥600", None, 600.0, ">="),
        ("≤5", None, 5.0, "<="),
        ("<=5", None, 5.0, "<="),
        ("=>7", None, 7.0, ">="),
        ("1,234.5", None, 1234.5, ""),
        ("12,5", None, 12.5, ""),
        ("12,5", True, 12.5, ""),
        ("1.234,5", True, 1234.5, ""),
        ("1,234", False, 1234.0, ""),
        ("1,234", True, 1.234, ""),
        # a file that writes decimal commas groups thousands with dots
        ("1.020", True, 1020.0, ""),
        ("1.234.567", True, 1234567.0, ""),
        (" 42 ", None, 42.0, ""),
        ("+4.0", None, 4.0, ""),
        (".5", None, 0.5, ""),
    ],
)
def test_result_text(text: str, decimal_comma: bool | None, value: float, comparator: str) -> None:
    assert parse_result_text(text, decimal_comma=decimal_comma) == (
        pytest.approx(value),
        comparator,
    )


@pytest.mark.parametrize(
    ("text", "decimal_comma", "message"),
    [
        ("negative", None, "is text, not a number"),
        ("hemolyzed", None, "is text, not a number"),
        ("see note", None, "is text, not a number"),
        ("", None, "the result is empty"),
        ("   ", None, "the result is empty"),
        ("1,234", None, "ambiguous"),
        ("12,5", False, "not a number"),
        ("1..2", None, "not a number"),
        ("1,2,3", None, "not a number"),
    ],
)
def test_result_text_that_is_not_a_number(
    text: str, decimal_comma: bool | None, message: str
) -> None:
    with pytest.raises(ValueTextError, match=message):
        parse_result_text(text, decimal_comma=decimal_comma)


def test_an_unknown_analyte_code_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(KeyError) as err:
        get_analyte("FERRITIN")
    message = err.value.args[0]
    assert message.startswith("unknown analyte 'FERRITIN' (known: ALT, AST, TBILI, ")
    # every known analyte, in display order: the treatment-safety ones after the irAE ones
    assert ", BHB, ALC, ANC, HGB, PLT, CREAT, EGFR, CHOL, LDL, TRIG)" in message
    assert get_analyte(" alt ").code == "ALT"
    assert analyte_label("TBILI") == "Bilirubin"
    assert analyte_label("FERRITIN") == "FERRITIN"  # a code the program does not know, as it is
