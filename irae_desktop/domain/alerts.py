"""Evaluates every alert rule on a patient timeline: grade escalation, flares, overdue labs, the
treatment safety rules and the rest. Which of them are conditions and which events: see
alert_kinds."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from irae_desktop.domain.alert_types import SEVERITY_ORDER, Alert, AlertSettings, Severity
from irae_desktop.domain.alerts_flare import find_flares
from irae_desktop.domain.alerts_glucose import ici_diabetes
from irae_desktop.domain.alerts_immunosuppression import (
    duplicate_line,
    infection_screening,
    pjp_prophylaxis,
    treatment_labs_overdue,
)
from irae_desktop.domain.alerts_jak import jak_lab_threshold, mmf_cytopenia
from irae_desktop.domain.alerts_liver import (
    hys_law,
    infliximab_in_hepatitis,
    steroid_dose_unjudged,
    steroid_refractory,
)
from irae_desktop.domain.alerts_renal import jak_renal
from irae_desktop.domain.alerts_review import needs_review
from irae_desktop.domain.analytes import GRADED_ORGANS, ORGAN_TITLES, graded_analytes
from irae_desktop.domain.criteria import CriteriaError, load_criteria
from irae_desktop.domain.timeline import LabPoint, PatientTimeline

__all__ = ["Alert", "AlertSettings", "evaluate_alerts"]

ORGANS = GRADED_ORGANS
_ORGAN_TITLE = ORGAN_TITLES
# a result older than this before the organ's latest one no longer sets the current grade
_CURRENT_WINDOW_DAYS = 30


_ORGAN_CODES: dict[str, frozenset[str]] = {o: frozenset(graded_analytes(o)) for o in ORGANS}


def _organ_labs(timeline: PatientTimeline, organ: str) -> list[LabPoint]:
    codes = _ORGAN_CODES[organ]
    return [lab for lab in timeline.labs if lab.grade is not None and lab.analyte in codes]


def _source_for(lab: LabPoint) -> str:
    try:
        criteria = load_criteria(lab.criteria_id or "ctcae-5.0")
    except CriteriaError:
        return lab.criteria_id or "CTCAE"
    term = criteria.terms.get(lab.analyte)
    return term.label if term is not None else criteria.label


def _on_treatment_labs(timeline: PatientTimeline, organ: str) -> list[LabPoint]:
    """The organ's graded results after the first ICI start, baselines left out: the history
    in which a new maximum or a flare is looked for."""
    start = timeline.first_ici_start
    return [
        lab
        for lab in _organ_labs(timeline, organ)
        if not (
            lab.is_baseline or (start is not None and timeline.day_of(lab.collected_at) <= start)
        )
    ]


def _severity_for(grade: int) -> Severity:
    return "critical" if grade >= 3 else "warning" if grade == 2 else "info"


def grade_escalation(timeline: PatientTimeline) -> list[Alert]:
    """Per organ, the latest result that set a new maximum grade since the first ICI start."""
    alerts = []
    for organ in ORGANS:
        highest = 0
        last: tuple[LabPoint, int] | None = None
        for lab in _on_treatment_labs(timeline, organ):
            grade = lab.grade or 0
            if grade > highest:
                last = (lab, highest)
                highest = grade
        if last is None:
            continue
        lab, previous = last
        grade = lab.grade or 0
        alerts.append(
            Alert(
                key=f"grade_escalation:{organ}:{grade}:{lab.id}",
                kind="grade_escalation",
                severity=_severity_for(grade),
                title=f"{_ORGAN_TITLE[organ]}: new maximum grade {grade}",
                rule=f"{lab.grade_reason or lab.analyte}; previous maximum grade {previous}",
                source=_source_for(lab),
                evidence_at=lab.collected_at,
                organ=organ,
            )
        )
    return alerts


def _day(timeline: PatientTimeline, moment: datetime) -> str:
    return timeline.day_of(moment).isoformat()


def flare(timeline: PatientTimeline) -> list[Alert]:
    """Per organ, every flare since the first ICI start (clinical reference, decision 14): each
    is an event of its own, open until acknowledged."""
    alerts = []
    for organ in ORGANS:
        for found in find_flares(
            _on_treatment_labs(timeline, organ), _CURRENT_WINDOW_DAYS, timeline.day_of
        ):
            lab, peak, lowest = found.lab, found.peak, found.lowest
            rule = (
                f"{lab.grade_reason or lab.analyte} on {_day(timeline, lab.collected_at)}: grade "
                f"{found.grade} after the grade had come down from {peak.grade} "
                f"({peak.lab.analyte}, {_day(timeline, peak.at)}) to {lowest.grade} "
                f"({lowest.lab.analyte}, {_day(timeline, lowest.at)}); worse again after "
                "improving: if this is during or after a steroid taper, re-escalate "
                "immunosuppression"
            )
            alerts.append(
                Alert(
                    key=f"flare:{organ}:{found.grade}:{lab.id}",
                    kind="flare",
                    severity=_severity_for(found.grade),
                    title=(
                        f"{_ORGAN_TITLE[organ]}: flare to grade {found.grade} "
                        f"(down to {lowest.grade} after grade {peak.grade})"
                    ),
                    rule=rule,
                    source=f"ASCO 2021; {_source_for(lab)}",
                    evidence_at=lab.collected_at,
                    organ=organ,
                )
            )
    return alerts


def current_grade(timeline: PatientTimeline, organ: str) -> tuple[int, LabPoint] | None:
    """The organ's current grade: the worst of the latest result of each analyte, counting
    only results within 30 clinical days of the organ's most recent one."""
    labs = _organ_labs(timeline, organ)
    if not labs:
        return None
    newest = timeline.day_of(labs[-1].collected_at)
    latest: dict[str, LabPoint] = {}
    for lab in labs:
        if (newest - timeline.day_of(lab.collected_at)).days <= _CURRENT_WINDOW_DAYS:
            latest[lab.analyte] = lab
    worst = max(latest.values(), key=lambda lab: (lab.grade or 0, lab.collected_at))
    return worst.grade or 0, worst


def labs_overdue(timeline: PatientTimeline, now: datetime, settings: AlertSettings) -> list[Alert]:
    """The next liver or glucose result is later than the current grade calls for, counted in
    clinical days: labs every 3 days are overdue on the 4th day after the last one."""
    if timeline.status != "active":
        return []
    today = timeline.day_of(now)
    alerts = []
    for organ in ORGANS:
        found = current_grade(timeline, organ)
        if found is None:
            continue
        grade, worst = found
        allowed = settings.overdue_days(grade)
        if allowed is None:
            continue
        # any draw counts as the labs being done, graded or not: a non-fasting glucose or a
        # result without a range is still a result the team has (clinical reference, decision 12)
        codes = _ORGAN_CODES[organ]
        last = [lab for lab in timeline.labs if lab.analyte in codes][-1]
        last_day = timeline.day_of(last.collected_at)
        waited = (today - last_day).days
        if waited <= allowed:
            continue
        alerts.append(
            Alert(
                key=f"labs_overdue:{organ}:{last.id}",
                kind="labs_overdue",
                severity="critical" if grade >= 3 else "warning",
                title=f"{_ORGAN_TITLE[organ]} labs overdue",
                rule=(
                    f"current grade {grade} ({worst.analyte}) calls for labs every {allowed} "
                    f"days; last on {last_day.isoformat()}, {waited} days ago"
                ),
                source="ASCO 2021",
                evidence_at=last.collected_at,
                organ=organ,
                began_at=last.collected_at + timedelta(days=allowed),
            )
        )
    return alerts


def evaluate_alerts(
    timeline: PatientTimeline, now: datetime, settings: AlertSettings | None = None
) -> list[Alert]:
    """All alerts for the patient as of `now` (aware), most severe and most recent first.

    Results collected after `now` are ignored, so the same call answers "as of" questions.
    """
    if now.tzinfo is None:
        raise ValueError("evaluate_alerts needs an aware datetime for now")
    settings = settings or AlertSettings()
    view = replace(
        timeline,
        labs=[lab for lab in timeline.labs if lab.collected_at <= now],
        held_for_review=[lab for lab in timeline.held_for_review if lab.collected_at <= now],
    )
    alerts = [
        *grade_escalation(view),
        *flare(view),
        *hys_law(view, settings),
        *steroid_refractory(view, now, settings),
        *steroid_dose_unjudged(view, now),
        *infliximab_in_hepatitis(view, now, settings),
        *ici_diabetes(view, settings),
        *labs_overdue(view, now, settings),
        *needs_review(view),
        *jak_lab_threshold(view, now),
        *jak_renal(view, now),
        *mmf_cytopenia(view, now),
        *treatment_labs_overdue(view, now),
        *pjp_prophylaxis(view, now),
        *infection_screening(view, now),
        *duplicate_line(view, now),
    ]
    alerts.sort(key=lambda a: a.evidence_at, reverse=True)
    alerts.sort(key=lambda a: SEVERITY_ORDER[a.severity])
    return alerts
