"""One patient's labs, treatments and episodes in time order, for alerts, trends and reports."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from itertools import pairwise

from irae_desktop.domain.clinical_day import clinical_day


@dataclass(frozen=True, slots=True)
class LabPoint:
    """A stored result. `value`, `uln` and `lln` are in `unit`, the analyte's canonical unit;
    `uln`/`lln` are the site defaults when the result came without a range (`range_source`)."""

    id: int
    analyte: str
    collected_at: datetime
    value: float
    comparator: str
    unit: str
    uln: float | None
    lln: float | None
    grade: int | None
    grade_reason: str | None
    criteria_id: str | None
    is_baseline: bool
    source: str | None
    # "reported" with the result, "site" default filled in because none was reported, or "none"
    range_source: str = "reported"

    @property
    def multiple_of_uln(self) -> float | None:
        return self.value / self.uln if self.uln else None


@dataclass(frozen=True, slots=True)
class DoseStepPoint:
    """A dated dose: a taper step for a daily drug, or one infusion of an ICI."""

    start: date
    dose: float
    dose_unit: str
    frequency: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class HoldSpan:
    start: date
    end: date | None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class TreatmentSpan:
    """A treatment line: an ICI, an immunosuppressant (steroid, MMF, ...), insulin or other."""

    id: int
    category: str
    agent: str
    dose: float | None
    dose_unit: str | None
    frequency: str | None
    route: str | None
    start: date
    stop: date | None
    indication: str | None = None
    reason_stopped: str | None = None
    dose_steps: tuple[DoseStepPoint, ...] = ()
    holds: tuple[HoldSpan, ...] = ()

    def active_on(self, day: date) -> bool:
        """Started on or before `day`, not stopped before it, and not on hold that day."""
        if day < self.start or (self.stop is not None and day > self.stop):
            return False
        return not any(h.start <= day and (h.end is None or day <= h.end) for h in self.holds)

    def status_on(self, day: date) -> str:
        """ "on", "held", "stopped" or "planned" on `day` (see line_status)."""
        return line_status(self.start, self.stop, self.holds, day)


def line_status(start: date, stop: date | None, holds: Iterable[HoldSpan], day: date) -> str:
    """A treatment line's status on `day`: "planned", "stopped", "held" or "on".

    The one place the word is worked out, for the window, the worklist, the printed summary and
    the export. The dates mean what the actions that write them mean: a line stopped on a day is
    "stopped" from that day, and a hold ended (the line resumed) on a day is "on" again that day.
    """
    if day < start:
        return "planned"
    if stop is not None and day >= stop:
        return "stopped"
    if any(h.start <= day and (h.end is None or day < h.end) for h in holds):
        return "held"
    return "on"


def current_ici(lines: Iterable[TreatmentSpan], day: date) -> TreatmentSpan | None:
    """The ICI line the team acts on: the most recently started by `day` (the later id wins a
    tie), whatever its status; None before any ICI start. The header, the summary and the
    handoff list name the same line (the worklist reads the same rule in SQL for speed)."""
    started = [t for t in lines if t.category == "ici" and t.start <= day]
    return max(started, key=lambda t: (t.start, t.id)) if started else None


# the infection screens a JAK inhibitor or infliximab calls for before its start (clinical
# reference, section 10): latent tuberculosis (interferon-gamma release assay or tuberculin skin
# test) and hepatitis B (surface antigen, core antibody; surface antibody and viral DNA when the
# team records them)
SCREENING_TESTS: dict[str, str] = {
    "tb_igra": "TB interferon-gamma release assay",
    "tb_skin": "TB skin test",
    "hbsag": "HBsAg",
    "anti_hbc": "anti-HBc",
    "anti_hbs": "anti-HBs",
    "hbv_dna": "HBV DNA",
}
SCREENING_RESULTS: tuple[str, ...] = ("negative", "positive", "indeterminate")


@dataclass(frozen=True, slots=True)
class ScreeningPoint:
    """A recorded screening test: which test (a key of SCREENING_TESTS), the day it was taken
    and its result (one of SCREENING_RESULTS)."""

    id: int
    test: str
    taken_on: date
    result: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class EpisodeSpan:
    """A clinician-recorded irAE episode (hepatitis, diabetes, ...)."""

    id: int
    organ: str
    onset: date
    resolution: date | None
    grade: int | None
    status: str


@dataclass(frozen=True, slots=True)
class PatientTimeline:
    """Everything the clinical rules need for one patient; labs are sorted by collection time.
    `zone` is the team's clinical time zone: every rule counts days in it (clinical reference,
    decision 10), through `day_of`."""

    patient_id: int
    mrn: str
    name: str
    weight_kg: float | None
    sex: str | None
    birth_date: date | None
    labs: list[LabPoint]
    treatments: list[TreatmentSpan]
    first_ici_start: date | None
    episodes: list[EpisodeSpan] = field(default_factory=list)
    status: str = "active"
    diagnosis: str | None = None
    # results beyond values reported in a living patient, waiting for a clinician: kept out of
    # `labs`, so out of every grade, alert and chart scale (clinical reference, decision 11)
    held_for_review: list[LabPoint] = field(default_factory=list)
    # infection screening results, oldest first
    screenings: list[ScreeningPoint] = field(default_factory=list)
    zone: tzinfo = field(kw_only=True)

    def day_of(self, moment: datetime) -> date:
        """The clinical day of an instant."""
        return clinical_day(moment, self.zone)

    def labs_for(self, *analytes: str) -> list[LabPoint]:
        wanted = set(analytes)
        return [lab for lab in self.labs if lab.analyte in wanted]

    def treatments_in(self, category: str) -> list[TreatmentSpan]:
        return [t for t in self.treatments if t.category == category]


def first_ici_start(treatments: Iterable[TreatmentSpan]) -> date | None:
    """The start date of the patient's first ICI line, or None if none is recorded."""
    starts = [t.start for t in treatments if t.category == "ici"]
    return min(starts) if starts else None


def sorted_times(labs: list[LabPoint]) -> list[datetime] | None:
    """The collection times of `labs` when they are in time order, else None."""
    times = [lab.collected_at for lab in labs]
    return times if all(a <= b for a, b in pairwise(times)) else None


def labs_within(
    labs: list[LabPoint], times: list[datetime] | None, start: datetime, end: datetime
) -> list[LabPoint]:
    """The results collected from `start` (included) to `end` (excluded), in their order;
    `times` from sorted_times lets the window be found by bisection instead of a scan."""
    if times is None:
        return [lab for lab in labs if start <= lab.collected_at < end]
    return labs[bisect_left(times, start) : bisect_left(times, end)]
