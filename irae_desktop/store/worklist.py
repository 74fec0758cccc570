"""The service worklist: one summary row per patient, computed in a few set-based queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

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
    lab_count: int

    @property
    def worst_grade(self) -> int:
        return max((g.grade for g in (self.liver, self.glucose) if g is not None), default=0)


def ici_status_on(line: TreatmentLine | None, holds: list[TreatmentHold], today: date) -> str | None:
    if line is None:
        return None
    if line.stop_date is not None and line.stop_date <= today:
        return "stopped"
    for hold in holds:
        if hold.start_date <= today and (hold.end_date is None or hold.end_date > today):
            return "held"
    return "on"


def _latest_grades(session: Session) -> dict[int, dict[str, OrganGrade]]:
    """Per patient and organ, the worst grade among the latest result of each organ analyte."""
    latest = (
        select(
            LabResult.patient_id,
            LabResult.analyte,
            func.max(LabResult.collected_at).label("latest"),
        )
        .where(LabResult.analyte.in_(list(_ANALYTE_ORGAN)))
        .group_by(LabResult.patient_id, LabResult.analyte)
        .subquery()
    )
    rows = session.execute(
        select(LabResult.patient_id, LabResult.analyte, LabResult.grade, LabResult.collected_at)
        .join(
            latest,
            (LabResult.patient_id == latest.c.patient_id)
            & (LabResult.analyte == latest.c.analyte)
            & (LabResult.collected_at == latest.c.latest),
        )
        .where(LabResult.status != "entered-in-error")
    )
    result: dict[int, dict[str, OrganGrade]] = defaultdict(dict)
    for patient_id, analyte, grade, collected_at in rows:
        if grade is None:
            continue
        organ = _ANALYTE_ORGAN[analyte]
        current = result[patient_id].get(organ)
        if current is None or grade > current.grade:
            result[patient_id][organ] = OrganGrade(grade, analyte, collected_at)
    return result


def _lab_stats(session: Session) -> dict[int, tuple[datetime, int]]:
    rows = session.execute(
        select(LabResult.patient_id, func.max(LabResult.collected_at), func.count())
        .group_by(LabResult.patient_id)
    )
    return {pid: (last, count) for pid, last, count in rows}


def _current_ici(session: Session, today: date) -> dict[int, tuple[str, str | None]]:
    lines = session.scalars(
        select(TreatmentLine)
        .where(TreatmentLine.category == "ici")
        .order_by(TreatmentLine.patient_id, TreatmentLine.start_date)
    ).all()
    holds: dict[int, list[TreatmentHold]] = defaultdict(list)
    for hold in session.scalars(
        select(TreatmentHold).join(TreatmentLine).where(TreatmentLine.category == "ici")
    ):
        holds[hold.line_id].append(hold)
    latest: dict[int, TreatmentLine] = {}
    for line in lines:
        if line.start_date <= today:
            latest[line.patient_id] = line  # ordered by start: the last one wins
    return {
        pid: (line.agent, ici_status_on(line, holds[line.id], today))
        for pid, line in latest.items()
    }


def worklist_rows(
    session: Session, *, today: date | None = None, now: datetime | None = None
) -> list[WorklistRow]:
    """All patients with their current ICI, worst current grade per organ and lab recency."""
    now = now or datetime.now(UTC)
    today = today or now.astimezone().date()
    grades = _latest_grades(session)
    stats = _lab_stats(session)
    ici = _current_ici(session, today)
    rows: list[WorklistRow] = []
    for p in session.scalars(select(Patient).order_by(Patient.name, Patient.mrn)):
        last, count = stats.get(p.id, (None, 0))
        agent, status = ici.get(p.id, (None, None))
        organ = grades.get(p.id, {})
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
                lab_count=count,
            )
        )
    return rows
