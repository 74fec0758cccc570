"""Possible limits of each analyte and the verdict on a value (clinical reference, decision 11);
words for an ungraded result (decision 12)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from irae_desktop.domain.analytes import ANALYTES
from irae_desktop.domain.plausibility import Verdict, check_value
from irae_desktop.domain.timeline import LabPoint, PatientTimeline
from irae_desktop.domain.ungraded import latest_ungraded, saved_message, ungraded_label


@pytest.mark.parametrize(
    ("code", "value", "comparator", "verdict"),
    [
        ("GLUCOSE", 3279.0, "", Verdict.NEEDS_REVIEW),  # a wrong unit, measured
        ("GLUCOSE", 2000.0, "", Verdict.UNUSUAL),  # the limit itself is still possible
        ("GLUCOSE", 2000.5, "", Verdict.NEEDS_REVIEW),
        ("GLUCOSE", 2500.0, "<", Verdict.OK),  # "<2500" may be any smaller value
        ("GLUCOSE", 0.0, "", Verdict.IMPOSSIBLE),
        ("GLUCOSE", 0.0, ">", Verdict.OK),  # above zero: no judgement
        ("GLUCOSE", 120.0, "", Verdict.OK),
        ("ALT", -5.0, "", Verdict.IMPOSSIBLE),
        ("ALT", 0.0, "", Verdict.OK),
        ("ALT", 0.0, "<", Verdict.IMPOSSIBLE),  # nothing is below zero
        ("ALT", 12000.0, "", Verdict.UNUSUAL),
        ("ALT", 60000.0, "", Verdict.NEEDS_REVIEW),
        ("TBILI", 0.0, "", Verdict.OK),
        ("TBILI", 120.0, "", Verdict.NEEDS_REVIEW),
        ("HBA1C", 0.0, "", Verdict.IMPOSSIBLE),
        ("CPEPTIDE", 0.0, "", Verdict.OK),
    ],
)
def test_verdicts(code: str, value: float, comparator: str, verdict: Verdict) -> None:
    assert check_value(code, value, comparator).verdict is verdict


@pytest.mark.parametrize(
    ("code", "value", "comparator", "verdict"),
    [
        # limits from the analyte data: glucose 10-1000 mg/dL ordinary, up to 2000 possible,
        # never 0; ALT 0-10000 U/L ordinary
        ("GLUCOSE", 2500.0, "<=", Verdict.OK),  # "<=2500" may be any smaller value too
        ("GLUCOSE", 0.0, ">=", Verdict.OK),  # at least zero: no judgement
        ("GLUCOSE", 5.0, ">=", Verdict.OK),  # at least 5: may well be ordinary
        ("GLUCOSE", 5.0, "", Verdict.UNUSUAL),
        ("GLUCOSE", 10.0, "", Verdict.OK),  # the ordinary range includes its ends
        ("ALT", 10000.0, "", Verdict.OK),
        ("ALT", 10001.0, "", Verdict.UNUSUAL),
    ],
)
def test_verdicts_at_the_limits(code: str, value: float, comparator: str, verdict: Verdict) -> None:
    assert check_value(code, value, comparator).verdict is verdict


def test_reasons_of_zero_and_unusual_values_in_full() -> None:
    assert check_value("GLUCOSE", 0.0).reason == (
        "GLUCOSE 0 mg/dL cannot be true: glucose is never 0 in a living patient"
    )
    assert check_value("GLUCOSE", 5.0).reason == (
        "GLUCOSE 5 mg/dL is unusual (outside 10-1000 mg/dL) but possible; graded, please check"
    )


def test_reasons_name_value_and_limit() -> None:
    assert check_value("ALT", -5.0).reason == "ALT -5 U/L cannot be true: no result is negative"
    assert check_value("GLUCOSE", 3279.0).reason.startswith(
        "needs review: GLUCOSE 3279 mg/dL is above 2000 mg/dL"
    )
    assert check_value("GLUCOSE", 120.0).reason == ""


def test_every_analyte_has_ordered_limits_with_a_source() -> None:
    for analyte in ANALYTES.values():
        assert 0.0 <= analyte.plausible_low < analyte.plausible_high < analyte.possible_high
        assert len(analyte.limits_source) > 20, analyte.code
    assert not ANALYTES["GLUCOSE"].zero_possible and not ANALYTES["HBA1C"].zero_possible
    assert ANALYTES["ALT"].zero_possible and ANALYTES["TBILI"].zero_possible
    assert ANALYTES["GLUCOSE"].possible_high == 2000.0


def test_labels_of_ungraded_reasons() -> None:
    assert ungraded_label("ALT 90 U/L: no ULN reported and no site default: not graded") == (
        "no range"
    )
    assert ungraded_label("needs review: GLUCOSE 3279 mg/dL is above 2000 mg/dL") == (
        "needs review"
    )
    assert ungraded_label("GLUCOSE 200 mg/dL: non-fasting: below the grade 3 threshold") == (
        "non-fasting"
    )


def test_saved_message_never_says_graded_without_a_grade() -> None:
    ungraded = saved_message(None, "ALT 90 U/L: no ULN reported and no site default: not graded")
    assert ungraded == (
        "Lab result saved WITHOUT a grade (no range): ALT 90 U/L: no ULN reported and no site "
        "default: not graded. To grade it, set your laboratory's reference ranges in Settings "
        "(or with 'irae-desktop ranges import')."
    )
    assert saved_message(2, "ALT 150 U/L = 3.8 x ULN (40): grade 2, CTCAE v5.0").startswith(
        "Lab result saved and graded: grade 2"
    )


def _point(lab_id: int, analyte: str, day: int, grade: int | None, reason: str) -> LabPoint:
    return LabPoint(
        id=lab_id,
        analyte=analyte,
        collected_at=datetime(2026, 3, day, 8, tzinfo=UTC),
        value=90.0,
        comparator="",
        unit="U/L",
        uln=None,
        lln=None,
        grade=grade,
        grade_reason=reason,
        criteria_id=None,
        is_baseline=False,
        source=None,
    )


def test_latest_ungraded_only_when_newer_than_the_last_graded() -> None:
    older_ungraded = _point(1, "ALT", 1, None, "no ULN reported and no site default")
    graded = _point(2, "ALT", 2, 1, "grade 1")
    timeline = PatientTimeline(
        1, "M", "N", None, None, None, [older_ungraded, graded], [], None, zone=UTC
    )
    assert latest_ungraded(timeline) == {}
    newer = _point(3, "AST", 3, None, "no ULN reported and no site default")
    held = _point(4, "GLUCOSE", 2, None, "needs review: GLUCOSE 3279 mg/dL")
    timeline = PatientTimeline(
        1,
        "M",
        "N",
        None,
        None,
        None,
        [older_ungraded, graded, newer],
        [],
        None,
        held_for_review=[held],
        zone=UTC,
    )
    found = latest_ungraded(timeline)
    assert (found["liver"].id, found["glucose"].id) == (3, 4)
