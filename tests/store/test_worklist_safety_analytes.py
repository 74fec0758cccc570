"""The worklist's liver and glucose columns, its worst grade and its ungraded notes are the
irAE organs' alone: a grade 4 neutropenia, an ungraded eGFR or a held creatinine changes none
of them (clinical reference, decision 12 concerns the irAE organs)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from irae_desktop.store.lab_latest import refresh_latest
from irae_desktop.store.models import LabResult, Patient
from irae_desktop.store.worklist import worklist_rows

NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)


def _lab(
    pid: int, analyte: str, days_ago: int, grade: int | None, value: float, unit: str
) -> LabResult:
    return LabResult(
        patient_id=pid,
        analyte=analyte,
        collected_at=NOW - timedelta(days=days_ago),
        value=value,
        unit=unit,
        grade=grade,
        grade_reason=None if grade is not None else "not graded",
    )


def test_severe_cytopenia_leaves_the_worklist_grades_alone(db) -> None:  # type: ignore[no-untyped-def]
    with db.write() as s:
        irae_only = Patient(mrn="S-1", name="Liver Only")
        with_counts = Patient(mrn="S-2", name="Liver And Counts")
        s.add_all([irae_only, with_counts])
        s.flush()
        for p in (irae_only, with_counts):
            s.add_all(
                [
                    _lab(p.id, "ALT", 3, 1, 90.0, "U/L"),
                    _lab(p.id, "GLUCOSE", 3, 0, 100.0, "mg/dL"),
                ]
            )
        s.add_all(
            [
                _lab(with_counts.id, "ANC", 1, 4, 0.3, "10^3/µL"),
                _lab(with_counts.id, "ALC", 1, 4, 0.1, "10^3/µL"),
                _lab(with_counts.id, "PLT", 1, 4, 12.0, "10^3/µL"),
                _lab(with_counts.id, "CREAT", 1, 3, 4.0, "mg/dL"),
                _lab(with_counts.id, "EGFR", 1, None, 14.0, "mL/min/1.73 m²"),
            ]
        )
        refresh_latest(s, [irae_only.id, with_counts.id])
    with db.read() as s:
        rows = {r.mrn: r for r in worklist_rows(s, now=NOW)}
        reference = {r.mrn: r for r in worklist_rows(s, now=NOW, from_summary=False)}
    one, two = rows["S-1"], rows["S-2"]
    assert two.liver is not None and (two.liver.grade, two.liver.analyte) == (1, "ALT")
    assert two.glucose is not None and (two.glucose.grade, two.glucose.analyte) == (0, "GLUCOSE")
    assert two.worst_grade == one.worst_grade == 1
    assert (two.liver, two.glucose) == (one.liver, one.glucose)
    # no irAE organ reports the ungraded eGFR as its newest ungraded result
    assert (two.liver_ungraded, two.glucose_ungraded) == (None, None)
    # the newest lab is the counts' (a day ago): recency counts every result
    assert two.days_since_lab == 1 and one.days_since_lab == 3
    # the stored summary agrees with the rule worked out in Python
    assert rows == reference
