"""Which treatment lines the safety rules judge on a day, and the words they share."""

from __future__ import annotations

from datetime import date

from irae_desktop.domain.count_checks import window_start
from irae_desktop.domain.safety_labels import AgentLabel, label_for
from irae_desktop.domain.timeline import PatientTimeline, TreatmentSpan


def judged_lines(
    timeline: PatientTimeline, today: date, statuses: tuple[str, ...]
) -> list[tuple[TreatmentSpan, AgentLabel, str]]:
    """(line, its label facts, its status today) for the lines with label facts whose status
    today is one of `statuses`; a planned line only from 30 days before its start, when its
    baseline counts are drawn."""
    found = []
    for line in timeline.treatments:
        label = label_for(line.agent)
        status = line.status_on(today)
        if label is None or status not in statuses:
            continue
        if status == "planned" and today < window_start(line):
            continue
        found.append((line, label, status))
    return found


def agent_title(label: AgentLabel) -> str:
    """The agent's generic name as a title begins: "Tofacitinib"."""
    return label.generic[:1].upper() + label.generic[1:]


def either(items: list[str]) -> str:
    """ "a, b or c"."""
    return " or ".join([", ".join(items[:-1]), items[-1]] if len(items) > 1 else items)
