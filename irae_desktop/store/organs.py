"""Which analytes speak for which organ on the worklist, and the worst current grade of each."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from irae_desktop.domain.analytes import GRADED_ORGANS, graded_analytes

# The graded analytes of each organ, from the one analyte table (clinical reference, sections
# 2 and 3); display order breaks ties between analytes (see organ_grades).
# The lab_summary table stores the result of this rule: changing the organ or grading of an
# analyte needs a migration that rebuilds the table (tests/store/test_lab_summary_migration.py
# checks the two agree).
ORGAN_ANALYTES: dict[str, tuple[str, ...]] = {
    organ: graded_analytes(organ) for organ in GRADED_ORGANS
}
ANALYTE_ORGAN = {a: organ for organ, codes in ORGAN_ANALYTES.items() for a in codes}
ORGAN_RANK = {a: rank for codes in ORGAN_ANALYTES.values() for rank, a in enumerate(codes)}


class OrganGrade(NamedTuple):
    grade: int
    analyte: str
    collected_at: datetime


def organ_grades(latest: Iterable[tuple[str, int | None, datetime]]) -> dict[str, OrganGrade]:
    """Per organ, the worst grade among one patient's latest results (analyte, grade, time).

    Equal grades go to the more recent result, then to the analyte listed first in
    ORGAN_ANALYTES, so the choice never depends on the order the results come in.
    """
    best: dict[str, tuple[tuple[int, datetime, int], OrganGrade]] = {}
    for analyte, grade, collected_at in latest:
        organ = ANALYTE_ORGAN.get(analyte)
        if organ is None or grade is None:
            continue
        key = (grade, collected_at, -ORGAN_RANK[analyte])
        current = best.get(organ)
        if current is None or key > current[0]:
            best[organ] = (key, OrganGrade(grade, analyte, collected_at))
    return {organ: graded for organ, (_key, graded) in best.items()}
