"""One row per active patient for the service handoff list, read in a few set-based queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from irae_desktop.domain.safety_panel import LineSafety, treatment_safety
from irae_desktop.domain.ungraded import latest_ungraded, ungraded_note
from irae_desktop.reports import clinical
from irae_desktop.reports.formatting import EPISODE_ORGAN, local_time, short_date
from irae_desktop.reports.summary_data import EpisodeInfo, LatestValue, PlanInfo, latest_values
from irae_desktop.reports.treatment_view import PrintedLine, current_ici, treatment_info
from irae_desktop.store.database import StoreSession
from irae_desktop.store.service_read import read_active_patients

# the values a night team asks for first
KEY_ANALYTES = (
    "ALT",
    "AST",
    "TBILI",
    "ALP",
    "GLUCOSE",
    "GLUCOSE_FASTING",
    "GLUCOSE_POC",
    "CPEPTIDE",
)


@dataclass(frozen=True, slots=True)
class ServiceRow:
    patient_id: int
    mrn: str
    name: str
    birth_date: date | None
    is_synthetic: bool
    diagnosis: str | None
    episodes: list[EpisodeInfo]
    organs: dict[str, clinical.OrganStatus]
    latest: list[LatestValue]
    ici_agent: str | None
    ici_status: str | None
    treatments: list[PrintedLine]
    alerts: list[clinical.AlertLine]  # current: conditions and events of the last 7 days
    plan: PlanInfo | None
    labs_due: date | None
    # events older than 7 clinical days nobody has acknowledged: listed, not counted
    unacknowledged: list[clinical.AlertLine] = field(default_factory=list)
    # per organ, "latest ungraded: no range" when its latest result has no grade (decision 12)
    ungraded: dict[str, str] = field(default_factory=dict)
    # the treatment safety checks whose label's action applies, and the labs overdue, in words
    safety: list[str] = field(default_factory=list)

    @property
    def worst_grade(self) -> int:
        return max((o.grade for o in self.organs.values()), default=0)

    @property
    def sort_key(self) -> tuple[int, int, str, str]:
        return (-self.worst_grade, -len(self.alerts), self.name.lower(), self.mrn)


def safety_flags(lines: list[LineSafety]) -> list[str]:
    """What a night team must not miss from the treatment safety summary, short enough for the
    list's alerts column: each check with status "act" ("tofacitinib: ANC act") and each lab
    overdue ("mycophenolate mofetil: Blood counts OVERDUE since 14 Nov"); "attention" and
    "missing" rows are left to the patient summary, which names the analytes too."""
    flags = []
    for line in lines:
        flags += [f"{line.agent}: {c.what} act" for c in line.checks if c.status == "act"]
        flags += [
            f"{line.agent}: {d.what.split(' (')[0]} OVERDUE since {short_date(d.due_on)}"
            for d in line.due
            if d.overdue
        ]
    return flags


def load_service_rows(session: StoreSession, *, now: datetime) -> list[ServiceRow]:
    """All active patients, sickest first: highest current grade, then active alerts, then name."""
    today = local_time(now).date()
    found = read_active_patients(session)
    settings = found.alert_settings
    rows: list[ServiceRow] = []
    for active in found.patients:
        p, timeline, plan = active.patient, active.timeline, active.plan
        organs = clinical.organ_status(timeline, now)
        treatments = [treatment_info(span, today, p.weight_kg) for span in timeline.treatments]
        ici = current_ici(treatments, today)
        alerts = clinical.active_alerts(timeline, now, settings, active.acknowledgements)
        episodes = []
        for e in timeline.episodes:
            if e.status == "resolved":
                continue
            organ = EPISODE_ORGAN.get(e.organ.strip().lower())
            current = organs.get(organ) if organ else None
            episodes.append(
                EpisodeInfo(
                    organ=e.organ,
                    onset=e.onset,
                    resolution=e.resolution,
                    worst_grade=e.grade,
                    current_grade=current.grade if current else None,
                    current_analyte=current.analyte if current else None,
                    status=e.status,
                    notes=None,
                )
            )
        labs = [lab for lab in timeline.labs if lab.collected_at <= now]
        rows.append(
            ServiceRow(
                patient_id=p.id,
                mrn=p.mrn,
                name=p.name,
                birth_date=p.birth_date,
                is_synthetic=p.is_synthetic,
                diagnosis=p.diagnosis,
                episodes=episodes,
                organs=organs,
                latest=latest_values(labs, KEY_ANALYTES),
                ici_agent=ici.line.agent if ici else None,
                ici_status=ici.status if ici else None,
                treatments=[t for t in treatments if t.is_current and t.line.category != "ici"],
                alerts=[a for a in alerts if a.standing == "current"],
                unacknowledged=[a for a in alerts if a.standing == "unacknowledged"],
                plan=PlanInfo(plan.written_at, plan.author, plan.plan or "") if plan else None,
                labs_due=clinical.labs_due(organs, settings),
                ungraded={
                    organ: ungraded_note(lab)
                    for organ, lab in latest_ungraded(timeline, now).items()
                },
                safety=safety_flags(treatment_safety(timeline, now)),
            )
        )
    rows.sort(key=lambda r: r.sort_key)
    return rows
