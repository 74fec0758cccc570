"""Why a stored result has no grade, in a word for a grade column and in a sentence saying what
to do about it (clinical reference, decision 12: an ungraded result never hides)."""

from __future__ import annotations

from datetime import datetime

from irae_desktop.domain.analytes import ANALYTES, GRADED_ORGANS
from irae_desktop.domain.grade_parts import MISSING_WORDS
from irae_desktop.domain.plausibility import NEEDS_REVIEW_PREFIX
from irae_desktop.domain.timeline import LabPoint, PatientTimeline

# the organs whose grade is shown on the worklist, the header and the service list
_ORGANS = GRADED_ORGANS

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


def latest_ungraded(timeline: PatientTimeline, now: datetime | None = None) -> dict[str, LabPoint]:
    """Per organ (liver, glucose), the newest result of a graded analyte that has no grade and
    is newer than that analyte's last graded result, results held for review included."""
    last_graded: dict[str, datetime] = {}
    candidates: list[LabPoint] = []
    for lab in (*timeline.labs, *timeline.held_for_review):
        analyte = ANALYTES.get(lab.analyte)
        if analyte is None or not analyte.graded or analyte.organ not in _ORGANS:
            continue
        if now is not None and lab.collected_at > now:
            continue
        if lab.grade is None:
            candidates.append(lab)
        elif lab.analyte not in last_graded or lab.collected_at > last_graded[lab.analyte]:
            last_graded[lab.analyte] = lab.collected_at
    out: dict[str, LabPoint] = {}
    for lab in candidates:
        graded_at = last_graded.get(lab.analyte)
        if graded_at is not None and lab.collected_at <= graded_at:
            continue
        organ = ANALYTES[lab.analyte].organ
        if organ not in out or lab.collected_at > out[organ].collected_at:
            out[organ] = lab
    return out


def note_for_label(label: str) -> str:
    """ "latest ungraded: no range": the words every view puts beside the last grade."""
    return f"latest ungraded: {label}"


def ungraded_note(lab: LabPoint) -> str:
    """ "latest ungraded: no range" """
    return note_for_label(ungraded_label(lab.grade_reason))
