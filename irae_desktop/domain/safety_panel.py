"""The treatment safety summary: for each immunosuppression line not stopped whose label this
program knows (domain.safety_labels) and each systemic steroid line on, what its label checks,
where the patient stands against each check, and which labs fall due next. The patient view's
safety panel, the printed summary and the service list render it as tables; the judgements are
the alert rules' own (domain.count_checks, renal_checks, screening_checks, pjp_checks,
lab_schedule), so a panel never says "ok" where an alert says otherwise.

Status words: "ok" (no limit of the label met), "attention" (a value met once, or possibly met,
or a result to repeat: look at it), "act" (the label's action applies), "missing" (nothing to
judge by).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from irae_desktop.domain.analytes import analyte_label
from irae_desktop.domain.count_checks import CountFinding, count_findings, window_start
from irae_desktop.domain.doses import line_dose
from irae_desktop.domain.lab_schedule import lab_due
from irae_desktop.domain.pjp_checks import pjp_finding
from irae_desktop.domain.renal_checks import renal_finding
from irae_desktop.domain.safety_labels import (
    DO_NOT_START,
    INTERRUPT,
    PJP,
    AgentLabel,
    label_for,
    limit_rule,
)
from irae_desktop.domain.safety_values import value_text
from irae_desktop.domain.screening_checks import TB_TESTS, ScreeningFinding, screening_finding
from irae_desktop.domain.steroids import is_systemic_steroid, steroid_generic
from irae_desktop.domain.timeline import SCREENING_TESTS, PatientTimeline, TreatmentSpan

Status = Literal["ok", "attention", "act", "missing"]


@dataclass(frozen=True, slots=True)
class SafetyCheck:
    """One row: what is checked, the label's rule, the latest value and date, the status."""

    what: str
    rule: str
    latest: str  # the value as shown, "" when none
    latest_on: date | None
    status: Status
    note: str  # what the status means for this row, in plain words


@dataclass(frozen=True, slots=True)
class DueLab:
    what: str
    schedule: str  # the label's words
    last_done: date | None
    due_on: date
    overdue: bool


@dataclass(frozen=True, slots=True)
class LineSafety:
    line_id: int
    agent: str  # the generic name
    line: str  # "tofacitinib 10 mg twice daily, from 2026-03-02"
    status: str  # the line's status today
    source: str
    checks: tuple[SafetyCheck, ...]
    due: tuple[DueLab, ...]


def _count_row(
    timeline: PatientTimeline, label: AgentLabel, finding: CountFinding, status: str
) -> SafetyCheck:
    what = analyte_label(finding.analyte)
    # the limits that apply to the line as it stands: for starting while it is planned, else
    # those during treatment
    applies = label.before_start if status == "planned" else label.during
    rule = "; ".join(limit_rule(x) for x in applies if x.analyte == finding.analyte)
    lab = finding.latest
    if lab is None:
        since = window_start(finding.line).isoformat()
        note = f"no result since {since}, 30 days before the start"
        return SafetyCheck(what, rule, "", None, "missing", note)
    shown, day = value_text(lab), timeline.day_of(lab.collected_at)
    baseline = (
        " (the count before the start)"
        if status != "planned" and finding.phase == "before_start"
        else ""
    )
    if finding.acted is not None:
        acted = finding.acted
        if acted.action == DO_NOT_START and status != "planned":
            note = f"started below the label's limit for starting ({acted.words}): repeat it"
            return SafetyCheck(what, rule, shown, day, "act", note)
        note = acted.action + (f"; {acted.then}" if acted.then else "")
        if finding.previous is not None:
            note = f"below the limit twice: {note}"
        if status == "held" and acted.action == INTERRUPT:
            return SafetyCheck(what, rule, shown, day, "attention", f"held: keep it held ({note})")
        return SafetyCheck(what, rule, shown, day, "act", note)
    if finding.unconfirmed is not None:
        once = finding.unconfirmed
        if finding.unconfirmed_meets == "maybe":
            note = f"may be below the limit ({once.words}): measure an exact value"
        else:
            note = f"{once.words} once: {once.action} only when {once.confirm}; repeat it"
        return SafetyCheck(what, rule, shown, day, "attention", note)
    return SafetyCheck(what, rule, shown, day, "ok", f"no limit of the label met{baseline}")


def _renal_row(
    timeline: PatientTimeline, line: TreatmentSpan, label: AgentLabel, today: date
) -> SafetyCheck:
    found = renal_finding(timeline, line, label, today)
    what = analyte_label("EGFR")
    rule = "; ".join(b.words for b in label.renal)
    day = timeline.day_of(found.lab.collected_at) if found.lab is not None else None
    if found.state in ("missing", "unknown"):
        return SafetyCheck(what, rule, "", day, "missing", found.words)
    if found.band is None:
        return SafetyCheck(what, rule, found.shown, day, "ok", f"above the bands ({found.basis})")
    if found.state == "act":
        return SafetyCheck(
            what, rule, found.shown, day, "act", f"{found.band.action} ({found.basis})"
        )
    note = f"may be in the band: {found.band.action} ({found.basis})"
    return SafetyCheck(what, rule, found.shown, day, "attention", note)


def _screening_rows(finding: ScreeningFinding) -> list[SafetyCheck]:
    counted = {p.test: p for p in finding.counted}
    meanings = {r.point.id: r.meaning for r in finding.findings}
    rows = []
    window = "within 12 months before the start"
    groups = (
        ("Latent TB test", TB_TESTS, f"IGRA or tuberculin skin test {window}"),
        ("HBsAg", ("hbsag",), window),
        ("anti-HBc", ("anti_hbc",), window),
    )
    for what, tests, rule in groups:
        points = sorted(
            (counted[t] for t in tests if t in counted), key=lambda p: (p.taken_on, p.id)
        )
        if not points:
            rows.append(SafetyCheck(what, rule, "", None, "missing", "not recorded"))
            continue
        # the result that decides the row: one the rules flag, else a negative, else the latest
        flagged = [p for p in points if p.id in meanings]
        negative = [p for p in points if p.result == "negative"]
        point = (flagged or negative or points)[-1]
        shown = f"{SCREENING_TESTS.get(point.test, point.test)} {point.result}"
        if point.result == "negative":
            status: Status = "ok"
            note = "negative"
        elif point.result == "positive":
            status, note = "act", meanings.get(point.id, "with HBsAg positive: see HBsAg")
        else:
            status, note = "attention", meanings.get(point.id, "indeterminate")
        rows.append(SafetyCheck(what, rule, shown, point.taken_on, status, note))
    return rows


def _due_rows(
    timeline: PatientTimeline, line: TreatmentSpan, label: AgentLabel, today: date
) -> list[DueLab]:
    rows = []
    for schedule in label.schedules:
        due = lab_due(timeline, line, schedule, today)
        if due.due_on is None:
            continue
        names = ", ".join(analyte_label(a) for a in schedule.analytes)
        rows.append(
            DueLab(
                f"{schedule.name} ({names})", schedule.words, due.last_day, due.due_on, due.overdue
            )
        )
    return rows


def _line_words(line: TreatmentSpan, today: date) -> str:
    dose = line_dose(line, today).text()
    return f"{line.agent}{' ' + dose if dose else ''}, from {line.start.isoformat()}"


def _pjp_row(timeline: PatientTimeline, today: date) -> SafetyCheck:
    finding = pjp_finding(timeline, today)
    what = "Pneumocystis prophylaxis"
    rule = (
        f"consider it from {PJP.min_days} days at {PJP.min_mg_per_day:g} mg/day "
        "prednisone-equivalent or more"
    )
    run = finding.run
    if finding.prophylaxis is not None:
        on = finding.prophylaxis
        return SafetyCheck(
            what, rule, on.agent, on.start, "ok", f"{on.agent} on since {on.start.isoformat()}"
        )
    if run is None:
        return SafetyCheck(what, rule, "", None, "ok", "not on 20 mg/day or more today")
    shown = f"{run.days_at_dose} days since {run.first_day.isoformat()}"
    if run.long_enough:
        return SafetyCheck(what, rule, shown, today, "act", f"none on: consider {PJP.drugs}")
    due = run.first_day + timedelta(days=PJP.min_days - 1 + run.days_unknown)
    return SafetyCheck(
        what,
        rule,
        shown,
        today,
        "ok",
        f"day {run.days_at_dose} of {PJP.min_days}; consider it by {due.isoformat()} if the "
        "dose stays",
    )


def treatment_safety(timeline: PatientTimeline, now: datetime) -> list[LineSafety]:
    """The summary of every line it covers, in the order of their starts."""
    today = timeline.day_of(now)
    out = []
    for line in sorted(timeline.treatments, key=lambda t: (t.start, t.id)):
        status = line.status_on(today)
        if status == "stopped":
            continue
        label = label_for(line.agent)
        if label is None:
            if is_systemic_steroid(line) and status == "on":
                generic = steroid_generic(line.agent) or line.agent
                row = _pjp_row(timeline, today)
                words = _line_words(line, today)
                out.append(LineSafety(line.id, generic, words, status, PJP.source, (row,), ()))
            continue
        findings = count_findings(timeline, line, label, today)
        checks = [_count_row(timeline, label, f, status) for f in findings]
        if label.renal:
            checks.append(_renal_row(timeline, line, label, today))
        if label.screening:
            checks += _screening_rows(screening_finding(timeline, line, today))
        due = _due_rows(timeline, line, label, today) if status == "on" else []
        out.append(
            LineSafety(
                line.id,
                label.generic,
                _line_words(line, today),
                status,
                label.source,
                tuple(checks),
                tuple(due),
            )
        )
    return out
