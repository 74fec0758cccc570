"""The "needs review" alert for a result held back as beyond values reported in a living
patient (clinical reference, decision 11): one per held result, in full words."""

from __future__ import annotations

from dataclasses import replace

from irae_desktop.domain.alerts_review import needs_review
from irae_desktop.domain.timeline import LabPoint

from .builders import at, timeline


def _held(id: int, analyte: str, value: float, unit: str, reason: str | None) -> LabPoint:
    return LabPoint(
        id=id,
        analyte=analyte,
        collected_at=at(30),
        value=value,
        comparator=">",
        unit=unit,
        uln=None,
        lln=None,
        grade=None,
        grade_reason=reason,
        criteria_id=None,
        is_baseline=False,
        source="test",
    )


def test_a_held_result_raises_one_warning_in_full_words() -> None:
    held = _held(7, "ALT", 52000.0, "U/L", None)
    tl = replace(timeline([("ALT", 29, 35.0)]), held_for_review=[held])
    (alert,) = needs_review(tl)
    assert alert.key == "needs_review:7"
    assert alert.kind == "needs_review"
    assert alert.severity == "warning"
    assert alert.title == "Needs review: ALT >52000 U/L"
    assert alert.rule == (
        "ALT >52000 U/L is beyond values reported in a living patient; not graded"
    )
    assert alert.source == "clinical reference, decision 11"
    assert alert.evidence_at == at(30)
    assert alert.organ == "liver"


def test_the_reason_given_when_held_is_the_rule_and_an_unknown_analyte_is_other() -> None:
    held = _held(8, "XYZ", 0.5, "mg/L", "held: no living patient has had this value")
    tl = replace(timeline([]), held_for_review=[held])
    (alert,) = needs_review(tl)
    assert alert.rule == "held: no living patient has had this value"
    assert alert.organ == "other"
    assert alert.title == "Needs review: XYZ >0.5 mg/L"


def test_nothing_held_raises_nothing() -> None:
    assert needs_review(timeline([("ALT", 29, 35.0)])) == []
