"""Blood count alerts of the rescue treatments: a JAK inhibitor's counts (tofacitinib,
baricitinib) against its label's limits for starting and during treatment, and mycophenolate's
neutrophil limit, judged the same way and raised as its own kind (domain.safety_labels;
clinical reference, section 10)."""

from __future__ import annotations

from datetime import datetime

from irae_desktop.domain.alert_types import Alert, Severity
from irae_desktop.domain.analytes import analyte_label
from irae_desktop.domain.clinical_day import day_start
from irae_desktop.domain.count_checks import CountFinding, count_findings, window_start
from irae_desktop.domain.safety_labels import (
    DO_NOT_START,
    INTERRUPT,
    AgentLabel,
    CountLimit,
    limit_rule,
)
from irae_desktop.domain.safety_lines import agent_title, either, judged_lines
from irae_desktop.domain.safety_values import lab_text, value_text
from irae_desktop.domain.timeline import PatientTimeline, TreatmentSpan

JAK_KIND = "jak_lab_threshold"
MMF_KIND = "mmf_cytopenia"


def _limit_words(limit: CountLimit) -> str:
    return limit_rule(limit) + (f"; {limit.then}" if limit.then else "")


def _missing_alert(
    timeline: PatientTimeline, label: AgentLabel, line: TreatmentSpan, missing: list[str]
) -> Alert:
    names = either([analyte_label(a) for a in missing])
    limits = either([x.words for x in label.before_start])
    return Alert(
        key=f"{JAK_KIND}:{line.id}:missing",
        kind=JAK_KIND,
        severity="warning",
        title=f"{agent_title(label)}: baseline counts missing",
        rule=(
            f"no {names} result from {window_start(line).isoformat()} (30 days before the start "
            f"on {line.start.isoformat()}) to today; the label says {DO_NOT_START} with "
            f"{limits}: count them"
        ),
        source=label.source,
        evidence_at=day_start(line.start, timeline.zone),
        organ="blood",
    )


def _before_start_alert(
    timeline: PatientTimeline, label: AgentLabel, finding: CountFinding, status: str
) -> Alert:
    line, lab = finding.line, finding.latest
    assert lab is not None
    started = status != "planned"
    name = analyte_label(finding.analyte)
    shown = f"{name} {value_text(lab)}"
    when = f"{lab_text(timeline, lab)}, the last count up to the start on {line.start.isoformat()}"
    if finding.state == "act":
        assert finding.acted is not None
        limit = finding.acted.words
        severity: Severity = "critical"
        if started:
            title = f"{agent_title(label)} started with {shown}"
            advice = f"the label says {DO_NOT_START} with {limit}; no count since: repeat it"
        else:
            title = f"Do not start {label.generic}: {shown}"
            advice = f"the label says {DO_NOT_START} with {limit}"
    else:
        assert finding.unconfirmed is not None
        severity = "warning"
        title = f"{agent_title(label)}: exact {name} needed before the start"
        advice = (
            f"it may be below the label's limit for starting ({finding.unconfirmed.words}): "
            "measure an exact count"
        )
    return Alert(
        key=f"{JAK_KIND}:{line.id}:{finding.analyte}:{finding.state}:{lab.id}",
        kind=JAK_KIND,
        severity=severity,
        title=title,
        rule=f"{when}: {advice}",
        source=label.source,
        evidence_at=lab.collected_at,
        organ="blood",
    )


def _during_alert(
    timeline: PatientTimeline, label: AgentLabel, finding: CountFinding, status: str, kind: str
) -> Alert:
    line, lab = finding.line, finding.latest
    assert lab is not None
    name = analyte_label(finding.analyte)
    shown = f"{name} {value_text(lab)}"
    seen = [lab_text(timeline, lab)]
    if finding.previous is not None:
        seen.append(
            f"{value_text(finding.previous)} on "
            f"{timeline.day_of(finding.previous.collected_at).isoformat()} before it"
        )
    limit = finding.acted or finding.unconfirmed
    assert limit is not None
    if finding.baseline is not None and limit.fall_more_than is not None:
        seen.append(f"{value_text(finding.baseline)} at the start")
    parts: list[str] = []
    severity: Severity
    if finding.acted is not None:
        acted = finding.acted
        held = status == "held" and acted.action == INTERRUPT
        severity = "warning" if held else "critical"
        title = f"{agent_title(label)}: {'keep held' if held else acted.action} ({shown})"
        parts.append(_limit_words(acted))
        if held:
            parts.append("the line is held: keep it held until then")
    else:
        severity = "warning"
        title = f"{agent_title(label)}: repeat {name} ({value_text(lab)})"
    if finding.unconfirmed is not None:
        once = finding.unconfirmed
        if finding.unconfirmed_meets == "maybe":
            parts.append(
                f"it may be below the label's limit ({limit_rule(once)}): measure an exact count"
            )
        else:
            parts.append(
                f"{once.words} once, and the label says {once.action} only when "
                f"{once.confirm}: repeat the count"
            )
    return Alert(
        key=f"{kind}:{line.id}:{finding.analyte}:{finding.state}:{lab.id}",
        kind=kind,
        severity=severity,
        title=title,
        rule=f"{'; '.join(seen)}: " + "; ".join(parts),
        source=label.source,
        evidence_at=lab.collected_at,
        organ="blood",
    )


def jak_lab_threshold(timeline: PatientTimeline, now: datetime) -> list[Alert]:
    """Each JAK inhibitor line's counts: before its start against the label's limits for
    starting, during it against the limits for interrupting or stopping."""
    today = timeline.day_of(now)
    alerts = []
    for line, label, status in judged_lines(timeline, today, ("planned", "on", "held")):
        if not label.jak_inhibitor:
            continue
        findings = count_findings(timeline, line, label, today)
        missing = [f.analyte for f in findings if f.state == "missing"]
        if missing:
            alerts.append(_missing_alert(timeline, label, line, missing))
        for finding in findings:
            if finding.state not in ("act", "repeat"):
                continue
            if finding.phase == "before_start":
                alerts.append(_before_start_alert(timeline, label, finding, status))
            else:
                alerts.append(_during_alert(timeline, label, finding, status, JAK_KIND))
    return alerts


def mmf_cytopenia(timeline: PatientTimeline, now: datetime) -> list[Alert]:
    """A mycophenolate line on with neutrophils below the label's limit."""
    today = timeline.day_of(now)
    alerts = []
    for line, label, status in judged_lines(timeline, today, ("on",)):
        if label.jak_inhibitor or not label.during:
            continue
        for finding in count_findings(timeline, line, label, today):
            if finding.state in ("act", "repeat"):
                alerts.append(_during_alert(timeline, label, finding, status, MMF_KIND))
    return alerts
