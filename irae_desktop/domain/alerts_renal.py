"""The JAK inhibitors' renal dosing alert: the eGFR (reported, or worked out by CKD-EPI 2021
from creatinine) against the label's bands (domain.renal_checks; clinical reference,
section 10)."""

from __future__ import annotations

from datetime import datetime

from irae_desktop.domain.alert_types import Alert, Severity
from irae_desktop.domain.clinical_day import day_start
from irae_desktop.domain.renal_checks import renal_finding
from irae_desktop.domain.safety_lines import agent_title, judged_lines
from irae_desktop.domain.timeline import PatientTimeline

RENAL_KIND = "jak_renal"


def jak_renal(timeline: PatientTimeline, now: datetime) -> list[Alert]:
    """Each JAK inhibitor line planned, on or held, against its label's renal bands."""
    today = timeline.day_of(now)
    alerts = []
    for line, label, _status in judged_lines(timeline, today, ("planned", "on", "held")):
        if not label.renal:
            continue
        found = renal_finding(timeline, line, label, today)
        if found.state in ("ok", "missing"):
            continue
        named = agent_title(label)
        evidence = found.lab.collected_at if found.lab else day_start(line.start, timeline.zone)
        if found.state == "unknown":
            severity: Severity = "info"
            title = f"{named}: eGFR cannot be worked out"
            bands = "; ".join(b.words for b in label.renal)
            rule = f"{found.words}, to check the label's renal dosing ({bands})"
        else:
            band = found.band
            assert band is not None
            if found.state == "act":
                severity = band.severity
                title = f"{named}: {band.action} (eGFR {found.shown})"
                rule = f"{found.words}: {band.words}"
            else:
                severity, title = "info", f"{named}: eGFR may call for a dose change"
                rule = f"{found.words}: it may lie in the label's band ({band.words})"
        lab_id = found.lab.id if found.lab else 0
        alerts.append(
            Alert(
                key=f"{RENAL_KIND}:{line.id}:{found.state}:{lab_id}",
                kind=RENAL_KIND,
                severity=severity,
                title=title,
                rule=rule,
                source=label.renal_source,
                evidence_at=evidence,
                organ="kidney",
            )
        )
    return alerts
