"""Results stored without a grade, found so they never hide (clinical reference, decision 12):
an import's count of them, and each patient's latest ungraded result per organ beside the last
graded one."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from irae_desktop.domain.analytes import ANALYTES
from irae_desktop.domain.records import ResultStatus
from irae_desktop.domain.ungraded import ungraded_advice, ungraded_label
from irae_desktop.domain.utc import aware_utc
from irae_desktop.store.lab_latest import CHUNK
from irae_desktop.store.models import LabLatest, LabResult
from irae_desktop.store.organs import ANALYTE_ORGAN, ORGAN_ANALYTES, OrganGrade, organ_grades

_LAB = cast(Table, LabResult.__table__)
_LATEST = cast(Table, LabLatest.__table__)
_GRADED_CODES = tuple(code for code, a in ANALYTES.items() if a.graded)
_WITHDRAWN = ResultStatus.ENTERED_IN_ERROR.value
_HELD = ResultStatus.NEEDS_REVIEW.value


class UngradedGroup(NamedTuple):
    """Results of one analyte an import stored without a grade for one kind of reason."""

    analyte: str
    label: str
    results: int
    example_reason: str

    def warning(self) -> str:
        return (
            f"{self.results} {self.analyte} result(s) stored without a grade ({self.label}): "
            f"{self.example_reason}. To grade them, {ungraded_advice(self.example_reason)}."
        )


def ungraded_in_batch(session: Session, batch_id: int) -> list[UngradedGroup]:
    """Results of an import batch that should have a grade and have none. Results held for
    review are left out: each already carries its own warning."""
    c = _LAB.c
    rows = session.execute(
        select(c.analyte, c.grade_reason, func.count())
        .where(
            c.batch_id == batch_id,
            c.grade.is_(None),
            c.analyte.in_(_GRADED_CODES),
            c.status.not_in((_WITHDRAWN, _HELD)),
        )
        .group_by(c.analyte, c.grade_reason)
    ).all()
    counts: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], str] = {}
    for analyte, reason, n in rows:
        key = (analyte, ungraded_label(reason))
        counts[key] += n
        examples.setdefault(key, reason or "no reason stored")
    return [
        UngradedGroup(analyte, label, n, examples[(analyte, label)])
        for (analyte, label), n in sorted(counts.items())
    ]


class LatestUngraded(NamedTuple):
    """An organ's latest result that has no grade, shown beside the organ's last graded one."""

    analyte: str
    collected_at: datetime
    label: str
    reason: str


class OrganView(NamedTuple):
    """Per organ: the worst of the last graded result of each analyte (None: none graded), and
    the latest ungraded result newer than that analyte's last graded one (None: none)."""

    graded: OrganGrade | None
    ungraded: LatestUngraded | None


def organ_views(
    session: Session, patient_ids: Sequence[int] | None = None
) -> dict[int, dict[str, OrganView]]:
    """For patients whose latest result of a liver or glucose analyte has no grade: their
    organs as decision 12 shows them. Patients not in the answer show lab_summary as it is.

    Reads lab_latest (kept by every write) for the ungraded latest results, then one index
    search per such pair for its last graded result.
    """
    lt = _LATEST.c
    query = select(lt.patient_id, lt.analyte, lt.lab_result_id).where(
        lt.grade.is_(None), lt.analyte.in_(tuple(ANALYTE_ORGAN))
    )
    if patient_ids is not None:
        found: dict[int, dict[str, OrganView]] = {}
        for start in range(0, len(patient_ids), CHUNK):
            chunk = list(patient_ids[start : start + CHUNK])
            found.update(_views(session, query.where(lt.patient_id.in_(chunk))))
        return found
    return _views(session, query)


def _views(session: Session, query: Any) -> dict[int, dict[str, OrganView]]:
    pairs = session.execute(query).all()
    if not pairs:
        return {}
    patients = sorted({pid for pid, _a, _id in pairs})
    c, lt = _LAB.c, _LATEST.c
    latest_graded: dict[tuple[int, str], tuple[str, int | None, datetime]] = {}
    ungraded_rows: dict[int, Any] = {}
    for start in range(0, len(patients), CHUNK):
        chunk = patients[start : start + CHUNK]
        # every latest row of these patients: the graded ones take part in the worst grade
        for pid, analyte, grade, at in session.execute(
            select(lt.patient_id, lt.analyte, lt.grade, lt.collected_at).where(
                lt.patient_id.in_(chunk), lt.analyte.in_(tuple(ANALYTE_ORGAN))
            )
        ).all():
            if grade is not None:
                latest_graded[(pid, analyte)] = (analyte, grade, aware_utc(at))
    ids = [lab_id for _pid, _a, lab_id in pairs]
    for start in range(0, len(ids), CHUNK):
        for row in session.execute(
            select(c.id, c.collected_at, c.grade_reason).where(c.id.in_(ids[start : start + CHUNK]))
        ).all():
            ungraded_rows[row[0]] = row
    for pid, analyte, _lab_id in pairs:
        last = session.execute(
            select(c.grade, c.collected_at)
            .where(
                c.patient_id == pid,
                c.analyte == analyte,
                c.grade.is_not(None),
                c.status != _WITHDRAWN,
            )
            .order_by(c.collected_at.desc(), c.id.desc())
            .limit(1)
        ).first()
        if last is not None:
            latest_graded[(pid, analyte)] = (analyte, last[0], aware_utc(last[1]))
    by_patient: dict[int, list[tuple[str, int | None, datetime]]] = defaultdict(list)
    for (pid, _analyte), graded in latest_graded.items():
        by_patient[pid].append(graded)
    newest: dict[tuple[int, str], LatestUngraded] = {}
    for pid, analyte, lab_id in pairs:
        stored = ungraded_rows.get(lab_id)
        if stored is None:
            continue
        reason = stored[2] or "no reason stored"
        entry = LatestUngraded(analyte, aware_utc(stored[1]), ungraded_label(reason), reason)
        key = (pid, ANALYTE_ORGAN[analyte])
        if key not in newest or entry.collected_at > newest[key].collected_at:
            newest[key] = entry
    out: dict[int, dict[str, OrganView]] = {}
    for pid in patients:
        organs = organ_grades(by_patient.get(pid, []))
        views: dict[str, OrganView] = {}
        for organ in ORGAN_ANALYTES:
            views[organ] = OrganView(organs.get(organ), newest.get((pid, organ)))
        out[pid] = views
    return out
