"""Short response labels per immunosuppression line ("ALT/AST <=G1 in 12 d")."""

from __future__ import annotations

from typing import Any

from irae_desktop.domain.response import (
    LineResponse,
    concurrent_agents,
    immunosuppression_responses,
)
from irae_desktop.store.patient_read import TreatmentRecord


def label_for(response: LineResponse, concurrent: tuple[str, ...] = ()) -> str | None:
    """Days to grade <= 1 and to half the ALT peak, from the line's start (clinical reference,
    section 9); a response reached while later lines had started is theirs too, and says so."""
    parts = []
    if response.already_grade_1_at_start:
        parts.append("already \u2264G1 at start")
    elif response.days_to_grade_1_or_less is not None:
        parts.append(f"ALT/AST \u2264G1 in {response.days_to_grade_1_or_less} d")
    for analyte in response.analytes:
        if analyte.analyte == "ALT" and analyte.days_to_half_peak is not None:
            parts.append(f"ALT \u221250% in {analyte.days_to_half_peak} d")
    if parts and concurrent and not response.already_grade_1_at_start:
        return f"{', '.join(parts)} (with {', '.join(concurrent)})"
    return ", ".join(parts) or None


def response_labels(timeline: Any, treatments: tuple[TreatmentRecord, ...]) -> dict[int, str]:
    """Line id -> label for lines with a measurable response; {} without a timeline."""
    if not treatments or timeline is None:
        return {}
    out: dict[int, str] = {}
    found = immunosuppression_responses(timeline)
    overlapping = concurrent_agents(found)
    for response in found:
        text = label_for(response, overlapping.get(response.line_id, ()))
        if text:
            out[response.line_id] = text
    return out
