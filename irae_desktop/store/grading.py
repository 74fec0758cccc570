"""(Re)grades stored lab results: baselines, site reference ranges and the team's criteria set."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, tzinfo
from functools import partial
from typing import Any, NamedTuple, cast

from sqlalchemy import (
    ColumnElement,
    DateTime,
    String,
    Table,
    bindparam,
    func,
    select,
    type_coerce,
    update,
)
from sqlalchemy.orm import Session

from irae_desktop.domain.baseline import BaselineOverride as DomainOverride
from irae_desktop.domain.criteria import (
    DEFAULT_CRITERIA,
    CriteriaError,
    grades_in_reported_unit,
    load_criteria,
)
from irae_desktop.domain.plausibility import review_reason
from irae_desktop.domain.records import ResultStatus
from irae_desktop.domain.series import REASON_MAX, LabToGrade, SeriesGrade, grade_series
from irae_desktop.domain.units import UnitError, convert, unit_for
from irae_desktop.domain.utc import naive_utc
from irae_desktop.store.clinical_zone import team_zone
from irae_desktop.store.errors import StoreError
from irae_desktop.store.lab_latest import refresh_latest
from irae_desktop.store.models import (
    AppSetting,
    BaselineOverride,
    LabResult,
    Patient,
    SiteReferenceRange,
    TreatmentLine,
)

CRITERIA_SETTING = "criteria_set"
_CHUNK = 400
SITE_NOTE = "; reference range: site default"
_LAB = cast(Table, LabResult.__table__)
WITHDRAWN = ResultStatus.ENTERED_IN_ERROR.value
# held for review: never graded, never a baseline, until confirmed (clinical reference,
# decision 11)
HELD = ResultStatus.NEEDS_REVIEW.value
# results that take no part in any patient's series
NOT_GRADED = (WITHDRAWN, HELD)

# how one kind of result is graded: unit, LLN and ULN to grade in, the canonical unit to
# convert the value from (None: graded as stored) and whether a site default filled a gap
GradingContext = tuple[str, float | None, float | None, str | None, bool]
Sites = dict[tuple[str, str], tuple[float | None, float | None]]


class StoredLab(NamedTuple):
    """A stored result's columns that its grade depends on, with the time as the database
    gives it (text on SQLite, a datetime on PostgreSQL: see naive_utc), then its status and
    the grade columns a regrade compares and rewrites (a row of the file being imported has
    none yet). One row type for both, made from a fetched row in one step: a regrade reads
    every stored result of its patients."""

    id: int
    patient_id: int
    analyte: str
    collected_at: Any
    value: float
    comparator: str | None
    unit: str
    original_unit: str
    lln: float | None
    uln: float | None
    status: str = ""
    grade: int | None = None
    grade_criteria: str | None = None
    grade_reason: str | None = None
    is_baseline: bool | None = None


class GradeChange(NamedTuple):
    """A result's new grade columns, in the order the UPDATE binds them."""

    grade: int | None
    grade_criteria: str | None
    grade_reason: str | None
    is_baseline: bool
    id: int


# a fetched row (of stored_lab_columns) as a StoredLab: _make without its length check (the
# select has the fields' length), all in C; a regrade makes one per stored result
_as_stored_lab = partial(tuple.__new__, StoredLab)


def stored_lab_columns(session: Session) -> list[ColumnElement[Any]]:
    """The columns to select for StoredLab, in its order. The time comes as stored: no per-row
    time zone work in SQLAlchemy (naive_utc does it)."""
    raw_time = type_coerce(_LAB.c.collected_at, String if _is_sqlite(session) else DateTime)
    return [raw_time if name == "collected_at" else _LAB.c[name] for name in StoredLab._fields]


def team_criteria(session: Session) -> str:
    """The team's criteria set id (AppSetting "criteria_set"), or the default."""
    raw = session.scalar(select(AppSetting.value_json).where(AppSetting.key == CRITERIA_SETTING))
    if raw is None:
        return DEFAULT_CRITERIA
    try:
        value = json.loads(raw)
        load_criteria(value)
    except (ValueError, TypeError, CriteriaError):
        return DEFAULT_CRITERIA  # a damaged setting must not stop grading
    return str(value)


def site_ranges(session: Session) -> Sites:
    rows = session.execute(
        select(
            SiteReferenceRange.analyte,
            SiteReferenceRange.sex,
            SiteReferenceRange.lln,
            SiteReferenceRange.uln,
        )
    )
    return {(a, s or ""): (lo, hi) for a, s, lo, hi in rows}


def _grading_unit(analyte: str, canonical: str, original_unit: str) -> str:
    """The unit to grade in: as reported where the thresholds exist in both unit systems
    (clinical reference, decision 8), else the canonical one."""
    if grades_in_reported_unit(analyte) and original_unit:
        try:
            return unit_for(analyte, original_unit)
        except UnitError:
            return canonical
    return canonical


def _to_unit(analyte: str, value: float | None, canonical: str, unit: str) -> float | None:
    if value is None or unit == canonical:
        return value
    return convert(analyte, value, canonical, unit)


def grading_context(
    code: str,
    unit: str,
    original_unit: str,
    lln: float | None,
    uln: float | None,
    sex: str,
    sites: Sites,
) -> GradingContext:
    used_site = False
    if uln is None or lln is None:
        site = sites.get((code, sex)) or sites.get((code, ""))
        if site is not None:
            if uln is None and site[1] is not None:
                uln, used_site = site[1], True
            if lln is None and site[0] is not None:
                lln, used_site = site[0], True
    if grades_in_reported_unit(code) and original_unit:
        try:
            canonical = unit_for(code, unit)
            reported = _grading_unit(code, canonical, original_unit)
            if reported != canonical:
                lln = _to_unit(code, lln, canonical, reported)
                uln = _to_unit(code, uln, canonical, reported)
                return reported, lln, uln, canonical, used_site
        except UnitError:
            pass  # the grader reports the bad unit as the reason
    return unit, lln, uln, None, used_site


def stored_reason(graded: SeriesGrade, used_site: bool) -> str:
    """The grade's reason as stored: saying so when a site default range was graded against."""
    if used_site and graded.grade is not None:
        return (graded.reason + SITE_NOTE)[:REASON_MAX]
    return graded.reason


def prepare_lab(
    stored: StoredLab,
    sex: str,
    sites: Sites,
    contexts: dict[tuple[Any, ...], GradingContext] | None = None,
) -> tuple[LabToGrade, bool]:
    """The result as the grader wants it, and whether a site default range filled a gap.
    `contexts` keeps the work shared by results of the same kind between calls."""
    code, unit, original_unit = stored.analyte, stored.unit, stored.original_unit
    key = (code, unit, original_unit, stored.lln, stored.uln, sex)
    context = contexts.get(key) if contexts is not None else None
    if context is None:
        context = grading_context(code, unit, original_unit, stored.lln, stored.uln, sex, sites)
        if contexts is not None:
            contexts[key] = context
    grading_unit, lln, uln, convert_from, used_site = context
    value = stored.value
    if convert_from is not None:
        value = convert(code, value, convert_from, grading_unit)
    at = naive_utc(stored.collected_at)
    comparator = stored.comparator or ""
    lab = LabToGrade(stored.id, code, at, value, comparator, grading_unit, uln, lln)
    return lab, used_site


def patient_facts(
    session: Session, ids: Sequence[int]
) -> tuple[dict[int, str | None], dict[int, date], dict[int, dict[str, DomainOverride]]]:
    """Sex, first ICI start and baseline overrides of these patients."""
    sexes = dict(session.execute(select(Patient.id, Patient.sex).where(Patient.id.in_(ids))).all())
    starts = dict(
        session.execute(
            select(TreatmentLine.patient_id, func.min(TreatmentLine.start_date))
            .where(TreatmentLine.patient_id.in_(ids), TreatmentLine.category == "ici")
            .group_by(TreatmentLine.patient_id)
        ).all()
    )
    overrides: dict[int, dict[str, DomainOverride]] = defaultdict(dict)
    for o in session.scalars(select(BaselineOverride).where(BaselineOverride.patient_id.in_(ids))):
        overrides[o.patient_id][o.analyte] = DomainOverride(o.analyte, o.value, o.uln, o.reason)
    return sexes, starts, overrides


def _grade_chunk(
    session: Session, ids: Sequence[int], criteria_id: str, zone: tzinfo
) -> list[GradeChange]:
    """The new grade of every result of these patients whose stored grade differs from the
    one it has now."""
    sexes, starts, overrides = patient_facts(session, ids)
    sites = site_ranges(session)
    query = select(*stored_lab_columns(session)).where(_LAB.c.patient_id.in_(ids))
    rows = session.execute(query).all()  # one fetchall, not a fetch per row
    by_patient: dict[int, list[StoredLab]] = defaultdict(list)
    for stored in map(_as_stored_lab, rows):
        by_patient[stored.patient_id].append(stored)
    changes: list[GradeChange] = []
    contexts: dict[tuple[Any, ...], GradingContext] = {}
    # (grade, criteria, reason, is baseline): GradeChange without the id
    withdrawn: tuple[int | None, str | None, str, bool] = (
        None,
        None,
        "entered in error: not graded",
        False,
    )
    for pid, patient_rows in by_patient.items():
        sex = sexes.get(pid) or ""
        labs: list[LabToGrade] = []
        site_used: set[int] = set()
        for stored in patient_rows:
            if stored.status not in NOT_GRADED:
                lab, used = prepare_lab(stored, sex, sites, contexts)
                labs.append(lab)
                if used:
                    site_used.add(lab.id)
        grades = grade_series(
            labs,
            starts.get(pid),
            zone=zone,
            overrides=overrides.get(pid),
            criteria_id=criteria_id,
        )
        for stored in patient_rows:
            lab_id = stored.id
            if stored.status == WITHDRAWN:
                new = withdrawn
            elif stored.status == HELD:
                new = (
                    None,
                    None,
                    held_reason(stored.analyte, stored.value, stored.comparator),
                    False,
                )
            else:
                g = grades[lab_id]
                reason = stored_reason(g, lab_id in site_used)
                new = (g.grade, g.criteria_id, reason, g.is_baseline)
            if new != (
                stored.grade,
                stored.grade_criteria,
                stored.grade_reason,
                bool(stored.is_baseline),
            ):
                changes.append(GradeChange(*new, lab_id))
    return changes


def held_reason(code: str, value: float, comparator: str | None) -> str:
    """The stored reason of a result held for review."""
    return review_reason(code, value, comparator or "")[:REASON_MAX]


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


# the drivers' placeholder for each parameter style this statement is written for
_MARKERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}
_UPDATE_SQL = (
    "UPDATE {1} SET grade = {0}, grade_criteria = {0}, grade_reason = {0}, "
    "is_baseline = {0} WHERE id = {0}"
)


def _write(session: Session, changes: list[GradeChange]) -> None:
    """One executemany of the changed rows, straight to the driver when its style is known."""
    connection = session.connection()
    style = connection.dialect.paramstyle
    marker = _MARKERS.get(style)
    if marker is not None:
        connection.exec_driver_sql(_UPDATE_SQL.format(marker, _LAB.name), changes)
        return
    statement = (
        update(_LAB)
        .where(_LAB.c.id == bindparam("b_id"))
        .values(
            grade=bindparam("b_grade"),
            grade_criteria=bindparam("b_criteria"),
            grade_reason=bindparam("b_reason"),
            is_baseline=bindparam("b_baseline"),
        )
    )
    connection.execute(
        statement,
        [
            {
                "b_grade": c.grade,
                "b_criteria": c.grade_criteria,
                "b_reason": c.grade_reason,
                "b_baseline": c.is_baseline,
                "b_id": c.id,
            }
            for c in changes
        ],
    )


def regrade_patients(
    session: Session, patient_ids: Iterable[int], criteria_id: str | None = None
) -> int:
    """Recomputes grade, criteria, reason and baseline flag of every result of these patients;
    writes only the rows that changed and returns how many did. Days (the baseline on or
    before the first ICI start) are clinical days in the team's zone. Runs in the caller's
    transaction; the caller commits.
    """
    ids = list(dict.fromkeys(int(i) for i in patient_ids))
    if not ids:
        return 0
    chosen = criteria_id or team_criteria(session)
    try:
        load_criteria(chosen)
    except CriteriaError as exc:
        raise StoreError(str(exc)) from exc
    zone = team_zone(session)
    session.flush()
    changed = 0
    for start in range(0, len(ids), _CHUNK):
        changes = _grade_chunk(session, ids[start : start + _CHUNK], chosen, zone)
        if changes:
            _write(session, changes)
            changed += len(changes)
            _expire_loaded(session, {c.id for c in changes})
    refresh_latest(session, ids)
    return changed


def regrade_all(session: Session, criteria_id: str | None = None) -> int:
    """Regrades every patient (after the team changes its criteria set or site ranges)."""
    return regrade_patients(session, list(session.scalars(select(Patient.id))), criteria_id)


def _expire_loaded(session: Session, lab_ids: set[int]) -> None:
    """Loaded LabResult objects must not keep showing the grades just replaced."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, LabResult) and obj.id in lab_ids:
            session.expire(obj, ["grade", "grade_criteria", "grade_reason", "is_baseline"])
