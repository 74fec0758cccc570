"""The "needs review" alert: a result beyond values reported in a living patient is waiting for
a clinician to confirm or correct it (clinical reference, decision 11)."""

from __future__ import annotations

from irae_desktop.domain.alert_types import Alert
from irae_desktop.domain.analytes import ANALYTES
from irae_desktop.domain.grade_parts import fmt_number
from irae_desktop.domain.timeline import PatientTimeline

KIND = "needs_review"


def needs_review(timeline: PatientTimeline) -> list[Alert]:
    """One alert per held result; it holds until the result is confirmed or corrected."""
    alerts = []
    for lab in timeline.held_for_review:
        analyte = ANALYTES.get(lab.analyte)
        organ = analyte.organ if analyte is not None else "other"
        shown = f"{lab.analyte} {lab.comparator}{fmt_number(lab.value)} {lab.unit}"
        alerts.append(
            Alert(
                key=f"{KIND}:{lab.id}",
                kind=KIND,
                severity="warning",
                title=f"Needs review: {shown}",
                rule=lab.grade_reason
                or f"{shown} is beyond values reported in a living patient; not graded",
                source="clinical reference, decision 11",
                evidence_at=lab.collected_at,
                organ=organ,
            )
        )
    return alerts
