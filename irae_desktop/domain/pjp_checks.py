"""Pneumocystis (PJP) prophylaxis on long high-dose steroids (domain.safety_labels.PJP: at least
20 mg/day prednisone-equivalent for 28 days or more, ASCO 2021 and NCCN): the judgement the PJP
alert and the safety summary show.

The steroid days are clinical days, each day's dose the sum of every systemic steroid line's
prednisone-equivalent (domain.steroids). A day whose dose cannot be read (a dose, unit or
frequency that cannot be read, or a dose per kg without a weight) neither breaks a run nor
counts toward its 28 days: the run is not lost for want of a number, and no day is claimed at a
dose nobody recorded (clinical reference, section 10). A day below 20 mg ends the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from irae_desktop.domain.agents import is_pjp_prophylaxis
from irae_desktop.domain.grade_parts import is_close
from irae_desktop.domain.safety_labels import PJP
from irae_desktop.domain.steroids import SteroidDay, is_systemic_steroid, steroid_day
from irae_desktop.domain.timeline import PatientTimeline, TreatmentSpan


@dataclass(frozen=True, slots=True)
class SteroidRun:
    """The run of high-dose steroid days that reaches today."""

    first_day: date
    days_at_dose: int  # days with a known dose of at least 20 mg
    days_unknown: int  # days bridged whose dose could not be read
    today: SteroidDay
    last_known: SteroidDay  # the latest day with a known dose

    @property
    def long_enough(self) -> bool:
        return self.days_at_dose >= PJP.min_days


@dataclass(frozen=True, slots=True)
class PjpFinding:
    run: SteroidRun | None  # None: not on high-dose steroids today
    prophylaxis: TreatmentSpan | None  # a prophylaxis line on today

    @property
    def needed(self) -> bool:
        return self.run is not None and self.run.long_enough and self.prophylaxis is None


def _high(mg: float) -> bool:
    return mg >= PJP.min_mg_per_day or is_close(mg, PJP.min_mg_per_day)


def steroid_run(timeline: PatientTimeline, today: date) -> SteroidRun | None:
    steroids = [t for t in timeline.treatments if is_systemic_steroid(t)]
    if not steroids:
        return None
    first: date | None = None
    at_dose = unknown = 0
    last_known: SteroidDay | None = None
    current = None
    day = min(t.start for t in steroids)
    while day <= today:
        current = steroid_day(steroids, day, timeline.weight_kg)
        mg = current.total_mg
        if mg is None:
            if first is not None:
                unknown += 1
        elif _high(mg):
            if first is None:
                first, at_dose, unknown = day, 0, 0
            at_dose += 1
            last_known = current
        else:
            first = None
        day += timedelta(days=1)
    if first is None or current is None or last_known is None:
        return None
    return SteroidRun(first, at_dose, unknown, current, last_known)


def pjp_finding(timeline: PatientTimeline, today: date) -> PjpFinding:
    prophylaxis = next(
        (
            t
            for t in timeline.treatments
            if is_pjp_prophylaxis(t.agent) and t.status_on(today) == "on"
        ),
        None,
    )
    return PjpFinding(steroid_run(timeline, today), prophylaxis)
