"""A result's grade as shown to a clinician: the range of a censored value ("G0–1") and the
missing grade of a non-fasting glucose ("<G3, non-fasting"), never a bare certainty the grade
does not have (clinical reference, decisions 6 and 9). The one place every view, report and
export writes a single result's grade."""

from __future__ import annotations

import re

from irae_desktop.domain.censored import NO_GRADE_WORDS, RANGE_WORDS, UP_TO_WORDS

DASH = "\u2013"
# the grader words a range as "...: grade 0 to 1: censored below 100 U/L..."
_RANGE = re.compile(re.escape(RANGE_WORDS[0]) + r"(\d) to (\d)" + re.escape(RANGE_WORDS[1]))
_UP_TO = re.compile(re.escape(UP_TO_WORDS[0]) + r"(\d)" + re.escape(UP_TO_WORDS[1]))
# decision 9: grades 1-2 of non-fasting glucose need a fasting value; grade 3 is the first given
NON_FASTING = "<G3, non-fasting"


def result_grade_text(grade: int | None, reason: str | None) -> str:
    """ "G3", "G0–1" (censored, could be as high as 1), "<G3, non-fasting", "<G3–4, non-fasting"
    (censored non-fasting) or an en dash when there is no grade."""
    words = reason or ""
    if grade is None:
        up_to = _UP_TO.search(words)
        if up_to is not None:
            return f"<G3{DASH}{up_to[1]}, non-fasting"
        if NO_GRADE_WORDS in words:
            return NON_FASTING
        return DASH
    if RANGE_WORDS[1] not in words:  # the common case: no censored range to read
        return f"G{grade}"
    span = _RANGE.search(words)
    if span is not None and int(span[1]) == grade and int(span[2]) > grade:
        return f"G{grade}{DASH}{span[2]}"
    return f"G{grade}"
