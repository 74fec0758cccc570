"""Units of the treatment-safety analytes: every spelling exports write, every conversion with a
literal expected number (worked by hand from the factors of docs/clinical-reference.md,
section 9), and the refusals: an unknown unit, a percentage for a count."""

from __future__ import annotations

import pytest

from irae_desktop.domain.units import (
    UnitError,
    convert,
    display_unit,
    from_canonical,
    to_canonical,
    unit_for,
)

COUNT_SPELLINGS_PER_LITRE = [
    "10^9/L",
    "10*9/L",
    "x10E9/L",
    "x 10^9/L",
    "×10⁹/L",  # the superscript folds to "109/L"
    "109/L",  # a superscript lost in the export
    "G/L",  # giga per litre (French, German)
    "G/l",
    "Gpt/l",
    "/nl",
]
COUNT_SPELLINGS_PER_UL = ["K/uL", "10^3/uL", "10*3/uL", "x10E3/uL", "10^3/µL", "thou/uL", "mila/µL"]
CELLS_SPELLINGS = ["/uL", "cells/uL", "/mm3", "cells/mm3", "/µL", "/mm³", "/mmc", "cells/µL"]


@pytest.mark.parametrize("analyte", ["ALC", "ANC", "PLT"])
def test_every_count_spelling_converts(analyte: str) -> None:
    for unit in COUNT_SPELLINGS_PER_LITRE:
        assert unit_for(analyte, unit) == "10^9/L", unit
        assert to_canonical(analyte, 1.2, unit) == 1.2, unit
    for unit in COUNT_SPELLINGS_PER_UL:
        assert unit_for(analyte, unit) == "10^3/µL", unit
        assert to_canonical(analyte, 1.2, unit) == 1.2, unit
    for unit in CELLS_SPELLINGS:
        assert unit_for(analyte, unit) == "/µL", unit
        # 1,200 cells per µL is 1.2 x10^3/µL
        assert to_canonical(analyte, 1200.0, unit) == pytest.approx(1.2, rel=1e-12), unit


@pytest.mark.parametrize(
    ("analyte", "value", "from_unit", "to_unit", "expected"),
    [
        ("ANC", 1.5, "10^9/L", "/µL", 1500.0),
        ("PLT", 250000.0, "/mm3", "10^9/L", 250.0),
        ("ALC", 0.45, "K/uL", "cells/uL", 450.0),
        # hemoglobin: 1 g/dL = 10 g/L = 0.6206 mmol/L
        ("HGB", 10.0, "g/dL", "g/L", 100.0),
        ("HGB", 10.0, "g/dL", "mmol/L", 6.206),
        ("HGB", 6.206, "mmol/L", "g/dL", 10.0),
        ("HGB", 8.0, "g/dL", "mmol/L", 4.9648),
        # creatinine: 1 mg/dL = 88.4 µmol/L = 10 mg/L
        ("CREAT", 1.0, "mg/dL", "µmol/L", 88.4),
        ("CREAT", 176.8, "umol/L", "mg/dL", 2.0),
        ("CREAT", 9.0, "mg/L", "mg/dL", 0.9),
        # cholesterol and LDL: 1 mmol/L = 38.67 mg/dL; 1 g/L = 100 mg/dL
        ("CHOL", 5.0, "mmol/L", "mg/dL", 193.35),
        ("CHOL", 2.1, "g/L", "mg/dL", 210.0),
        ("LDL", 3.0, "mmol/L", "mg/dL", 116.01),
        ("LDL", 116.01, "mg/dL", "mmol/L", 3.0),
        # triglycerides: 1 mmol/L = 88.57 mg/dL
        ("TRIG", 2.0, "mmol/L", "mg/dL", 177.14),
        ("TRIG", 1.71, "mmol/L", "mg/dL", 151.4547),
        # eGFR: 1 mL/s/1.73 m² = 60 mL/min/1.73 m²
        ("EGFR", 1.0, "mL/s/1.73m2", "mL/min/1.73m2", 60.0),
    ],
)
def test_conversions(
    analyte: str, value: float, from_unit: str, to_unit: str, expected: float
) -> None:
    assert convert(analyte, value, from_unit, to_unit) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize(
    ("analyte", "unit", "spelled"),
    [
        ("HGB", "g/dl", "g/dL"),
        ("HGB", "G/DL", "g/dL"),
        ("HGB", "g/100 ml", "g/dL"),
        ("HGB", "G/L", "g/L"),  # for hemoglobin "G/L" is grams: only a count reads giga
        ("HGB", "mmol/l", "mmol/L"),
        ("CREAT", "µmol/l", "µmol/L"),
        ("CREAT", "mcmol/L", "µmol/L"),
        ("EGFR", "mL/min/1.73 m²", "mL/min/1.73 m²"),
        ("EGFR", "ml/min/1,73m²", "mL/min/1.73 m²"),
        ("EGFR", "ml/min/1.73qm", "mL/min/1.73 m²"),
        ("EGFR", "mL/min/{1.73_m2}", "mL/min/1.73 m²"),
        ("EGFR", "mL/min", "mL/min/1.73 m²"),  # an eGFR is per 1.73 m² by definition
        ("TRIG", "MMOL/L", "mmol/L"),
        ("CHOL", "mg/dl", "mg/dL"),
    ],
)
def test_spellings(analyte: str, unit: str, spelled: str) -> None:
    assert unit_for(analyte, unit) == spelled


@pytest.mark.parametrize(
    ("analyte", "unit", "message"),
    [
        ("ANC", "%", "unit '%' is a percentage (the white-cell differential's), not the absolute"),
        ("ALC", "percent", "not the absolute count ALC"),
        ("ANC", "furlongs", "unit 'furlongs' does not belong to ANC (expected 10^9/L, G/L"),
        ("ALC", "", "unit '(none)' does not belong to ALC"),
        ("HGB", "mg/dL", "unit 'mg/dL' does not belong to HGB (expected g/dL, g/L, mmol/L)"),
        ("CREAT", "mL/min", "does not belong to CREAT"),  # mL/min is only an eGFR's
        ("CHOL", "µmol/L", "does not belong to CHOL (expected mg/dL, mmol/L, g/L)"),
        ("EGFR", "mg/dL", "does not belong to EGFR"),
    ],
)
def test_refused_units_say_why(analyte: str, unit: str, message: str) -> None:
    with pytest.raises(UnitError) as err:
        to_canonical(analyte, 1.0, unit)
    assert message in str(err.value)


@pytest.mark.parametrize(
    ("analyte", "us", "si"),
    [
        ("ALC", "10^3/µL", "10^9/L"),
        ("ANC", "10^3/µL", "10^9/L"),
        ("PLT", "10^3/µL", "10^9/L"),
        ("HGB", "g/dL", "g/L"),
        ("CREAT", "mg/dL", "µmol/L"),
        ("EGFR", "mL/min/1.73 m²", "mL/min/1.73 m²"),
        ("CHOL", "mg/dL", "mmol/L"),
        ("LDL", "mg/dL", "mmol/L"),
        ("TRIG", "mg/dL", "mmol/L"),
    ],
)
def test_display_units(analyte: str, us: str, si: str) -> None:
    assert (display_unit(analyte, "US"), display_unit(analyte, "SI")) == (us, si)


def test_display_in_si_converts_from_the_canonical_unit() -> None:
    assert from_canonical("ANC", 1.2, "SI") == (1.2, "10^9/L")
    value, unit = from_canonical("CREAT", 2.0, "SI")
    assert (value, unit) == (pytest.approx(176.8), "µmol/L")
    value, unit = from_canonical("HGB", 9.5, "SI")
    assert (value, unit) == (pytest.approx(95.0), "g/L")
