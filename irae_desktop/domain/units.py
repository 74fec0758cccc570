"""Unit spellings, conversions to each analyte's canonical unit, and US/SI display units."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from irae_desktop.domain.analytes import ANALYTES
from irae_desktop.domain.text_fold import fold_text

UnitSystem = Literal["US", "SI"]

GLUCOSE_MG_PER_MMOL = 18.016
BILIRUBIN_UMOL_PER_MG = 17.1
CPEPTIDE_NMOL_PER_NG = 0.331
CPEPTIDE_PMOL_PER_NG = 331.0
ENZYME_U_PER_UKAT = 60.0
HBA1C_SLOPE = 0.0915
HBA1C_INTERCEPT = 2.15
# beta-hydroxybutyrate molar mass 104.1 g/mol: 1 mmol/L = 10.41 mg/dL
BHB_MG_DL_PER_MMOL = 10.41
# cell counts: 1 x10^9/L = 1 x10^3/µL = 1,000 cells/µL (a µL is a mm3): a count reported per
# µL is 1,000 times the number written per 10^9/L
CELLS_PER_UL_PER_THOUSAND = 1000.0
# hemoglobin as the monomer (16,114.5 g/mol): 1 g/dL = 10 g/L = 0.6206 mmol/L
HEMOGLOBIN_MMOL_PER_G_DL = 0.6206
# creatinine (113.12 g/mol): 1 mg/dL = 88.4 µmol/L
CREATININE_UMOL_PER_MG = 88.4
# cholesterol, total or in LDL (386.65 g/mol): 1 mmol/L = 38.67 mg/dL
CHOLESTEROL_MG_DL_PER_MMOL = 38.67
# triglycerides (as triolein, 885.7 g/mol): 1 mmol/L = 88.57 mg/dL
TRIGLYCERIDE_MG_DL_PER_MMOL = 88.57
# eGFR: 1 mL/s = 60 mL/min
EGFR_ML_MIN_PER_ML_S = 60.0


class UnitError(ValueError):
    """A unit that is unknown, or that does not measure the analyte it came with."""


# Normalised spelling (lower case, no spaces, micro signs as "u") -> the standard spelling.
_SPELLINGS: dict[str, str] = {
    "u/l": "U/L",
    "iu/l": "U/L",
    "[iu]/l": "U/L",
    "unit/l": "U/L",
    "units/l": "U/L",
    "[u]/l": "U/L",
    # European spellings of the same unit: French and Italian "UI/L", German and Nordic
    # "E/L" (Einheiten, enheter) and "IE/L" (internationale Einheiten, internationella enheter)
    "ui/l": "U/L",
    "e/l": "U/L",
    "ie/l": "U/L",
    "ukat/l": "µkat/L",
    "mikrokat/l": "µkat/L",
    "mg/dl": "mg/dL",
    "mg/100ml": "mg/dL",
    "g/l": "g/L",
    "umol/l": "µmol/L",
    "mcmol/l": "µmol/L",
    "micromol/l": "µmol/L",
    "mikromol/l": "µmol/L",
    "mmol/l": "mmol/L",
    "nmol/l": "nmol/L",
    "pmol/l": "pmol/L",
    "ng/ml": "ng/mL",
    "ug/l": "ng/mL",
    "mcg/l": "ng/mL",
    "%": "%",
    "percent": "%",
    "%hb": "%",
    "%{hb}": "%",
    "mmol/mol": "mmol/mol",
    "mmol/mol{hb}": "mmol/mol",
    "mmol/molhb": "mmol/mol",
    "g/dl": "g/dL",
    "gm/dl": "g/dL",
    "g/100ml": "g/dL",
    "mg/l": "mg/L",
    **dict.fromkeys(
        # cells per litre, in the ways exports write 10^9: a caret, UCUM's "*", "E", a lost
        # superscript ("109/L", also what "10⁹/L" folds to), giga ("Gpt/l" German, "/nl" per
        # nanolitre); "G/L" is read as giga only for a count (see _COUNT_SPELLINGS)
        (
            "10^9/l",
            "10*9/l",
            "10e9/l",
            "x10^9/l",
            "x10*9/l",
            "x10e9/l",
            "*10^9/l",
            "×10^9/l",
            "109/l",
            "x109/l",
            "×109/l",
            "giga/l",
            "gpt/l",
            "/nl",
            "1/nl",
        ),
        "10^9/L",
    ),
    **dict.fromkeys(
        # thousands per microlitre ("K/uL" US, "mila/µL" Italian) or per mm3
        (
            "10^3/ul",
            "10*3/ul",
            "10e3/ul",
            "x10^3/ul",
            "x10*3/ul",
            "x10e3/ul",
            "×10^3/ul",
            "103/ul",
            "x103/ul",
            "10^3/mcl",
            "x10^3/mcl",
            "k/ul",
            "k/mcl",
            "thou/ul",
            "thou/mcl",
            "10^3/mm3",
            "x10^3/mm3",
            "10*3/mm3",
            "mila/ul",
            "mila/mcl",
            "mila/microl",
        ),
        "10^3/µL",
    ),
    **dict.fromkeys(
        # single cells per microlitre (a mm3 is a µL; "/mmc" Italian "per millimetro cubo")
        (
            "/ul",
            "1/ul",
            "cells/ul",
            "{cells}/ul",
            "#/ul",
            "/mcl",
            "cells/mcl",
            "/microl",
            "/mm3",
            "/mm^3",
            "cells/mm3",
            "/cumm",
            "cells/cumm",
            "/mmc",
        ),
        "/µL",
    ),
    **dict.fromkeys(
        # per 1.73 m2 of body surface: "m²" folds to "m2"; German "qm" (Quadratmeter);
        # a decimal comma; UCUM's annotation "{1.73_m2}"
        (
            "ml/min/1.73m2",
            "ml/min/1.73m^2",
            "ml/min/1,73m2",
            "ml/min/1,73m^2",
            "ml/min/1.73qm",
            "ml/min/1,73qm",
            "ml/min/{1.73_m2}",
        ),
        "mL/min/1.73 m²",
    ),
    "ml/s/1.73m2": "mL/s/1.73 m²",
    "ml/s/1,73m2": "mL/s/1.73 m²",
    "ml/min": "mL/min",
}

# spellings that mean something else for one analyte: "G/L" (giga per litre, French and German
# reports) is the one reading of "g/L" that can measure a cell count, grams per litre cannot;
# an eGFR is per 1.73 m² by definition (every equation gives it so, and its LOINC codes say
# "/1.73 sq M"), so "mL/min" on an eGFR row (Synthea writes it) is that unit abbreviated
_COUNT_SPELLINGS = {"g/L": "10^9/L"}
_ANALYTE_SPELLINGS = {
    "ALC": _COUNT_SPELLINGS,
    "ANC": _COUNT_SPELLINGS,
    "PLT": _COUNT_SPELLINGS,
    "EGFR": {"mL/min": "mL/min/1.73 m²"},
}


def _key(text: str) -> str:
    return re.sub(r"\s+", "", fold_text(text.strip()))


def normalise_unit(text: str) -> str:
    """The standard spelling of a unit ("mg/dl" -> "mg/dL", "IU/L" -> "U/L"); UnitError if not."""
    spelled = _SPELLINGS.get(_key(text))
    if spelled is None:
        raise UnitError(f"unknown unit {text.strip()!r}" if text.strip() else "no unit given")
    return spelled


@dataclass(frozen=True, slots=True)
class _Linear:
    """canonical = value * factor + offset"""

    factor: float
    offset: float = 0.0

    def forward(self, value: float) -> float:
        return value * self.factor + self.offset

    def backward(self, canonical: float) -> float:
        return (canonical - self.offset) / self.factor


_ENZYME = {"U/L": _Linear(1.0), "µkat/L": _Linear(ENZYME_U_PER_UKAT)}
_BILIRUBIN = {"mg/dL": _Linear(1.0), "µmol/L": _Linear(1.0 / BILIRUBIN_UMOL_PER_MG)}
_GLUCOSE = {
    "mg/dL": _Linear(1.0),
    "mmol/L": _Linear(GLUCOSE_MG_PER_MMOL),
    "g/L": _Linear(100.0),
}
_COUNT = {
    "10^3/µL": _Linear(1.0),
    "10^9/L": _Linear(1.0),
    "/µL": _Linear(1.0 / CELLS_PER_UL_PER_THOUSAND),
}
_CHOLESTEROL = {
    "mg/dL": _Linear(1.0),
    "mmol/L": _Linear(CHOLESTEROL_MG_DL_PER_MMOL),
    "g/L": _Linear(100.0),
}

# analyte -> standard unit spelling -> conversion into the canonical unit
_CONVERSIONS: dict[str, dict[str, _Linear]] = {
    "ALT": _ENZYME,
    "AST": _ENZYME,
    "ALP": _ENZYME,
    "GGT": _ENZYME,
    "TBILI": _BILIRUBIN,
    "DBILI": _BILIRUBIN,
    "GLUCOSE": _GLUCOSE,
    "GLUCOSE_FASTING": _GLUCOSE,
    "GLUCOSE_POC": _GLUCOSE,
    "CPEPTIDE": {
        "ng/mL": _Linear(1.0),
        "nmol/L": _Linear(1.0 / CPEPTIDE_NMOL_PER_NG),
        "pmol/L": _Linear(1.0 / CPEPTIDE_PMOL_PER_NG),
    },
    "HBA1C": {"%": _Linear(1.0), "mmol/mol": _Linear(HBA1C_SLOPE, HBA1C_INTERCEPT)},
    "BHB": {"mmol/L": _Linear(1.0), "mg/dL": _Linear(1.0 / BHB_MG_DL_PER_MMOL)},
    "ALC": _COUNT,
    "ANC": _COUNT,
    "PLT": _COUNT,
    "HGB": {
        "g/dL": _Linear(1.0),
        "g/L": _Linear(0.1),
        "mmol/L": _Linear(1.0 / HEMOGLOBIN_MMOL_PER_G_DL),
    },
    "CREAT": {
        "mg/dL": _Linear(1.0),
        "µmol/L": _Linear(1.0 / CREATININE_UMOL_PER_MG),
        "mg/L": _Linear(0.1),
    },
    "EGFR": {
        "mL/min/1.73 m²": _Linear(1.0),
        "mL/s/1.73 m²": _Linear(EGFR_ML_MIN_PER_ML_S),
    },
    "CHOL": _CHOLESTEROL,
    "LDL": _CHOLESTEROL,
    "TRIG": {
        "mg/dL": _Linear(1.0),
        "mmol/L": _Linear(TRIGLYCERIDE_MG_DL_PER_MMOL),
        "g/L": _Linear(100.0),
    },
}
# the analytes counted in cells, whose "G/L" is giga per litre and never a percentage
_COUNTS = frozenset(code for code, table in _CONVERSIONS.items() if table is _COUNT)

# how each accepted unit is listed in error messages
_EXPECTED: dict[str, str] = {
    "ALT": "U/L, IU/L, µkat/L",
    "AST": "U/L, IU/L, µkat/L",
    "ALP": "U/L, IU/L, µkat/L",
    "GGT": "U/L, IU/L, µkat/L",
    "TBILI": "mg/dL, µmol/L",
    "DBILI": "mg/dL, µmol/L",
    "GLUCOSE": "mg/dL, mmol/L, g/L",
    "GLUCOSE_FASTING": "mg/dL, mmol/L, g/L",
    "GLUCOSE_POC": "mg/dL, mmol/L, g/L",
    "CPEPTIDE": "ng/mL, nmol/L, pmol/L",
    "HBA1C": "%, mmol/mol",
    "BHB": "mmol/L, mg/dL",
    **dict.fromkeys(
        ("ALC", "ANC", "PLT"),
        "10^9/L, G/L, 10^3/µL, K/µL, /µL, cells/µL, /mm3",
    ),
    "HGB": "g/dL, g/L, mmol/L",
    "CREAT": "mg/dL, µmol/L, mg/L",
    "EGFR": "mL/min/1.73 m² (mL/min on an eGFR), mL/s/1.73 m²",
    "CHOL": "mg/dL, mmol/L, g/L",
    "LDL": "mg/dL, mmol/L, g/L",
    "TRIG": "mg/dL, mmol/L, g/L",
}


def _table(analyte_code: str) -> dict[str, _Linear]:
    table = _CONVERSIONS.get(analyte_code)
    if table is None:
        raise UnitError(f"unknown analyte {analyte_code!r}: no units known for it")
    return table


@lru_cache(maxsize=1024)
def unit_for(analyte_code: str, unit: str) -> str:
    """The standard spelling of `unit`, checked to measure `analyte_code`; UnitError if not."""
    table = _table(analyte_code)
    try:
        spelled = normalise_unit(unit)
    except UnitError:
        spelled = ""
    if analyte_code in _COUNTS and spelled == "%":
        raise UnitError(
            f"unit '%' is a percentage (the white-cell differential's), not the absolute "
            f"count {analyte_code}: not stored as a count (expected {_EXPECTED[analyte_code]})"
        )
    spelled = _ANALYTE_SPELLINGS.get(analyte_code, {}).get(spelled, spelled)
    if spelled not in table:
        shown = unit.strip() if unit.strip() else "(none)"
        raise UnitError(
            f"unit {shown!r} does not belong to {analyte_code} (expected {_EXPECTED[analyte_code]})"
        )
    return spelled


def accepted_units(analyte_code: str) -> str:
    """The units an analyte is accepted in, as error messages list them."""
    _table(analyte_code)
    return _EXPECTED[analyte_code]


def is_percent(unit: str) -> bool:
    """True when `unit` is a percentage ("%", "percent")."""
    try:
        return normalise_unit(unit) == "%"
    except UnitError:
        return False


def measures(analyte_code: str, unit: str) -> bool:
    """True when `unit` is one of the units `analyte_code` is reported in."""
    try:
        unit_for(analyte_code, unit)
    except UnitError:
        return False
    return True


def is_canonical(analyte_code: str, unit: str) -> bool:
    """True when `unit` is a spelling of the analyte's canonical unit."""
    return unit_for(analyte_code, unit) == ANALYTES[analyte_code].canonical_unit


def to_canonical(analyte_code: str, value: float, unit: str) -> float:
    """`value` in `unit` expressed in the analyte's canonical unit."""
    return _table(analyte_code)[unit_for(analyte_code, unit)].forward(value)


def convert(analyte_code: str, value: float, from_unit: str, to_unit: str) -> float:
    """`value` converted between two units of the same analyte."""
    table = _table(analyte_code)
    src = table[unit_for(analyte_code, from_unit)]
    dst = table[unit_for(analyte_code, to_unit)]
    if src is dst:
        return value
    return dst.backward(src.forward(value))


def display_unit(analyte_code: str, system: UnitSystem) -> str:
    """The unit an analyte is shown in for the user's chosen system."""
    if analyte_code not in ANALYTES:
        raise UnitError(f"unknown analyte {analyte_code!r}")
    if system == "SI":
        return ANALYTES[analyte_code].si_unit
    if system != "US":
        raise UnitError(f"unknown unit system {system!r} (expected US or SI)")
    return ANALYTES[analyte_code].canonical_unit


def from_canonical(analyte_code: str, value: float, system: UnitSystem) -> tuple[float, str]:
    """A canonical value converted for display: (value, unit) in the chosen system."""
    unit = display_unit(analyte_code, system)
    canonical = ANALYTES[analyte_code].canonical_unit
    if unit == canonical:
        return value, unit
    return convert(analyte_code, value, canonical, unit), unit
