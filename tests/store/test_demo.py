"""Demo patients: each one's story is really in the data, and adding them twice adds nothing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from irae_desktop.store.demo import add_demo_patients
from irae_desktop.store.models import AuditEvent, LabResult, Patient, TreatmentLine

ANCHOR = date(2026, 6, 1)


def _counts(db) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return (
            s.scalar(select(func.count()).select_from(Patient)) or 0,
            s.scalar(select(func.count()).select_from(LabResult)) or 0,
            s.scalar(select(func.count()).select_from(TreatmentLine)) or 0,
        )


def test_demo_is_idempotent(db) -> None:  # type: ignore[no-untyped-def]
    added = add_demo_patients(db, anchor=ANCHOR)
    assert added == ["DEMO-0001", "DEMO-0002", "DEMO-0003", "DEMO-0004", "DEMO-0005"]
    first = _counts(db)
    assert first[0] == 5 and first[1] > 100
    assert add_demo_patients(db, anchor=ANCHOR) == []
    assert _counts(db) == first
    with db.read() as s:
        assert all(p.is_synthetic for p in s.scalars(select(Patient)))
        # one event per patient and one per infection screen (3 for DEMO-0001, 3 for DEMO-0005)
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == 11


def _grades(db, mrn: str, analyte: str) -> list[tuple[float, int | None]]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        rows = s.execute(
            select(LabResult.value, LabResult.grade)
            .join(Patient)
            .where(Patient.mrn == mrn, LabResult.analyte == analyte)
            .order_by(LabResult.collected_at)
        ).all()
    return [(v, g) for v, g in rows]


def test_demo_stories_are_in_the_grades(db) -> None:  # type: ignore[no-untyped-def]
    add_demo_patients(db, anchor=ANCHOR)
    hep = _grades(db, "DEMO-0001", "ALT")
    assert max(g or 0 for _, g in hep) == 4  # reaches grade 4
    assert hep[-1][1] == 1  # back to grade 1 at the end
    diabetes = _grades(db, "DEMO-0002", "GLUCOSE")
    assert max(v for v, _ in diabetes) > 500 and max(g or 0 for _, g in diabetes) == 4
    mild = _grades(db, "DEMO-0003", "ALT")
    assert max(g or 0 for _, g in mild) == 1 and mild[-1][1] == 0
    # abnormal baseline 95 U/L: 305 U/L is 7.6 x ULN (would be grade 3) but 3.2 x baseline
    baseline = _grades(db, "DEMO-0004", "ALT")
    assert (305.0, 2) in baseline
    assert (131.0, 0) in baseline  # above ULN, below 1.5 x baseline: grade 0 under v5.0


def test_the_hepatitis_patient_was_screened_before_tofacitinib(db) -> None:  # type: ignore[no-untyped-def]
    from irae_desktop.store.patient_read import find_patient_id, read_patient

    add_demo_patients(db, anchor=ANCHOR)
    with db.read() as s:
        record = read_patient(s, find_patient_id(s, "DEMO-0001"))
        others = [
            read_patient(s, find_patient_id(s, mrn)).screenings
            for mrn in ("DEMO-0002", "DEMO-0003", "DEMO-0004")
        ]
    (tofacitinib,) = [t for t in record.treatments if t.agent == "tofacitinib"]
    # the line starts 23 days before the anchor (9 May 2026); the tests came before it
    assert tofacitinib.start == date(2026, 5, 9)
    assert [(r.test, r.taken_on, r.result) for r in record.screenings] == [
        ("hbsag", date(2026, 4, 29), "negative"),
        ("anti_hbc", date(2026, 4, 29), "negative"),
        ("tb_igra", date(2026, 5, 5), "negative"),
    ]
    assert others == [(), (), ()]
