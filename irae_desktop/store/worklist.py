"""The service worklist: one summary row per patient, computed in a few set-based queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import literal, select, true, union_all
from sqlalchemy.orm import Session

from irae_desktop.domain.analytes import ANALYTES
from irae_desktop.store.models import LabResult, Patient, TreatmentHold, TreatmentLine

# which analytes speak for which organ on the worklist (REFERENCE section 2 and 3)
ORGAN_ANALYTES: dict[str, tuple[str, ...]] = {
    "liver": ("ALT", "AST", "TBILI", "ALP", "GGT"),
    "glucose": ("GLUCOSE", "GLUCOSE_FASTING", "GLUCOSE_POC"),
}
_ANALYTE_ORGAN = {a: organ for organ, codes in ORGAN_ANALYTES.items() for a in codes}


@dataclass(frozen=True, slots=True)
class OrganGrade:
    grade: int
    analyte: str
    collected_at: datetime


@dataclass(frozen=True, slots=True)
class WorklistRow:
    patient_id: int
    mrn: str
    name: str
    birth_date: date | None
    sex: str | None
    diagnosis: str | None
    status: str
    is_synthetic: bool
    version: int
    ici_agent: str | None
    # "on", "held", "stopped", or None when no ICI line is recorded
    ici_status: str | None
    liver: OrganGrade | None
    glucose: OrganGrade | None
    last_lab_at: datetime | None
    days_since_lab: int | None

    @property
    def worst_grade(self) -> int:
        return max((g.grade for g in (self.liver, self.glucose) if g is not None), default=0)


def ici_status_on(
    stop_date: date | None, holds: list[tuple[date, date | None]], today: date
) -> str:
    if stop_date is not None and stop_date <= today:
        return "stopped"
    for start, end in holds:
        if start <= today and (end is None or end > today):
            return "held"
    return "on"


def _latest_results(session: Session) -> list[tuple[int, str, int | None, datetime]]:
    """The latest valid result of every analyte of every patient.

    One index seek per (patient, analyte) on ix_lab_results_patient_analyte_time, so the cost
    grows with patients, not with results: a GROUP BY over a million rows scans them all.
    """
    codes = union_all(*(select(literal(code).label("code")) for code in ANALYTES)).subquery("a")
    latest_id = (
        select(LabResult.id)
        .where(
            LabResult.patient_id == Patient.id,
            LabResult.analyte == codes.c.code,
            LabResult.status != "entered-in-error",
        )
        .order_by(LabResult.collected_at.desc())
        .limit(1)
        .correlate(Patient, codes)
        .scalar_subquery()
    )
    pairs = (
        select(Patient.id.label("pid"), latest_id.label("lab_id")).join(codes, true()).subquery()
    )
    rows = session.execute(
        select(pairs.c.pid, LabResult.analyte, LabResult.grade, LabResult.collected_at).join(
            LabResult, LabResult.id == pairs.c.lab_id
        )
    )
    return [(pid, analyte, grade, at) for pid, analyte, grade, at in rows]


def _current_ici(session: Session, today: date) -> dict[int, tuple[str, str]]:
    """Per patient, the latest ICI line started by today, and whether it is on, held or stopped."""
    latest: dict[int, tuple[int, str, date | None]] = {}
    for line_id, pid, agent, stop in session.execute(
        select(
            TreatmentLine.id, TreatmentLine.patient_id, TreatmentLine.agent, TreatmentLine.stop_date
        )
        .where(TreatmentLine.category == "ici", TreatmentLine.start_date <= today)
        .order_by(TreatmentLine.patient_id, TreatmentLine.start_date, TreatmentLine.id)
    ):
        latest[pid] = (line_id, agent, stop)  # ordered by start: the last one wins
    holds: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for line_id, start, end in session.execute(
        select(TreatmentHold.line_id, TreatmentHold.start_date, TreatmentHold.end_date)
        .join(TreatmentLine)
        .where(TreatmentLine.category == "ici")
    ):
        holds[line_id].append((start, end))
    return {
        pid: (agent, ici_status_on(stop, holds[line_id], today))
        for pid, (line_id, agent, stop) in latest.items()
    }


def worklist_rows(
    session: Session, *, today: date | None = None, now: datetime | None = None
) -> list[WorklistRow]:
    """All patients with their current ICI, worst current grade per organ and lab recency."""
    now = now or datetime.now(UTC)
    today = today or now.astimezone().date()
    organs: dict[int, dict[str, OrganGrade]] = defaultdict(dict)
    last_lab: dict[int, datetime] = {}
    for pid, analyte, grade, collected_at in _latest_results(session):
        if pid not in last_lab or collected_at > last_lab[pid]:
            last_lab[pid] = collected_at
        organ_name = _ANALYTE_ORGAN.get(analyte)
        if organ_name is None or grade is None:
            continue
        current = organs[pid].get(organ_name)
        if current is None or grade > current.grade:
            organs[pid][organ_name] = OrganGrade(grade, analyte, collected_at)
    ici = _current_ici(session, today)
    rows: list[WorklistRow] = []
    for p in session.scalars(select(Patient).order_by(Patient.name, Patient.mrn)):
        last = last_lab.get(p.id)
        agent, status = ici.get(p.id, (None, None))
        organ = organs.get(p.id, {})
        rows.append(
            WorklistRow(
                patient_id=p.id,
                mrn=p.mrn,
                name=p.name,
                birth_date=p.birth_date,
                sex=p.sex,
                diagnosis=p.diagnosis,
                status=p.status,
                is_synthetic=p.is_synthetic,
                version=p.version,
                ici_agent=agent,
                ici_status=status,
                liver=organ.get("liver"),
                glucose=organ.get("glucose"),
                last_lab_at=last,
                days_since_lab=(now - last).days if last is not None else None,
            )
        )
    return rows
