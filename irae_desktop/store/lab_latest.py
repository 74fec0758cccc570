"""The lab summaries the worklist reads (lab_latest, lab_summary), kept in step with the results."""

# lab_latest holds each patient's latest valid result per analyte; lab_summary, one row per
# patient derived from it, the last lab time and the worst current grade per organ. Every write
# to lab_results ends in `refresh_latest` for the patients it touched: store.grading's
# regrade_patients calls it (manual entry, corrections, withdrawals, held results, treatment and
# patient changes, site ranges, regrade_all, demo data) and so does the import service for the
# patients of a file. `stale_patients` compares both tables with the results and
# `repair_latest` refreshes the patients that disagree: store.integrity's start-up check.

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, Table, and_, case, delete, func, insert, select
from sqlalchemy.orm import Session

from irae_desktop.domain.records import ResultStatus
from irae_desktop.store.models import LabLatest, LabResult, LabSummary, Patient
from irae_desktop.store.organs import ORGAN_ANALYTES, ORGAN_RANK, OrganGrade, organ_grades

# patients per statement: bounded IN lists however many patients an import touched
CHUNK = 500
_LAB = cast(Table, LabResult.__table__)
_LATEST = cast(Table, LabLatest.__table__)
_SUMMARY = cast(Table, LabSummary.__table__)
_WITHDRAWN = ResultStatus.ENTERED_IN_ERROR.value
_LATEST_COLUMNS = (
    "patient_id",
    "analyte",
    "lab_result_id",
    "collected_at",
    "grade",
    "last_graded_grade",
    "last_graded_at",
)
# lab_summary's columns in select order; a KeyError here means an organ without its columns
_SUMMARY_COLUMNS = (
    "patient_id",
    "last_lab_at",
    *(
        _SUMMARY.c[f"{organ}_{part}"].name
        for organ in ORGAN_ANALYTES
        for part in ("analyte", "grade", "collected_at")
    ),
)

# (patient id, analyte, lab result id, collected at, grade, last graded grade, its time)
LatestRow = tuple[int, str, int, datetime, int | None, int | None, datetime | None]
# a lab_summary row, columns as in _SUMMARY_COLUMNS
SummaryRow = tuple[Any, ...]


def _newest_id(pairs: Any, *, graded: bool) -> Any:
    """The id of the newest result not entered in error of the pair's patient and analyte
    (only among graded results when `graded`), ties in time going to the highest id: a
    subquery correlated with `pairs`."""
    candidate = _LAB.alias("graded_candidate" if graded else "candidate")
    conditions = [
        candidate.c.patient_id == pairs.c.patient_id,
        candidate.c.analyte == pairs.c.analyte,
        candidate.c.status != _WITHDRAWN,
    ]
    if graded:
        conditions.append(candidate.c.grade.is_not(None))
    return (
        select(candidate.c.id)
        .where(*conditions)
        .order_by(candidate.c.collected_at.desc(), candidate.c.id.desc())
        .limit(1)
        .correlate(pairs)
        .scalar_subquery()
    )


def latest_query(patient_ids: Sequence[int] | None = None) -> Select[Any]:
    """The latest result not entered in error of every (patient, analyte) present, computed from
    lab_results, with the pair's last graded result's grade and time; ties in collection time
    go to the highest id (the one stored last).

    One index search per pair on the identity index (uq_lab_results_identity: patient,
    analyte, collection time, value, comparator), read newest first, and one more for the last
    graded result (it stops at the first graded one); only results sharing the newest
    collection time are sorted by id. Far cheaper than a window function, which sorts every
    result. (The index this once read, ix_lab_results_patient_analyte_time, was dropped by
    migration 0004 as a prefix of the identity index.)
    """
    pairs_query = select(_LAB.c.patient_id, _LAB.c.analyte).distinct()
    if patient_ids is not None:
        pairs_query = pairs_query.where(_LAB.c.patient_id.in_(patient_ids))
    pairs = pairs_query.subquery("pairs")
    picked = select(
        pairs.c.patient_id,
        pairs.c.analyte,
        _newest_id(pairs, graded=False).label("lab_id"),
        _newest_id(pairs, graded=True).label("graded_id"),
    ).subquery("picked")
    graded = _LAB.alias("last_graded")
    return (
        select(
            _LAB.c.patient_id,
            _LAB.c.analyte,
            _LAB.c.id,
            _LAB.c.collected_at,
            _LAB.c.grade,
            graded.c.grade,
            graded.c.collected_at,
        )
        .select_from(picked)
        .join(_LAB, _LAB.c.id == picked.c.lab_id)
        .outerjoin(graded, graded.c.id == picked.c.graded_id)
    )


def summary_query(patient_ids: Sequence[int]) -> Select[Any]:
    """lab_summary rows of these patients from their lab_latest rows: the organ_grades rule in
    SQL (worst grade, then latest, then the analyte first in display order), one search per
    organ."""
    grouped_from = _LATEST
    per_organ = []
    for organ, codes in ORGAN_ANALYTES.items():
        entry = _LATEST.alias(f"{organ}_entry")
        per_organ.append(
            select(entry.c.analyte)
            .where(
                entry.c.patient_id == grouped_from.c.patient_id,
                entry.c.grade.is_not(None),
                entry.c.analyte.in_(codes),
            )
            .order_by(
                entry.c.grade.desc(),
                entry.c.collected_at.desc(),
                case({code: ORGAN_RANK[code] for code in codes}, value=entry.c.analyte),
            )
            .limit(1)
            .correlate(grouped_from)
            .scalar_subquery()
            .label(organ)
        )
    grouped = (
        select(
            grouped_from.c.patient_id,
            func.max(grouped_from.c.collected_at).label("last_lab_at"),
            *per_organ,
        )
        .where(grouped_from.c.patient_id.in_(patient_ids))
        .group_by(grouped_from.c.patient_id)
        .subquery("grouped")
    )
    joined: Any = grouped
    columns: list[Any] = [grouped.c.patient_id, grouped.c.last_lab_at]
    for organ in ORGAN_ANALYTES:
        chosen = _LATEST.alias(f"{organ}_chosen")
        joined = joined.outerjoin(
            chosen,
            and_(chosen.c.patient_id == grouped.c.patient_id, chosen.c.analyte == grouped.c[organ]),
        )
        columns += [chosen.c.analyte, chosen.c.grade, chosen.c.collected_at]
    return select(*columns).select_from(joined)


def _ids(patient_ids: Iterable[int]) -> list[int]:
    return sorted({int(i) for i in patient_ids})


def _lock(session: Session, chunk: Sequence[int]) -> None:
    """On PostgreSQL, waits for any other transaction refreshing these patients to commit.

    Under READ COMMITTED two writers could otherwise each compute the summary without the
    other's new results and the later commit would win with a stale row. Taken in id order, as
    a lock that still lets results be added for the patient (NO KEY UPDATE). SQLite writers are
    already one at a time, and SQLAlchemy renders nothing there.
    """
    session.execute(
        select(Patient.id)
        .where(Patient.id.in_(chunk))
        .order_by(Patient.id)
        .with_for_update(key_share=True)
    ).all()


def refresh_latest(session: Session, patient_ids: Iterable[int]) -> None:
    """Recomputes both summaries of these patients from their results, in the caller's
    transaction (pending ORM changes are flushed first so the statements see them)."""
    ids = _ids(patient_ids)
    if not ids:
        return
    session.flush()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        _lock(session, chunk)
        session.execute(delete(_SUMMARY).where(_SUMMARY.c.patient_id.in_(chunk)))
        session.execute(delete(_LATEST).where(_LATEST.c.patient_id.in_(chunk)))
        session.execute(insert(_LATEST).from_select(list(_LATEST_COLUMNS), latest_query(chunk)))
        session.execute(insert(_SUMMARY).from_select(list(_SUMMARY_COLUMNS), summary_query(chunk)))


def rebuild_latest(session: Session) -> None:
    """Recomputes the summaries of every patient (a database written outside the store)."""
    refresh_latest(session, session.scalars(select(Patient.id)))


def computed_rows(session: Session, patient_ids: Sequence[int] | None = None) -> set[LatestRow]:
    """What lab_latest should hold, from lab_results."""
    return {cast(LatestRow, tuple(row)) for row in session.execute(latest_query(patient_ids))}


def expected_summary(latest: Iterable[LatestRow]) -> set[SummaryRow]:
    """What lab_summary should hold for these lab_latest rows, by organ_grades in Python."""
    by_patient: dict[int, list[tuple[str, int | None, datetime]]] = defaultdict(list)
    for pid, analyte, _id, collected_at, grade, *_last_graded in latest:
        by_patient[pid].append((analyte, grade, collected_at))
    rows: set[SummaryRow] = set()
    for pid, results in by_patient.items():
        organs = organ_grades(results)
        row: list[Any] = [pid, max(at for _a, _g, at in results)]
        for organ in ORGAN_ANALYTES:
            graded = organs.get(organ)
            row += [None, None, None] if graded is None else list(_parts(graded))
        rows.add(tuple(row))
    return rows


def _parts(graded: OrganGrade) -> tuple[str, int, datetime]:
    return graded.analyte, graded.grade, graded.collected_at


def _stored(
    session: Session, table: Table, columns: Sequence[str], ids: Sequence[int] | None
) -> set[tuple[Any, ...]]:
    query = select(*(table.c[name] for name in columns))
    if ids is not None:
        query = query.where(table.c.patient_id.in_(ids))
    return {tuple(row) for row in session.execute(query)}


def stale_patients(session: Session, patient_ids: Sequence[int] | None = None) -> set[int]:
    """Patients whose lab_latest or lab_summary rows differ from what their results say now."""
    if patient_ids is not None and len(patient_ids) > CHUNK:
        found: set[int] = set()
        for start in range(0, len(patient_ids), CHUNK):
            found |= stale_patients(session, patient_ids[start : start + CHUNK])
        return found
    computed = computed_rows(session, patient_ids)
    latest = _stored(session, _LATEST, _LATEST_COLUMNS, patient_ids)
    summary = _stored(session, _SUMMARY, _SUMMARY_COLUMNS, patient_ids)
    differing = {row[0] for row in latest ^ computed}
    differing |= {row[0] for row in summary ^ expected_summary(computed)}
    return differing


def repair_latest(session: Session, suspects: Iterable[int]) -> list[int]:
    """Of the `suspects`, refreshes those still stale once their rows are locked (another
    workstation may have committed in between); returns them, sorted."""
    ids = _ids(suspects)
    stale: list[int] = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        _lock(session, chunk)
        stale += sorted(stale_patients(session, chunk))
    refresh_latest(session, stale)
    return stale
