"""A patient's age in whole years on a day: the one rule the screen, the paper and any export
use, so a patient turning a year older on the day reads the same everywhere."""

from __future__ import annotations

from datetime import date


def age_years(birth: date | None, today: date) -> int | None:
    """Completed years on `today` (a birthday counts on its day); None without a birth date."""
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
