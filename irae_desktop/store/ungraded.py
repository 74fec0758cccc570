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
from irae_desktop.domain.criteria import CriteriaError, load_criteria
from irae_desktop.domain.records import ResultStatus
from irae_desktop.domain.ungraded import ungraded_advice, ungraded_label
from irae_desktop.store.lab_latest import CHUNK
from irae_desktop.store.models import LabLatest, LabResult
from irae_desktop.store.organs import ANALYTE_ORGAN, ORGAN_ANALYTES, OrganGrade, organ_grades

_LAB = cast(Table, LabResult.__table__)
_LATEST = cast(Table, LabLatest.__table__)
_GRADED_CODES = tuple(code for code, a in ANALYTES.items() if a.graded)
_ORGAN_CODES = tuple(ANALYTE_ORGAN)
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
    review are left out: each already carries its own warning; so are results of an analyte
    the criteria set they were graded under has no term for (ALC under CTCAE v6.0), which
    no action can grade."""
    c = _LAB.c
    rows = session.execute(
        select(c.analyte, c.grade_reason, c.grade_criteria, func.count())
        .where(
            c.batch_id == batch_id,
            c.grade.is_(None),
            c.analyte.in_(_GRADED_CODES),
            c.status.not_in((_WITHDRAWN, _HELD)),
        )
        .group_by(c.analyte, c.grade_reason, c.grade_criteria)
    ).all()
    counts: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], str] = {}
    for analyte, reason, criteria_id, n in rows:
        if not _has_term(analyte, criteria_id):
            continue
        key = (analyte, ungraded_label(reason))
        counts[key] += n
        examples.setdefault(key, reason or "no reason stored")
    return [
        UngradedGroup(analyte, label, n, examples[(analyte, label)])
        for (analyte, label), n in sorted(counts.items())
    ]


def _has_term(analyte: str, criteria_id: str | None) -> bool:
    """Whether the criteria set grades the analyte (an unknown or missing set: assume so)."""
    if not criteria_id:
        return True
    try:
        return analyte in load_criteria(criteria_id).terms
    except CriteriaError:
        return True


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

    Two statements (per 500 patients when ids are given): lab_latest (kept by every write)
    gives the ungraded latest results, each with its pair's last graded result, which the
    summary keeps too (a search of lab_results per pair cost a start-up with thousands of
    ungraded latest results 0.3 s); then the graded latest results of the same patients.
    """
    if patient_ids is None:
        return _views(session, None)
    found: dict[int, dict[str, OrganView]] = {}
    for start in range(0, len(patient_ids), CHUNK):
        found.update(_views(session, list(patient_ids[start : start + CHUNK])))
    return found


def _ungraded_latest(latest: Any, patient_ids: list[int] | None) -> list[Any]:
    """Conditions on lab_latest (or an alias of it) for its organ rows without a grade."""
    conditions = [latest.c.grade.is_(None), latest.c.analyte.in_(_ORGAN_CODES)]
    if patient_ids is not None:
        conditions.append(latest.c.patient_id.in_(patient_ids))
    return conditions


def _views(session: Session, patient_ids: list[int] | None) -> dict[int, dict[str, OrganView]]:
    lt = _LATEST.c
    ungraded = _LAB.alias("ungraded")
    pairs = session.execute(
        select(
            lt.patient_id,
            lt.analyte,
            ungraded.c.collected_at,
            ungraded.c.grade_reason,
            lt.last_graded_grade,
            lt.last_graded_at,
        )
        .select_from(_LATEST)
        .outerjoin(ungraded, ungraded.c.id == lt.lab_result_id)
        .where(*_ungraded_latest(_LATEST, patient_ids))
    ).all()
    if not pairs:
        return {}
    patients = sorted({pair[0] for pair in pairs})
    latest_graded: dict[tuple[int, str], tuple[str, int | None, datetime]] = {}
    # the graded latest results of the same patients take part in the worst grade
    others = _LATEST.alias("others")
    for pid, analyte, grade, at in session.execute(
        select(lt.patient_id, lt.analyte, lt.grade, lt.collected_at).where(
            lt.grade.is_not(None),
            lt.analyte.in_(_ORGAN_CODES),
            lt.patient_id.in_(
                select(others.c.patient_id).where(*_ungraded_latest(others, patient_ids))
            ),
        )
    ).all():
        latest_graded[(pid, analyte)] = (analyte, grade, at)
    for pid, analyte, _at, _reason, grade, graded_at in pairs:
        if graded_at is not None:
            latest_graded[(pid, analyte)] = (analyte, grade, graded_at)
    by_patient: dict[int, list[tuple[str, int | None, datetime]]] = defaultdict(list)
    for (pid, _analyte), graded in latest_graded.items():
        by_patient[pid].append(graded)
    newest: dict[tuple[int, str], LatestUngraded] = {}
    for pid, analyte, at, reason, _grade, _graded_at in pairs:
        if at is None:  # lab_latest names a result that is gone: nothing to show beside
            continue
        reason = reason or "no reason stored"
        entry = LatestUngraded(analyte, at, ungraded_label(reason), reason)
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
