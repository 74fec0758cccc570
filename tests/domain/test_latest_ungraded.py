"""Which ungraded result is shown beside the last grade (clinical reference, decision 12): one of
an analyte that has a CTCAE grade, newer than its last graded result, not after "now"."""

from __future__ import annotations

from datetime import UTC, datetime

from irae_desktop.domain.timeline import LabPoint, PatientTimeline
from irae_desktop.domain.ungraded import latest_ungraded

NO_RANGE = "no ULN reported and no site default"


def _lab(lab_id: int, analyte: str, day: int, grade: int | None, hour: int = 8) -> LabPoint:
    return LabPoint(
        id=lab_id,
        analyte=analyte,
        collected_at=datetime(2026, 3, day, hour, tzinfo=UTC),
        value=90.0,
        comparator="",
        unit="U/L",
        uln=None,
        lln=None,
        grade=grade,
        grade_reason=None if grade is None else f"grade {grade}",
        criteria_id=None,
        is_baseline=False,
        source=None,
    )


def _timeline(labs: list[LabPoint], held: list[LabPoint] | None = None) -> PatientTimeline:
    return PatientTimeline(
        1, "M", "N", None, None, None, labs, [], None, held_for_review=held or [], zone=UTC
    )


def test_an_analyte_without_a_ctcae_grade_is_never_the_latest_ungraded() -> None:
    # C-peptide has no CTCAE term: its results never have a grade and are not "ungraded"
    c_peptide = _lab(1, "CPEPTIDE", 1, None)
    alt = _lab(2, "ALT", 2, None)
    found = latest_ungraded(_timeline([c_peptide, alt]))
    assert {organ: lab.id for organ, lab in found.items()} == {"liver": 2}


def test_a_result_taken_at_now_counts_and_a_later_one_does_not_hide_older_ones() -> None:
    alt = _lab(1, "ALT", 5, None)
    assert latest_ungraded(_timeline([alt]), now=alt.collected_at)["liver"].id == 1
    future = _lab(2, "ALT", 10, None)
    held = _lab(3, "GLUCOSE", 2, None)  # held for review, taken before "now"
    found = latest_ungraded(_timeline([future], [held]), now=datetime(2026, 3, 5, tzinfo=UTC))
    assert {organ: lab.id for organ, lab in found.items()} == {"glucose": 3}


def test_an_ungraded_result_at_the_same_time_as_a_graded_one_is_not_newer() -> None:
    graded = _lab(1, "ALT", 4, 1)
    ungraded = _lab(2, "ALT", 4, None)  # same instant: not newer than the last grade
    assert latest_ungraded(_timeline([graded, ungraded])) == {}
    later = _lab(3, "ALT", 4, None, hour=9)
    assert latest_ungraded(_timeline([graded, ungraded, later]))["liver"].id == 3


def test_an_ungraded_result_drawn_at_the_same_moment_as_the_one_shown_does_not_replace_it() -> None:
    # ALT and AST drawn together, neither graded: the AST is not newer than the ALT
    alt = _lab(1, "ALT", 4, None)
    ast = _lab(2, "AST", 4, None)
    assert latest_ungraded(_timeline([alt, ast]))["liver"].id == 1
