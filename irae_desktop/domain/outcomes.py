"""Outcomes across patients: one row per patient and immunosuppression line for one irAE.

Each row reuses the per-patient facts (domain.response for the days to grade <= 1 and to a 50 %
fall, domain.steroids for prednisone-equivalent exposure, domain.alerts_flare for flares), so
the case series says what the patient view says. Days are clinical days (timeline.day_of).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from irae_desktop.domain.agents import agent_key
from irae_desktop.domain.alerts_flare import find_flares
from irae_desktop.domain.analytes import Organ, graded_analytes
from irae_desktop.domain.response import PEAK_LOOKBACK_DAYS, line_response
from irae_desktop.domain.steroids import is_systemic_steroid, steroid_exposure
from irae_desktop.domain.timeline import PatientTimeline, TreatmentSpan, current_ici

OUTCOME_DAYS = (30, 90)
# a result older than this no longer counts towards the organ's grade (as the flare alert)
FLARE_WINDOW_DAYS = 30
MMF = "mycophenolate mofetil"


@dataclass(frozen=True, slots=True)
class Irae:
    """An irAE the case series can be asked about: the episode name a clinician records, the
    organ whose graded results give its grade, the results whose fall to grade <= 1 ends a
    line's response, and the one whose peak must halve."""

    name: str
    organ: Organ
    response: tuple[str, ...]
    halving: str
    # the aligned-trajectory figures: (analyte, drawn as a multiple of the ULN)
    trajectories: tuple[tuple[str, bool], ...]


IRAES: dict[str, Irae] = {
    "hepatitis": Irae("hepatitis", "liver", ("ALT", "AST"), "ALT", (("ALT", True),)),
    "diabetes": Irae(
        "diabetes",
        "glucose",
        graded_analytes("glucose"),
        "GLUCOSE",
        (("GLUCOSE", False), ("CPEPTIDE", False)),
    ),
}

# the outcome at day 30 and 90, most telling first: a flare outranks a resumed ICI, which
# outranks a resolution; "censored": no end point and followed for fewer days
FLARED, ICI_RESUMED, RESOLVED, ONGOING, CENSORED = (
    "flared",
    "ICI resumed",
    "resolved",
    "ongoing",
    "censored",
)


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    patient_id: int
    mrn: str
    birth_date: date | None
    irae: str
    irae_onset: date
    ici: str | None  # the ICI the team was acting on when the line started
    first_ici_start: date | None
    line_id: int
    agent: str  # generic name (domain.agents.agent_key)
    position: int  # 1 = first line for this irAE
    start: date
    stop: date | None
    indication: str | None  # free text: left out of de-identified exports unless asked
    peak_grade_before: int | None
    prior_agents: tuple[str, ...]
    prior_steroid_days: int
    prior_prednisone_mg: float | None  # None: a dose could not be read
    prior_mmf: bool
    concurrent_agents: tuple[str, ...]  # other lines started within this line's response
    days_to_grade_le1: int | None
    already_grade_le1_at_start: bool
    days_to_50pct_fall: int | None
    steroid_mg_after: float | None
    line_duration_days: int
    line_ongoing: bool  # no stop date: duration counted to the last draw
    followup_days: int
    outcome_30: str
    outcome_90: str

    @property
    def start_day(self) -> int | None:
        """Days since the first ICI start."""
        return (self.start - self.first_ici_start).days if self.first_ici_start else None

    @property
    def reached_grade_le1(self) -> bool:
        return self.days_to_grade_le1 is not None


def irae_onset(timeline: PatientTimeline, irae: Irae) -> date | None:
    """The onset of the patient's first recorded episode of the irAE."""
    onsets = [e.onset for e in timeline.episodes if e.organ.strip().lower() == irae.name]
    return min(onsets) if onsets else None


def irae_lines(timeline: PatientTimeline, onset: date) -> list[TreatmentSpan]:
    """The immunosuppression and systemic steroid lines started on or after the onset."""
    lines = [
        t
        for t in timeline.treatments
        if (t.category == "immunosuppression" or is_systemic_steroid(t)) and t.start >= onset
    ]
    return sorted(lines, key=lambda t: (t.start, t.id))


def _cumulative_mg(timeline: PatientTimeline, until: date) -> float | None:
    exposure = steroid_exposure(timeline.treatments, until, timeline.weight_kg)
    return None if exposure.days_unknown else exposure.cumulative_mg


def _steroid_days_before(timeline: PatientTimeline, start: date) -> int:
    steroids = [t for t in timeline.treatments if is_systemic_steroid(t)]
    if not steroids:
        return 0
    first = min(t.start for t in steroids)
    return sum(
        1
        for n in range((start - first).days)
        if any(t.active_on(first + timedelta(days=n)) for t in steroids)
    )


def _peak_grade_before(timeline: PatientTimeline, irae: Irae, start: date) -> int | None:
    grades = [
        lab.grade
        for lab in timeline.labs_for(*graded_analytes(irae.organ))
        if lab.grade is not None
        and not lab.is_baseline
        and (
            timeline.first_ici_start is None
            or timeline.day_of(lab.collected_at) > timeline.first_ici_start
        )
        and timeline.day_of(lab.collected_at) <= start
    ]
    return max(grades) if grades else None


def _ici_resumed(timeline: PatientTimeline, start: date, end: date) -> bool:
    """An ICI line started, infused or taken off hold after day 0 and by `end`."""
    for ici in timeline.treatments_in("ici"):
        days = [ici.start, *(s.start for s in ici.dose_steps)]
        days += [h.end for h in ici.holds if h.end is not None]
        if any(start < day <= end for day in days):
            return True
    return False


def _outcome(
    timeline: PatientTimeline, irae: Irae, start: date, days: int, reached_at: int | None
) -> str:
    end = start + timedelta(days=days)
    since = start - timedelta(days=PEAK_LOOKBACK_DAYS)
    organ = [
        lab
        for lab in timeline.labs_for(*graded_analytes(irae.organ))
        if lab.grade is not None and since <= timeline.day_of(lab.collected_at) <= end
    ]
    flares = find_flares(organ, FLARE_WINDOW_DAYS, timeline.day_of)
    if any(timeline.day_of(f.lab.collected_at) > start for f in flares):
        return FLARED
    if _ici_resumed(timeline, start, end):
        return ICI_RESUMED
    followed = [
        lab
        for lab in timeline.labs_for(*irae.response)
        if lab.grade is not None and start <= timeline.day_of(lab.collected_at) <= end
    ]
    if reached_at is not None and reached_at <= days:
        latest: dict[str, int] = {}
        for lab in followed:
            latest[lab.analyte] = lab.grade or 0
        if all(g <= 1 for g in latest.values()):
            return RESOLVED
    # followed to the day when any later draw exists, even one after the window
    last = max(
        (timeline.day_of(lab.collected_at) for lab in timeline.labs_for(*irae.response)),
        default=start,
    )
    return ONGOING if (last - start).days >= days else CENSORED


def patient_outcomes(timeline: PatientTimeline, irae: Irae) -> list[OutcomeRow]:
    """The patient's rows for the irAE: none without a recorded episode of it."""
    onset = irae_onset(timeline, irae)
    if onset is None:
        return []
    lines = irae_lines(timeline, onset)
    draws = [timeline.day_of(lab.collected_at) for lab in timeline.labs_for(*irae.response)]
    rows = []
    for position, line in enumerate(lines, start=1):
        response = line_response(timeline, line, analytes=irae.response)
        later = [
            o
            for o in lines[position:]
            if response.days_to_grade_1_or_less is not None
            and o.start <= line.start + timedelta(days=response.days_to_grade_1_or_less)
        ]
        halving = next((a for a in response.analytes if a.analyte == irae.halving), None)
        last_draw = max((day for day in draws if day >= line.start), default=line.start)
        ended = line.stop if line.stop is not None else last_draw
        before = line.start - timedelta(days=1)
        mg_before = _cumulative_mg(timeline, before)
        mg_to_end = _cumulative_mg(timeline, max(last_draw, line.start))
        ici = current_ici(timeline.treatments, line.start)
        reached = response.days_to_grade_1_or_less
        rows.append(
            OutcomeRow(
                patient_id=timeline.patient_id,
                mrn=timeline.mrn,
                birth_date=timeline.birth_date,
                irae=irae.name,
                irae_onset=onset,
                ici=agent_key(ici.agent) if ici else None,
                first_ici_start=timeline.first_ici_start,
                line_id=line.id,
                agent=agent_key(line.agent),
                position=position,
                start=line.start,
                stop=line.stop,
                indication=line.indication,
                peak_grade_before=_peak_grade_before(timeline, irae, line.start),
                prior_agents=tuple(agent_key(p.agent) for p in lines[: position - 1]),
                prior_steroid_days=_steroid_days_before(timeline, line.start),
                prior_prednisone_mg=mg_before,
                prior_mmf=any(agent_key(p.agent) == MMF for p in lines[: position - 1]),
                concurrent_agents=tuple(agent_key(o.agent) for o in later),
                days_to_grade_le1=reached,
                already_grade_le1_at_start=response.already_grade_1_at_start,
                days_to_50pct_fall=halving.days_to_half_peak if halving else None,
                steroid_mg_after=(
                    None if mg_before is None or mg_to_end is None else mg_to_end - mg_before
                ),
                line_duration_days=max((ended - line.start).days, 0),
                line_ongoing=line.stop is None,
                followup_days=(last_draw - line.start).days,
                outcome_30=_outcome(timeline, irae, line.start, 30, reached),
                outcome_90=_outcome(timeline, irae, line.start, 90, reached),
            )
        )
    return rows


def cohort_outcomes(
    timelines: Iterable[PatientTimeline],
    irae: Irae,
    agents: Iterable[str] = (),
    positions: Iterable[int] = (),
) -> list[OutcomeRow]:
    """Every patient's rows, kept to the named agents (any spelling domain.agents knows) and
    line positions when given, ordered by patient and line start."""
    wanted_agents = {agent_key(a) for a in agents}
    wanted_positions = set(positions)
    rows = [
        row
        for timeline in timelines
        for row in patient_outcomes(timeline, irae)
        if (not wanted_agents or row.agent in wanted_agents)
        and (not wanted_positions or row.position in wanted_positions)
    ]
    return sorted(rows, key=lambda r: (r.mrn, r.start, r.line_id))
