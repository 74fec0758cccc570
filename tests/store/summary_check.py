"""The reference the lab summaries are checked against: every result read and reduced in Python."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from irae_desktop.store.database import Database
from irae_desktop.store.lab_latest import stale_patients
from irae_desktop.store.models import LabLatest, LabResult
from irae_desktop.store.worklist import WorklistRow, rows_from_latest, worklist_rows

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
LatestRow = tuple[int, str, int, datetime, int | None, int | None, datetime | None]


def reference_latest(db: Database) -> list[LatestRow]:
    """Per patient and analyte, the result not entered in error with the latest time, the
    highest id among equal times: what the old worklist query searched for, done by hand."""
    with db.read() as s:
        rows = s.execute(
            select(
                LabResult.patient_id,
                LabResult.analyte,
                LabResult.id,
                LabResult.collected_at,
                LabResult.grade,
                LabResult.status,
            )
        ).all()
    best: dict[tuple[int, str], tuple[int, str, int, datetime, int | None]] = {}
    best_graded: dict[tuple[int, str], tuple[datetime, int, int]] = {}
    for pid, analyte, lab_id, at, grade, status in rows:
        if status == "entered-in-error":
            continue
        seen = best.get((pid, analyte))
        if seen is None or (at, lab_id) > (seen[3], seen[2]):
            best[(pid, analyte)] = (pid, analyte, lab_id, at, grade)
        graded = best_graded.get((pid, analyte))
        if grade is not None and (graded is None or (at, lab_id) > graded[:2]):
            best_graded[(pid, analyte)] = (at, lab_id, grade)
    found: list[LatestRow] = []
    for key, latest in best.items():
        graded = best_graded.get(key)
        found.append((*latest, None, None) if graded is None else (*latest, graded[2], graded[0]))
    return sorted(found)


def reference_worklist(db: Database, now: datetime = NOW) -> list[WorklistRow]:
    latest = [
        (pid, analyte, grade, at) for pid, analyte, _id, at, grade, *_ in reference_latest(db)
    ]
    with db.read() as s:
        return rows_from_latest(s, latest, now=now)


def check_summaries(db: Database, now: datetime = NOW) -> list[WorklistRow]:
    """Asserts lab_latest, lab_summary and the worklist built on them agree with the results;
    returns the worklist."""
    expected = reference_worklist(db, now)
    with db.read() as s:
        stored = s.execute(
            select(
                LabLatest.patient_id,
                LabLatest.analyte,
                LabLatest.lab_result_id,
                LabLatest.collected_at,
                LabLatest.grade,
                LabLatest.last_graded_grade,
                LabLatest.last_graded_at,
            ).order_by(LabLatest.patient_id, LabLatest.analyte)
        ).all()
        assert [tuple(r) for r in stored] == reference_latest(db)
        assert worklist_rows(s, now=now) == expected
        assert worklist_rows(s, now=now, from_summary=False) == expected
        assert stale_patients(s) == set()
    return expected


def by_mrn(rows: list[WorklistRow]) -> dict[str, WorklistRow]:
    return {r.mrn: r for r in rows}
