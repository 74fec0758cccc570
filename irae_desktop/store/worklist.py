"""The service worklist: one row per patient, from the lab summaries and a few set-based queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, tzinfo
from typing import Any, NamedTuple, cast

from sqlalchemy import String, Table, select, type_coerce
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from irae_desktop.domain.clinical_day import clinical_day
from irae_desktop.domain.timeline import HoldSpan, line_status
from irae_desktop.store.clinical_zone import team_zone
from irae_desktop.store.lab_latest import computed_rows
from irae_desktop.store.models import LabSummary, Patient, TreatmentHold, TreatmentLine
from irae_desktop.store.organs import ORGAN_ANALYTES, OrganGrade, organ_grades
from irae_desktop.store.types import UTCDateTime
from irae_desktop.store.ungraded import LatestUngraded, organ_views

__all__ = ["ORGAN_ANALYTES", "OrganGrade", "WorklistRow", "rows_from_latest", "worklist_rows"]

# Core tables, not mapped classes: the start-up queries need no ORM mapper configuration
_SUMMARY = cast(Table, LabSummary.__table__)
_PATIENTS = cast(Table, Patient.__table__)
_LINES = cast(Table, TreatmentLine.__table__)
_HOLDS = cast(Table, TreatmentHold.__table__)
# what a worklist row shows of the patient, in the order `_row` unpacks it
_PATIENT_FIELDS = tuple(
    _PATIENTS.c[name]
    for name in (
        "id",
        "mrn",
        "name",
        "birth_date",
        "sex",
        "diagnosis",
        "status",
        "is_synthetic",
        "version",
    )
)
_TIME = UTCDateTime()
# (patient id, analyte, grade, collected at) of one patient's latest result of one analyte
LatestResult = tuple[int, str, int | None, datetime]


class WorklistRow(NamedTuple):
    """One patient on the worklist. A named tuple: thousands are made on every load, at a
    third of the cost of a frozen dataclass, and as immutable."""

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
    # clinical days from the last result's day to today (clinical reference, decision 10)
    days_since_lab: int | None
    # clinical reference, decision 12: an organ's latest result when it has no grade, shown
    # beside the last graded one (`liver`, `glucose` are then the last graded results)
    liver_ungraded: LatestUngraded | None = None
    glucose_ungraded: LatestUngraded | None = None

    @property
    def worst_grade(self) -> int:
        return max((g.grade for g in (self.liver, self.glucose) if g is not None), default=0)


def _current_ici(session: Session, today: date) -> dict[int, tuple[str, str]]:
    """Per patient, the latest ICI line started by today, and whether it is on, held or stopped."""
    lines, holds_table = _LINES.c, _HOLDS.c
    latest: dict[int, tuple[int, str, date, date | None]] = {}
    for line_id, pid, agent, start, stop in session.execute(
        select(lines.id, lines.patient_id, lines.agent, lines.start_date, lines.stop_date)
        .where(lines.category == "ici", lines.start_date <= today)
        .order_by(lines.patient_id, lines.start_date, lines.id)
    ).all():
        latest[pid] = (line_id, agent, start, stop)  # ordered by start: the last one wins
    holds: dict[int, list[HoldSpan]] = defaultdict(list)
    for line_id, held_from, held_to in session.execute(
        select(holds_table.line_id, holds_table.start_date, holds_table.end_date)
        .join_from(_HOLDS, _LINES, holds_table.line_id == lines.id)
        .where(lines.category == "ici")
    ).all():
        holds[line_id].append(HoldSpan(held_from, held_to))
    return {
        pid: (agent, line_status(start, stop, holds.get(line_id, []), today))
        for pid, (line_id, agent, start, stop) in latest.items()
    }


def worklist_rows(
    session: Session,
    *,
    today: date | None = None,
    now: datetime | None = None,
    from_summary: bool = True,
) -> list[WorklistRow]:
    """All patients with their current ICI, worst current grade per organ and lab recency.

    Grades and recency come from lab_summary, one row per patient; `from_summary=False`
    computes them from lab_results instead (slower: one index search per patient and analyte).
    "Today" and the days since the last result are clinical days in the team's zone.
    """
    if not from_summary:
        latest = [(pid, a, grade, at) for pid, a, _id, at, grade, *_ in computed_rows(session)]
        return rows_from_latest(session, latest, today=today, now=now)
    now = now or datetime.now(UTC)
    zone = team_zone(session)
    today = today or clinical_day(now, zone)
    ici = _current_ici(session, today)
    dialect = session.get_bind().dialect
    summary = _SUMMARY.c
    p = _PATIENTS.c
    rows: list[WorklistRow] = []
    for found in session.execute(
        select(
            *_PATIENT_FIELDS,
            _raw_time(summary.last_lab_at, dialect),
            summary.liver_grade,
            summary.liver_analyte,
            _raw_time(summary.liver_collected_at, dialect),
            summary.glucose_grade,
            summary.glucose_analyte,
            _raw_time(summary.glucose_collected_at, dialect),
        )
        .outerjoin_from(_PATIENTS, _SUMMARY, summary.patient_id == p.id)
        .order_by(p.name, p.mrn)
    ).all():
        patient = found[:9]
        last = None if found[9] is None else _time(found[9], dialect)
        liver_grade, liver_analyte, liver_at = found[10:13]
        glucose_grade, glucose_analyte, glucose_at = found[13:16]
        liver = (
            OrganGrade(liver_grade, liver_analyte, _time(liver_at, dialect))
            if liver_grade is not None
            else None
        )
        glucose = (
            OrganGrade(glucose_grade, glucose_analyte, _time(glucose_at, dialect))
            if glucose_grade is not None
            else None
        )
        rows.append(_row(patient, ici, liver, glucose, last, today, zone))
    return _with_ungraded(session, rows)


def _with_ungraded(session: Session, rows: list[WorklistRow]) -> list[WorklistRow]:
    """Rows of patients whose latest liver or glucose result has no grade: the last graded
    result per organ, with the ungraded one beside it (clinical reference, decision 12)."""
    views = organ_views(session)
    if not views:
        return rows
    out = []
    for row in rows:
        organs = views.get(row.patient_id)
        if organs is None:
            out.append(row)
            continue
        liver, glucose = organs["liver"], organs["glucose"]
        out.append(
            row._replace(
                liver=liver.graded,
                glucose=glucose.graded,
                liver_ungraded=liver.ungraded,
                glucose_ungraded=glucose.ungraded,
            )
        )
    return out


def _raw_time(column: Any, dialect: Dialect) -> Any:
    # on SQLite the stored text, parsed below for a fifth of the cost of the column type's way
    return type_coerce(column, String) if dialect.name == "sqlite" else column


def _time(raw: Any, dialect: Dialect) -> datetime:
    if dialect.name != "sqlite":
        return cast(datetime, raw)
    try:  # stored naive, meaning UTC (store.types)
        return datetime.fromisoformat(raw + "+00:00")
    except ValueError:  # some other layout, e.g. from a hand-made file: the general way
        return cast(datetime, _TIME.process_result_value(raw, dialect))


def _row(
    patient: Any,
    ici: dict[int, tuple[str, str]],
    liver: OrganGrade | None,
    glucose: OrganGrade | None,
    last: datetime | None,
    today: date,
    zone: tzinfo,
) -> WorklistRow:
    pid, mrn, name, birth, sex, diagnosis, status, synthetic, version = patient
    agent, ici_status = ici.get(pid, (None, None))
    return WorklistRow(
        patient_id=pid,
        mrn=mrn,
        name=name,
        birth_date=birth,
        sex=sex,
        diagnosis=diagnosis,
        status=status,
        is_synthetic=synthetic,
        version=version,
        ici_agent=agent,
        ici_status=ici_status,
        liver=liver,
        glucose=glucose,
        last_lab_at=last,
        days_since_lab=(today - clinical_day(last, zone)).days if last is not None else None,
    )


def rows_from_latest(
    session: Session,
    latest: Iterable[LatestResult],
    *,
    today: date | None = None,
    now: datetime | None = None,
) -> list[WorklistRow]:
    """The worklist built from given latest results (patient id, analyte, grade, collected at)
    by organ_grades in Python: the reference the summary-based worklist must equal."""
    now = now or datetime.now(UTC)
    zone = team_zone(session)
    today = today or clinical_day(now, zone)
    by_patient: dict[int, list[tuple[str, int | None, datetime]]] = defaultdict(list)
    for pid, analyte, grade, collected_at in latest:
        by_patient[pid].append((analyte, grade, collected_at))
    ici = _current_ici(session, today)
    p = _PATIENTS.c
    rows: list[WorklistRow] = []
    for patient in session.execute(
        select(
            *_PATIENT_FIELDS,
        ).order_by(p.name, p.mrn)
    ).all():
        results = by_patient.get(patient[0], [])
        organs = organ_grades(results)
        last = max((at for _a, _g, at in results), default=None)
        liver, glucose = organs.get("liver"), organs.get("glucose")
        rows.append(_row(patient, ici, liver, glucose, last, today, zone))
    return _with_ungraded(session, rows)
