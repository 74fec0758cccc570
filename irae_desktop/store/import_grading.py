"""Grades imported rows before they are written, when nothing later in the file can change them;
patients whose baseline the file itself may move are listed for a regrade after the batch."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import attrgetter
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from irae_desktop.domain.baseline import BaselineOverride, select_baseline
from irae_desktop.domain.clinical_day import day_start, on_or_before
from irae_desktop.domain.series import (
    LabToGrade,
    grade_series,
    grade_without_baseline,
)
from irae_desktop.domain.units import convert
from irae_desktop.domain.utc import naive_utc
from irae_desktop.store.clinical_zone import team_zone
from irae_desktop.store.grading import (
    HELD,
    NOT_GRADED,
    GradingContext,
    StoredLab,
    grading_context,
    held_reason,
    patient_facts,
    prepare_lab,
    site_ranges,
    stored_lab_columns,
    stored_reason,
    team_criteria,
)
from irae_desktop.store.lab_insert_row import LabInsertRow
from irae_desktop.store.models import LabResult

# what a result is graded on when no baseline is in play, in _grade_alone's order
_kind_and_value = attrgetter(
    "analyte", "comparator", "unit", "original_unit", "lln", "uln", "value"
)
# entries each look-up cache may hold before it starts again
_CACHE_MAX = 50_000


@dataclass
class _Facts:
    """What a patient's grades depend on besides the results themselves."""

    sex: str
    first_ici_start: date | None
    overrides: dict[str, BaselineOverride]
    # per analyte, the stored result that is its baseline now (last on or before the start)
    baselines: list[LabToGrade] = field(default_factory=list)
    # with no ICI start and no override each result is graded alone: the grades of the kinds
    # and values seen so far for patients of this sex (shared between them), else None
    plain_memo: dict[tuple[Any, ...], tuple[int | None, str, str]] | None = None


class ImportGrader:
    """Gives rows about to be inserted their grade, criteria and reason, exactly as
    store.grading would.

    A row's grade depends on the row, the site ranges, the criteria set, the patient's sex,
    overrides and first ICI start, and the baseline: the last result on or before that start.
    All of these are fixed during an import except the baseline, which a row of the file
    dated on or before the start can move. Such patients go to `needs_regrade`; their rows
    are graded provisionally here and regraded when the batch is complete.
    """

    def __init__(self, session: Session, criteria_id: str | None = None):
        self.session = session
        self.criteria_id = criteria_id or team_criteria(session)
        self.zone = team_zone(session)
        self.sites = site_ranges(session)
        self.needs_regrade: set[int] = set()
        self._facts: dict[int, _Facts] = {}
        # shared between rows and patients: kinds of result and collection times (the plans
        # are the domain's one plan cache)
        self._contexts: dict[tuple[Any, ...], GradingContext] = {}
        self._times: dict[datetime, datetime] = {}
        # per sex: (kind and value) -> (grade, criteria, reason)
        self._memo: dict[str, dict[tuple[Any, ...], tuple[int | None, str, str]]] = {}

    def grade_rows(self, rows: Sequence[LabInsertRow]) -> list[LabInsertRow]:
        """The rows (patient ids resolved) in the same order, each with its grade, criteria and
        reason; a row given these already (see `grade_alone`) comes back as it is."""
        if len(self._times) > _CACHE_MAX:
            self._times.clear()
        if len(self._contexts) > _CACHE_MAX:
            self._contexts.clear()
        for shared in self._memo.values():
            if len(shared) > _CACHE_MAX:
                shared.clear()
        graded = list(rows)
        # where each row still to grade sits in `graded`
        ungraded: list[int] = []
        for at, row in enumerate(graded):
            if row.grade_criteria is not None:
                continue
            if row.status == HELD:
                # as store.grading writes it: no grade, no criteria, the reason
                graded[at] = row._replace(
                    grade=None, grade_reason=held_reason(row.analyte, row.value, row.comparator)
                )
                continue
            ungraded.append(at)
        if not ungraded:
            return graded
        facts_of = self._facts
        self._load(sorted({cast(int, graded[at].patient_id) for at in ungraded} - facts_of.keys()))
        with_baseline: dict[int, list[int]] = defaultdict(list)
        for at in ungraded:
            row = graded[at]
            pid = cast(int, row.patient_id)
            facts = facts_of[pid]
            memo = facts.plain_memo
            if memo is None:
                with_baseline[pid].append(at)
                continue
            # no ICI start and no override: each row is graded on its own (as in
            # grade_series), and results repeat (the same values of the same kind)
            grade, criteria, reason = self._remembered(memo, row, facts.sex)
            graded[at] = row._replace(grade=grade, grade_criteria=criteria, grade_reason=reason)
        for pid, places in with_baseline.items():
            self._grade_patient(pid, graded, places)
        return graded

    def _grade_patient(self, pid: int, graded: list[LabInsertRow], places: list[int]) -> None:
        """Grades the rows of one patient graded against a baseline (at `places` in `graded`)."""
        facts = self._facts[pid]
        start = facts.first_ici_start
        by_start = on_or_before(start, self.zone) if start is not None else None
        labs = list(facts.baselines)
        site_used: set[int] = set()
        times = self._times
        for position, at in enumerate(places):
            row = graded[at]
            moment = row.collected_at
            naive = times.get(moment)
            if naive is None:
                naive = times[moment] = naive_utc(moment)
            lab = StoredLab(
                id=-1 - position,  # not stored yet: negative, so it never meets a stored id
                patient_id=pid,
                analyte=row.analyte,
                collected_at=naive,
                value=row.value,
                comparator=row.comparator,
                unit=row.unit,
                original_unit=row.original_unit,
                lln=row.lln,
                uln=row.uln,
            )
            prepared, used = prepare_lab(lab, facts.sex, self.sites, self._contexts)
            labs.append(prepared)
            if used:
                site_used.add(prepared.id)
            if (
                by_start is not None
                and prepared.analyte not in facts.overrides
                and by_start(prepared.collected_at)
            ):
                self.needs_regrade.add(pid)  # this row may become the baseline
        grades = grade_series(
            labs,
            start,
            zone=self.zone,
            overrides=facts.overrides or None,
            criteria_id=self.criteria_id,
        )
        for position, at in enumerate(places):
            lab_id = -1 - position
            g = grades[lab_id]
            if g.is_baseline:
                self.needs_regrade.add(pid)
            graded[at] = graded[at]._replace(
                grade=g.grade,
                grade_criteria=g.criteria_id,
                grade_reason=stored_reason(g, lab_id in site_used),
            )

    def plain_sex(self, patient_id: int) -> tuple[bool, str | None]:
        """(whether the patient's facts are loaded yet, and if so: the sex a patient whose
        results are each graded alone, with no ICI start and no override, shares grades with;
        None for a patient graded against a baseline)."""
        facts = self._facts.get(patient_id)
        if facts is None:
            return False, None
        return True, facts.sex if facts.plain_memo is not None else None

    def grade_alone(self, row: LabInsertRow, sex: str) -> tuple[int | None, str, str]:
        """Grade, criteria and reason of a row for a patient of the sex `plain_sex` named. A
        row given these before `grade_rows` is left as it is."""
        return self._remembered(self._memo.setdefault(sex, {}), row, sex)

    def _remembered(
        self, memo: dict[tuple[Any, ...], tuple[int | None, str, str]], row: LabInsertRow, sex: str
    ) -> tuple[int | None, str, str]:
        key = _kind_and_value(row)
        graded = memo.get(key)
        if graded is None:
            graded = memo[key] = self._grade_alone((*key, sex))
        return graded

    def _grade_alone(self, key: tuple[Any, ...]) -> tuple[int | None, str, str]:
        code, comparator, unit, original_unit, lln, uln, value, sex = key
        context = grading_context(code, unit, original_unit, lln, uln, sex, self.sites)
        grading_unit, lln, uln, convert_from, used_site = context
        if convert_from is not None:
            value = convert(code, value, convert_from, grading_unit)
        g = grade_without_baseline(
            code,
            comparator or "",
            grading_unit,
            uln,
            lln,
            value,
            criteria_id=self.criteria_id,
        )
        return g.grade, g.criteria_id, stored_reason(g, used_site)

    def _load(self, ids: list[int]) -> None:
        if not ids:
            return
        sexes, starts, overrides = patient_facts(self.session, ids)
        for pid in ids:
            facts = _Facts(sexes.get(pid) or "", starts.get(pid), overrides.get(pid, {}))
            if facts.first_ici_start is None and not facts.overrides:
                facts.plain_memo = self._memo.setdefault(facts.sex, {})
            self._facts[pid] = facts
        for pid, start in starts.items():
            if start is not None:
                self._facts[pid].baselines = self._stored_baselines(pid, start)

    def _stored_baselines(self, pid: int, start: date) -> list[LabToGrade]:
        """The latest stored result per analyte collected on or before the start day (the
        clinical day in the team's zone: clinical reference, decision 10)."""
        facts = self._facts[pid]
        lab = LabResult.__table__.c
        cutoff = day_start(start + timedelta(days=1), self.zone)
        rows = self.session.execute(
            select(*stored_lab_columns(self.session)).where(
                lab.patient_id == pid,
                lab.collected_at < cutoff,
                lab.status.not_in(NOT_GRADED),
            )
        )
        prepared = [
            prepare_lab(StoredLab._make(row), facts.sex, self.sites, self._contexts)[0]
            for row in rows
        ]
        # the domain's own rule picks them, in the same zone as store.grading
        chosen = {b.result_id for b in select_baseline(prepared, start, zone=self.zone).values()}
        return [lab for lab in prepared if lab.id in chosen]
