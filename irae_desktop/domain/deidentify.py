"""De-identification of a case series by the HIPAA Safe Harbor rules the export follows: a
study ID in place of the MRN, days since the first ICI start in place of dates, ages over 89
as "90+". Names, MRNs, birth dates and free text are left out by the export itself."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

from irae_desktop.domain.age import age_years

# Safe Harbor: ages over 89 are aggregated into one category
OLDEST_AGE_SHOWN = 89
STUDY_ID_PREFIX = "S-"
# 16 hex digits (64 bits of the HMAC): no two patients of a registry share one in practice
STUDY_ID_HEX_DIGITS = 16
MIN_KEY_BYTES = 32


def study_id(key: bytes, mrn: str) -> str:
    """A keyed hash (HMAC-SHA-256) of the MRN: the same for the same database key and MRN, and
    not computable, or reversible by trying MRNs, without the key."""
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"the study key must be at least {MIN_KEY_BYTES} bytes")
    digest = hmac.new(key, mrn.strip().encode("utf-8"), hashlib.sha256).hexdigest()
    return STUDY_ID_PREFIX + digest[:STUDY_ID_HEX_DIGITS].upper()


def age_text(birth: date | None, on: date) -> str:
    """Age in completed years on `on`, "90+" above 89, empty without a birth date."""
    years = age_years(birth, on)
    if years is None:
        return ""
    return f"{OLDEST_AGE_SHOWN + 1}+" if years > OLDEST_AGE_SHOWN else str(years)


def relative_day(day: date | None, first_ici_start: date | None) -> int | None:
    """Days from the first ICI start (day 0) to `day`; None when either is unknown."""
    if day is None or first_ici_start is None:
        return None
    return (day - first_ici_start).days
