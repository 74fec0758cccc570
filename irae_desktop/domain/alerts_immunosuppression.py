"""Safety alerts around the immunosuppression itself (clinical reference, section 10): a
treatment's monitoring labs overdue."""

from __future__ import annotations

from datetime import datetime, timedelta

from irae_desktop.domain.alert_types import Alert
from irae_desktop.domain.analytes import analyte_label
from irae_desktop.domain.clinical_day import day_start
from irae_desktop.domain.lab_schedule import lab_due
from irae_desktop.domain.safety_lines import either, judged_lines
from irae_desktop.domain.timeline import PatientTimeline

OVERDUE_KIND = "labs_overdue"


def treatment_labs_overdue(timeline: PatientTimeline, now: datetime) -> list[Alert]:
    """Each line on whose label schedules monitoring labs: those past their due day."""
    if timeline.status != "active":
        return []
    today = timeline.day_of(now)
    alerts = []
    for line, label, _status in judged_lines(timeline, today, ("on",)):
        for schedule in label.schedules:
            due = lab_due(timeline, line, schedule, today)
            if not due.overdue or due.due_on is None:
                continue
            late = (today - due.due_on).days
            if due.last_day is not None:
                last = f"last drawn on {due.last_day.isoformat()}"
            else:
                names = either([analyte_label(a) for a in due.never])
                last = f"no {names} since 30 days before the start on {line.start.isoformat()}"
            anchor = due.last_done.id if due.last_done is not None else "none"
            alerts.append(
                Alert(
                    key=f"{OVERDUE_KIND}:treatment:{line.id}:{schedule.code}:{anchor}",
                    kind=OVERDUE_KIND,
                    severity="warning",
                    title=f"{schedule.name} due on {label.generic}",
                    rule=(
                        f"the label asks for {schedule.words}; {last}; due by "
                        f"{due.due_on.isoformat()}, {late} day{'s' if late > 1 else ''} ago"
                    ),
                    source=label.source,
                    evidence_at=due.last_done.collected_at
                    if due.last_done is not None
                    else day_start(line.start, timeline.zone),
                    organ=schedule.organ,
                    began_at=day_start(due.due_on + timedelta(days=1), timeline.zone),
                )
            )
    return alerts
