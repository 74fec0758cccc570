"""Safety alerts around the immunosuppression itself (clinical reference, section 10): infection
screens before a JAK inhibitor or infliximab, Pneumocystis prophylaxis on long high-dose
steroids, a treatment's monitoring labs overdue, and two lines of one drug at once."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from irae_desktop.domain.agents import agent_key
from irae_desktop.domain.alert_types import Alert
from irae_desktop.domain.analytes import analyte_label
from irae_desktop.domain.clinical_day import day_start
from irae_desktop.domain.doses import line_dose
from irae_desktop.domain.lab_schedule import lab_due
from irae_desktop.domain.pjp_checks import pjp_finding
from irae_desktop.domain.safety_labels import PJP, SCREENING_VALID_DAYS
from irae_desktop.domain.safety_lines import agent_title, either, judged_lines
from irae_desktop.domain.screening_checks import screen_words, screening_finding
from irae_desktop.domain.timeline import SCREENING_TESTS, PatientTimeline, TreatmentSpan

SCREENING_KIND = "infection_screening"
PJP_KIND = "pjp_prophylaxis"
DUPLICATE_KIND = "duplicate_line"
OVERDUE_KIND = "labs_overdue"
# two lines of one insulin at once are usual (a fixed dose and a correction scale)
_MAY_RUN_TWICE = ("insulin",)


def infection_screening(timeline: PatientTimeline, now: datetime) -> list[Alert]:
    """Each JAK inhibitor or infliximab line planned, on or held: the latent tuberculosis and
    hepatitis B screens its label asks for before the start, missing or not negative."""
    today = timeline.day_of(now)
    alerts = []
    for line, label, status in judged_lines(timeline, today, ("planned", "on", "held")):
        if not label.screening:
            continue
        named = agent_title(label)
        finding = screening_finding(timeline, line, today)
        if finding.missing:
            older = ""
            if finding.too_old:
                older = "; older, not counted: " + ", ".join(
                    screen_words(p) for p in finding.too_old
                )
            first = line.start - timedelta(days=SCREENING_VALID_DAYS)
            alerts.append(
                Alert(
                    key=f"{SCREENING_KIND}:{line.id}:missing",
                    kind=SCREENING_KIND,
                    severity="warning",
                    title=f"{named}: infection screening missing",
                    rule=(
                        f"no {either(list(finding.missing))} recorded from "
                        f"{first.isoformat()} (12 months before the start on "
                        f"{line.start.isoformat()}) to today{older}; the label asks for latent "
                        "tuberculosis and hepatitis B screening before the start"
                    ),
                    source=label.screening_source,
                    evidence_at=day_start(line.start, timeline.zone),
                    organ="infection",
                )
            )
        after = ""
        if status != "planned":
            after = f"; started on {line.start.isoformat()}: make sure this is in hand"
        for result in finding.findings:
            point = result.point
            alerts.append(
                Alert(
                    key=f"{SCREENING_KIND}:{line.id}:{point.id}",
                    kind=SCREENING_KIND,
                    severity=result.severity,
                    title=f"{named}: {SCREENING_TESTS.get(point.test, point.test)} {point.result}",
                    rule=f"{screen_words(point)}: {result.meaning}{after}",
                    source=label.screening_source,
                    evidence_at=day_start(point.taken_on, timeline.zone),
                    organ="infection",
                )
            )
    return alerts


def pjp_prophylaxis(timeline: PatientTimeline, now: datetime) -> list[Alert]:
    """At least 20 mg/day prednisone-equivalent for 28 days or more up to today, and no
    Pneumocystis prophylaxis on."""
    today = timeline.day_of(now)
    finding = pjp_finding(timeline, today)
    run = finding.run
    if run is None or not finding.needed:
        return []
    if run.today.total_mg is not None:
        dose_words = f"; today {run.today.words()}"
    else:
        dose_words = f"; today's dose cannot be read, last known {run.last_known.words()}"
    unknown = (
        f"; {run.days_unknown} days whose dose could not be read are not counted"
        if run.days_unknown
        else ""
    )
    return [
        Alert(
            key=f"{PJP_KIND}:{run.first_day.isoformat()}",
            kind=PJP_KIND,
            severity="warning",
            title="Pneumocystis prophylaxis to consider",
            rule=(
                f"prednisone-equivalent at least {PJP.min_mg_per_day:g} mg/day on "
                f"{run.days_at_dose} days since {run.first_day.isoformat()}{dose_words}"
                f"{unknown}; no Pneumocystis prophylaxis on: consider {PJP.drugs}"
            ),
            source=PJP.source,
            evidence_at=day_start(run.first_day, timeline.zone),
            organ="infection",
            began_at=day_start(run.first_day + timedelta(days=PJP.min_days - 1), timeline.zone),
        )
    ]


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


def _on_days(line: TreatmentSpan, first: date, last: date) -> list[date]:
    days = []
    day = max(line.start, first)
    while day <= last:
        if line.status_on(day) == "on":
            days.append(day)
        day += timedelta(days=1)
    return days


def duplicate_line(timeline: PatientTimeline, now: datetime) -> list[Alert]:
    """Two lines of one drug (by generic name) both on the same day, up to today: likely the
    same treatment entered twice, or a stop nobody recorded. Every steroid sum counts both."""
    today = timeline.day_of(now)
    lines = sorted(timeline.treatments, key=lambda t: (t.start, t.id))
    alerts = []
    for i, first in enumerate(lines):
        key = agent_key(first.agent)
        if first.category in _MAY_RUN_TWICE:
            continue
        for second in lines[i + 1 :]:
            if agent_key(second.agent) != key:
                continue
            ends = [today] + [t.stop - timedelta(days=1) for t in (first, second) if t.stop]
            both = set(_on_days(first, second.start, min(ends))) & set(
                _on_days(second, second.start, min(ends))
            )
            if not both:
                continue
            since = min(both)
            doses = [
                t.start.isoformat()
                + (f" ({line_dose(t, since).text()})" if line_dose(t, since).text() else "")
                for t in (first, second)
            ]
            alerts.append(
                Alert(
                    key=f"{DUPLICATE_KIND}:{first.id}:{second.id}",
                    kind=DUPLICATE_KIND,
                    severity="warning",
                    title=f"Two {key} lines at once",
                    rule=(
                        f"{key} lines started {doses[0]} and {doses[1]}: both on from "
                        f"{since.isoformat()}; "
                        "likely a double entry or a stop not recorded: correct the record (every "
                        "dose sum counts both)"
                    ),
                    source="treatment record check (clinical reference, section 10)",
                    evidence_at=day_start(since, timeline.zone),
                    organ="treatment",
                )
            )
    return alerts
