"""The domain's clinical judgements a report prints: alerts, current organ grades, response."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from irae_desktop.domain.alert_types import AlertSettings
from irae_desktop.domain.alerts import ORGANS, current_grade
from irae_desktop.domain.analytes import ANALYTES
from irae_desktop.domain.response import (
    LineResponse,
    concurrent_agents,
    immunosuppression_responses,
    total_steroid_exposure,
)
from irae_desktop.domain.timeline import PatientTimeline
from irae_desktop.reports.formatting import analyte_label, lab_text, local_time, number
from irae_desktop.store.alerts import Acknowledgement, timeline_alerts


@dataclass(frozen=True, slots=True)
class AlertLine:
    severity: str
    title: str
    rule: str
    source: str
    evidence_at: datetime | None
    key: str
    acknowledged_by: str | None = None
    # clinical reference, decision 13: "current" counts; "unacknowledged" is an event older
    # than 7 clinical days nobody has acknowledged (printed muted); "acknowledged" is closed
    standing: str = "current"
    lifecycle: str = "event"
    raised_at: datetime | None = None


def active_alerts(
    timeline: PatientTimeline,
    now: datetime,
    settings: AlertSettings,
    acknowledged: dict[str, Acknowledgement],
) -> list[AlertLine]:
    """The patient's alerts as of `now`: current ones first (most severe first), then older
    unacknowledged events, then acknowledged ones, each with who acknowledged it."""
    return [
        AlertLine(
            severity=a.severity,
            title=a.title,
            rule=a.rule,
            source=a.source,
            evidence_at=a.evidence_at,
            key=a.key,
            acknowledged_by=a.acknowledgement.by if a.acknowledgement else None,
            standing=a.standing,
            lifecycle=a.lifecycle,
            raised_at=a.raised_at,
        )
        for a in timeline_alerts(timeline, now, settings, acknowledged)
    ]


@dataclass(frozen=True, slots=True)
class OrganStatus:
    grade: int
    analyte: str  # the analyte whose latest result gave the grade
    last_at: datetime  # the organ's most recent graded result


def organ_status(timeline: PatientTimeline, now: datetime) -> dict[str, OrganStatus]:
    """Per organ, the current grade exactly as the alert rules compute it."""
    view = timeline
    if any(lab.collected_at > now for lab in timeline.labs):
        view = replace(timeline, labs=[lab for lab in timeline.labs if lab.collected_at <= now])
    out: dict[str, OrganStatus] = {}
    for organ in ORGANS:
        found = current_grade(view, organ)
        if found is None:
            continue
        last = max(
            lab.collected_at
            for lab in view.labs
            if lab.grade is not None
            and lab.analyte in ANALYTES
            and ANALYTES[lab.analyte].organ == organ
        )
        out[organ] = OrganStatus(found[0], found[1].analyte, last)
    return out


def labs_due(status: dict[str, OrganStatus], settings: AlertSettings) -> date | None:
    """When the next liver or glucose result is due at the interval the current grade calls for
    (the same intervals the overdue-labs alert uses); None at grade 0."""
    due: list[date] = []
    for organ in status.values():
        allowed = settings.overdue_days(organ.grade)
        if allowed is not None:
            due.append(local_time(organ.last_at).date() + timedelta(days=allowed))
    return min(due, default=None)


def _canonical_unit(code: str) -> str:
    # response peaks are stored values, so in the analyte's canonical unit
    analyte = ANALYTES.get(code)
    return analyte.canonical_unit if analyte else ""


def describe_response(response: LineResponse, concurrent: tuple[str, ...] = ()) -> str:
    """Compact: 'ALT peak 910 G4 23 Oct, ½ by day 12 · ≤G1 by day 19 · 280 mg pred-eq'."""
    parts: list[str] = []
    for a in response.analytes:
        peak = lab_text(a.analyte, a.peak_value, _canonical_unit(a.analyte))[0]
        text = f"{analyte_label(a.analyte)} peak {peak}"
        if a.peak_grade is not None:
            text += f" G{a.peak_grade}"
        if a.days_to_half_peak is not None:
            text += f", ½ by day {a.days_to_half_peak}"
        parts.append(text)
    if response.already_grade_1_at_start:
        parts.append("already ≤G1 at start")
    elif response.days_to_grade_1_or_less is not None:
        parts.append(f"≤G1 by day {response.days_to_grade_1_or_less}")
    if concurrent and not response.already_grade_1_at_start:
        parts.append(f"with {', '.join(concurrent)}")
    exposure = response.steroid_exposure
    if exposure is not None and exposure.days_counted:
        parts.append(f"{number(exposure.cumulative_mg)} mg pred-eq total")
    return " · ".join(parts)


def steroid_summary(timeline: PatientTimeline, today: date) -> str:
    """Cumulative systemic steroid exposure, for prophylaxis and taper decisions; "" if none."""
    exposure = total_steroid_exposure(timeline, today)
    if not exposure.days_counted:
        return ""
    text = (
        f"{number(exposure.cumulative_mg)} mg prednisone-equivalent in total; "
        f"{exposure.days_above_threshold} days above 10 mg/day"
    )
    if exposure.days_unknown:
        text += f" ({exposure.days_unknown} days with an unreadable dose not counted)"
    return text


def responses(timeline: PatientTimeline, today: date) -> dict[int, str]:
    """Per immunosuppression line id, its response summary (days counted from the line's start)."""
    found = immunosuppression_responses(timeline, today)
    overlapping = concurrent_agents(found)
    return {r.line_id: describe_response(r, overlapping.get(r.line_id, ())) for r in found}
