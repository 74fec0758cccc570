"""Display helpers for lab values: unit system conversion and value text with comparator."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from irae_desktop.domain.analytes import analyte_label as analyte_label
from irae_desktop.domain.units import UnitError, from_canonical
from irae_desktop.domain.value_format import value_text as _value_text

FloatArray = npt.NDArray[np.float64]


@lru_cache(maxsize=512)
def converter(
    analyte: str, system: str, fallback_unit: str
) -> tuple[Callable[[float], float], str]:
    """A function taking a canonical value to the display system, and the display unit.

    Every conversion the domain knows is affine, so two points fix it; that lets whole arrays
    convert at numpy speed and keeps one source of truth for the factors. Cached: the labs table
    asks for every cell it sizes or paints, and the unit tables never change while running.
    """
    try:
        zero, unit = from_canonical(analyte, 0.0, system)  # type: ignore[arg-type]
        one, _ = from_canonical(analyte, 1.0, system)  # type: ignore[arg-type]
    except (UnitError, KeyError):
        return (lambda v: v), fallback_unit
    slope = one - zero
    if slope == 1.0 and zero == 0.0:
        return (lambda v: v), unit
    return (lambda v: v * slope + zero), unit


def convert_array(
    values: FloatArray, analyte: str, system: str, fallback_unit: str
) -> tuple[FloatArray, str]:
    fn, unit = converter(analyte, system, fallback_unit)
    return np.asarray(fn(values), dtype=np.float64), unit  # type: ignore[arg-type]


def format_number(value: float) -> str:
    """Up to four significant figures, no trailing zeros, no scientific notation for lab values."""
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:.0f}"
    if magnitude >= 100:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    if magnitude >= 1:
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{value:.3g}"


def value_text(
    value: float, comparator: str, analyte: str, system: str, unit: str
) -> tuple[str, str]:
    """The value in the display system at clinical precision with its comparator ("<2"), and
    the display unit; the same text the paper and the exports use."""
    return _value_text(analyte, value, unit, system, comparator)


def local_time_text(when: datetime) -> str:
    return when.astimezone().strftime("%Y-%m-%d %H:%M")
