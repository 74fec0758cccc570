"""The worklist summary: current grade per organ from the latest results, ICI status, recency."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from irae_desktop.store.lab_latest import refresh_latest
from irae_desktop.store.models import LabResult, Patient, TreatmentHold, TreatmentLine
from irae_desktop.store.worklist import worklist_rows

NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)


def _lab(pid: int, analyte: str, days_ago: int, grade: int | None, value: float = 1.0) -> LabResult:
    return LabResult(
        patient_id=pid,
        analyte=analyte,
        collected_at=NOW - timedelta(days=days_ago),
        value=value,
        unit="U/L",
        grade=grade,
    )


def test_current_grade_is_from_latest_result_not_the_worst_ever(db) -> None:  # type: ignore[no-untyped-def]
    with db.write() as s:
        p = Patient(mrn="W-1", name="Worklist One")
        q = Patient(mrn="W-2", name="Worklist Two")
        s.add_all([p, q])
        s.flush()
        s.add_all(
            [
                _lab(p.id, "ALT", 10, 4, 900.0),  # old peak
                _lab(p.id, "ALT", 2, 1, 60.0),  # current
                _lab(p.id, "TBILI", 3, 2),  # current bilirubin grade 2 wins for liver
                _lab(p.id, "GLUCOSE", 1, 0),
                _lab(p.id, "CPEPTIDE", 1, None),  # never graded, not an organ analyte here
            ]
        )
        s.add(
            TreatmentLine(
                patient_id=p.id, category="ici", agent="pembrolizumab", start_date=date(2026, 1, 1)
            )
        )
        held = TreatmentLine(
            patient_id=q.id, category="ici", agent="nivolumab", start_date=date(2026, 2, 1)
        )
        held.holds.append(TreatmentHold(start_date=date(2026, 6, 1)))
        s.add(held)
        refresh_latest(s, [p.id, q.id])  # written past the store's write paths
    with db.read() as s:
        rows = {r.mrn: r for r in worklist_rows(s, now=NOW)}
    one = rows["W-1"]
    assert one.liver is not None and (one.liver.grade, one.liver.analyte) == (2, "TBILI")
    assert one.glucose is not None and one.glucose.grade == 0
    assert one.worst_grade == 2
    assert one.ici_agent == "pembrolizumab" and one.ici_status == "on"
    assert one.last_lab_at == NOW - timedelta(days=1) and one.days_since_lab == 1
    two = rows["W-2"]
    assert two.ici_status == "held" and two.liver is None and two.last_lab_at is None


def test_stopped_ici_and_empty_database(db) -> None:  # type: ignore[no-untyped-def]
    with db.read() as s:
        assert worklist_rows(s, now=NOW) == []
    with db.write() as s:
        p = Patient(mrn="W-3", name="Three")
        s.add(p)
        s.flush()
        s.add(
            TreatmentLine(
                patient_id=p.id,
                category="ici",
                agent="ipilimumab",
                start_date=date(2026, 1, 1),
                stop_date=date(2026, 5, 1),
            )
        )
    with db.read() as s:
        (row,) = worklist_rows(s, now=NOW)
    assert row.ici_status == "stopped"
