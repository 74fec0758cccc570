"""Short response labels per immunosuppression line ("ALT/AST <=G1 in 12 d")."""

from __future__ import annotations

from typing import Any

from irae_desktop.domain.response import LineResponse, immunosuppression_responses
from irae_desktop.ui.patient.snapshot import TreatmentInfo


def label_for(response: LineResponse) -> str | None:
    parts = []
    if response.days_to_grade_1_or_less is not None:
        parts.append(f"ALT/AST \u2264G1 in {response.days_to_grade_1_or_less} d")
    for analyte in response.analytes:
        if analyte.analyte == "ALT" and analyte.days_to_half_peak is not None:
            parts.append(f"ALT \u221250% in {analyte.days_to_half_peak} d")
    return ", ".join(parts) or None


def response_labels(timeline: Any, treatments: tuple[TreatmentInfo, ...]) -> dict[int, str]:
    """Line id -> label for lines with a measurable response; {} without a timeline."""
    if not treatments or timeline is None:
        return {}
    out: dict[int, str] = {}
    for response in immunosuppression_responses(timeline):
        text = label_for(response)
        if text:
            out[response.line_id] = text
    return out
