"""Why a stored result has no grade, in a word for a grade column and in a sentence saying what
to do about it (clinical reference, decision 12: an ungraded result never hides)."""

from __future__ import annotations

from irae_desktop.domain.grade_parts import MISSING_WORDS
from irae_desktop.domain.plausibility import NEEDS_REVIEW_PREFIX

NO_RANGE = "no range"
NEEDS_REVIEW = "needs review"
NON_FASTING = "non-fasting"
OTHER = "not graded"

SET_RANGES = (
    "set your laboratory's reference ranges in Settings (or with 'irae-desktop ranges import')"
)
_ADVICE = {
    NO_RANGE: SET_RANGES,
    NEEDS_REVIEW: "confirm or correct it on the patient's Labs tab",
    NON_FASTING: "grades 1-2 need a fasting glucose",
    OTHER: "see the reason on the patient's Labs tab",
}


def ungraded_label(reason: str | None) -> str:
    """A few words for why a result has no grade: "no range", "needs review", "non-fasting"."""
    text = reason or ""
    if text.startswith(NEEDS_REVIEW_PREFIX):
        return NEEDS_REVIEW
    if MISSING_WORDS["ULN"] in text or MISSING_WORDS["LLN"] in text:
        return NO_RANGE
    if "fasting" in text:
        return NON_FASTING
    return OTHER


def ungraded_advice(reason: str | None) -> str:
    """What a user can do so that the result gets a grade."""
    return _ADVICE[ungraded_label(reason)]


def saved_message(grade: int | None, reason: str | None) -> str:
    """What the window says once a result is saved: never "graded" for an ungraded one."""
    if grade is not None:
        return f"Lab result saved and graded: grade {grade} ({reason})."
    return (
        f"Lab result saved WITHOUT a grade ({ungraded_label(reason)}): {reason or 'no reason'}. "
        f"To grade it, {ungraded_advice(reason)}."
    )
