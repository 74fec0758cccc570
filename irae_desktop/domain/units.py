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
}

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
    if spelled not in table:
        shown = unit.strip() if unit.strip() else "(none)"
        raise UnitError(
            f"unit {shown!r} does not belong to {analyte_code} (expected {_EXPECTED[analyte_code]})"
        )
    return spelled


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
