"""A treatment line's blood counts against its label's limits (domain.safety_labels): the one
judgement the alerts (JAK thresholds, mycophenolate cytopenia) and the safety summary show.

For each count the label names, the results of the clinical days from 30 days before the line's
start (domain.safety_labels.BASELINE_WINDOW_DAYS) to today are read (clinical reference,
section 10):

- no result since the start day: the latest result up to the start day is the baseline and is
  judged against the label's limits for starting (a line that has started regardless is told
  so); a label without such limits judges it against its limits during treatment;
- results after the start day: the latest is judged against the limits during treatment, the
  most severe action first. Where the label acts on a confirmed value, the result before it must
  meet the same limit; a value met once asks for a repeat;
- no result at all: the counts are missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from irae_desktop.domain.safety_labels import BASELINE_WINDOW_DAYS, AgentLabel, CountLimit
from irae_desktop.domain.safety_values import Meets, labs_between, meets_below
from irae_desktop.domain.timeline import LabPoint, PatientTimeline, TreatmentSpan

# "act": the label's action applies; "repeat": a limit is met once (or may be met, by a
# censored value) and the label asks for a repeat or an exact value; "ok": no limit met;
# "missing": no result to judge
CountState = Literal["act", "repeat", "ok", "missing"]
Phase = Literal["before_start", "during"]


@dataclass(frozen=True, slots=True)
class CountFinding:
    line: TreatmentSpan
    analyte: str
    phase: Phase  # which of the label's limits judged the latest result
    state: CountState
    latest: LabPoint | None = None
    previous: LabPoint | None = None  # the result before it, when it confirms an action
    acted: CountLimit | None = None  # the most severe limit whose action applies
    # the most severe limit met by the latest result alone (more severe than `acted`)
    unconfirmed: CountLimit | None = None
    unconfirmed_meets: Meets = "no"
    baseline: LabPoint | None = None  # the value at the start, for a fall
    limits: tuple[CountLimit, ...] = ()  # the limits that judged the latest result


def window_start(line: TreatmentSpan) -> date:
    return line.start - timedelta(days=BASELINE_WINDOW_DAYS)


def _worst(*found: Meets) -> Meets:
    return "yes" if "yes" in found else "maybe" if "maybe" in found else "no"


def limit_meets(limit: CountLimit, lab: LabPoint, baseline: LabPoint | None) -> Meets:
    """Whether `lab` meets `limit`: below its bound, or fallen by more than the limit allows
    from an exact `baseline` (a fall from a censored value is not judged)."""
    found = meets_below(lab.value, lab.comparator, limit.bound, limit.inclusive)
    if limit.fall_more_than is None or baseline is None or baseline.comparator:
        return found
    fall = meets_below(lab.value, lab.comparator, baseline.value - limit.fall_more_than)
    return _worst(found, fall)


def _judge(
    limits: tuple[CountLimit, ...],
    latest: LabPoint,
    previous: LabPoint | None,
    baseline: LabPoint | None,
) -> tuple[CountLimit | None, CountLimit | None, Meets]:
    """(the most severe limit whose action applies, the most severe limit more severe than that
    one met by the latest result alone, how it is met)."""
    for limit in limits:
        now = limit_meets(limit, latest, baseline)
        if now == "no":
            continue
        confirmed = now == "yes" and (
            not limit.confirm
            or (previous is not None and limit_meets(limit, previous, baseline) == "yes")
        )
        if confirmed:
            return limit, None, "no"
        # a more severe limit met once: the less severe ones may still be confirmed
        for milder in limits[limits.index(limit) + 1 :]:
            if limit_meets(milder, latest, baseline) == "yes" and (
                not milder.confirm
                or (previous is not None and limit_meets(milder, previous, baseline) == "yes")
            ):
                return milder, limit, now
        return None, limit, now
    return None, None, "no"


def count_findings(
    timeline: PatientTimeline, line: TreatmentSpan, label: AgentLabel, today: date
) -> list[CountFinding]:
    """The line's counts as they stand on clinical day `today`, one finding per count the
    label names, in the label's order."""
    analytes = list(dict.fromkeys(limit.analyte for limit in (*label.before_start, *label.during)))
    findings = []
    for analyte in analytes:
        labs = labs_between(timeline, analyte, window_start(line), today)
        before = [lab for lab in labs if timeline.day_of(lab.collected_at) <= line.start]
        baseline = before[-1] if before else None
        if not labs:
            findings.append(CountFinding(line, analyte, "before_start", "missing"))
            continue
        latest = labs[-1]
        previous = labs[-2] if len(labs) > 1 else None
        started = timeline.day_of(latest.collected_at) > line.start
        own = tuple(x for x in label.before_start if x.analyte == analyte)
        phase: Phase = "before_start" if not started and own else "during"
        limits = (
            own
            if phase == "before_start"
            else tuple(x for x in label.during if x.analyte == analyte)
        )
        acted, unconfirmed, how = _judge(limits, latest, previous, baseline)
        state: CountState = "act" if acted else "repeat" if unconfirmed else "ok"
        findings.append(
            CountFinding(
                line,
                analyte,
                phase,
                state,
                latest=latest,
                previous=previous if acted is not None and acted.confirm else None,
                acted=acted,
                unconfirmed=unconfirmed,
                unconfirmed_meets=how,
                baseline=baseline,
                limits=limits,
            )
        )
    return findings
