"""Builds patients straight into the store for report tests, with the grades stated explicitly."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from irae_desktop.store.models import (
    ConsultNote,
    DoseStep,
    IrAEEpisode,
    LabResult,
    Patient,
    TreatmentHold,
    TreatmentLine,
)

NOW = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
TODAY = NOW.date()

RANGES = {
    "ALT": ("U/L", 7.0, 40.0),
    "AST": ("U/L", 10.0, 40.0),
    "TBILI": ("mg/dL", 0.1, 1.2),
    "ALP": ("U/L", 40.0, 120.0),
    "GLUCOSE": ("mg/dL", 70.0, 140.0),
    "CPEPTIDE": ("ng/mL", 0.8, 3.1),
}


def at(days_before: int, hour: int = 7) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_before), time(hour, 15), tzinfo=UTC)


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def add_patient(
    session: Session,
    mrn: str,
    name: str,
    *,
    birth: date = date(1960, 5, 4),
    synthetic: bool = False,
    status: str = "active",
    weight: float | None = 70.0,
) -> Patient:
    patient = Patient(
        mrn=mrn,
        name=name,
        birth_date=birth,
        sex="F",
        weight_kg=weight,
        diagnosis="Metastatic melanoma",
        status=status,
        is_synthetic=synthetic,
    )
    session.add(patient)
    session.flush()
    return patient


def add_lab(
    session: Session,
    patient: Patient,
    analyte: str,
    days_before: int,
    value: float,
    grade: int | None,
    *,
    comparator: str = "",
    status: str = "final",
    hour: int = 7,
) -> LabResult:
    unit, lln, uln = RANGES[analyte]
    lab = LabResult(
        patient_id=patient.id,
        analyte=analyte,
        collected_at=at(days_before, hour),
        value=value,
        comparator=comparator,
        unit=unit,
        original_text=f"{comparator}{value}",
        original_unit=unit,
        lln=lln,
        uln=uln,
        status=status,
        grade=grade,
        grade_criteria="ctcae-5.0" if grade is not None else None,
        grade_reason="test grade" if grade is not None else None,
        source_file="test",
    )
    session.add(lab)
    return lab


def add_line(
    session: Session,
    patient: Patient,
    category: str,
    agent: str,
    dose: float,
    unit: str,
    start: int,
    stop: int | None = None,
    *,
    frequency: str = "once daily",
    steps: Sequence[tuple[int, float]] = (),
    holds: Sequence[tuple[int, int | None, str]] = (),
    reason_stopped: str | None = None,
) -> TreatmentLine:
    line = TreatmentLine(
        patient_id=patient.id,
        category=category,
        agent=agent,
        dose=dose,
        dose_unit=unit,
        frequency=frequency,
        route="PO",
        start_date=day(start),
        stop_date=None if stop is None else day(stop),
        indication="hepatitis",
        reason_stopped=reason_stopped,
    )
    for offset, amount in steps:
        line.dose_steps.append(
            DoseStep(start_date=day(offset), dose=amount, dose_unit=unit, frequency=frequency)
        )
    for h0, h1, why in holds:
        line.holds.append(
            TreatmentHold(start_date=day(h0), end_date=None if h1 is None else day(h1), reason=why)
        )
    session.add(line)
    return line


def add_episode(
    session: Session, patient: Patient, organ: str, onset: int, grade: int, status: str = "active"
) -> None:
    session.add(
        IrAEEpisode(
            patient_id=patient.id, organ=organ, onset=day(onset), grade=grade, status=status
        )
    )


def add_plan(session: Session, patient: Patient, days_before: int, plan: str) -> None:
    session.add(
        ConsultNote(
            patient_id=patient.id,
            written_at=at(days_before, 16),
            author="Dr. Test",
            text="note",
            plan=plan,
        )
    )


def hepatitis_patient(
    session: Session, mrn: str = "MRN-100", name: str = "Zoë Ångström", *, synthetic: bool = False
) -> Patient:
    """Grade 4 hepatitis now improving on a prednisone taper with MMF; pembrolizumab stopped."""
    p = add_patient(session, mrn, name, synthetic=synthetic)
    alt = [(40, 30, 0), (20, 260, 3), (12, 892, 4), (6, 301, 3), (2, 98, 2), (1, 61, 1)]
    for days_before, value, grade in alt:
        add_lab(session, p, "ALT", days_before, value, grade)
    add_lab(session, p, "AST", 1, 55, 1)
    add_lab(session, p, "TBILI", 12, 2.6, 2)
    add_lab(session, p, "TBILI", 1, 0.1, 0, comparator="<")
    add_line(
        session,
        p,
        "ici",
        "pembrolizumab",
        200,
        "mg",
        -60,
        -12,
        frequency="every 3 weeks",
        steps=[(-60, 200), (-39, 200), (-18, 200)],
        holds=[(-20, -12, "grade 3 hepatitis")],
        reason_stopped="grade 4 hepatitis",
    )
    add_line(
        session,
        p,
        "immunosuppression",
        "methylprednisolone",
        140,
        "mg",
        -12,
        -5,
        reason_stopped="oral taper",
    )
    add_line(
        session,
        p,
        "immunosuppression",
        "prednisone",
        60,
        "mg",
        -5,
        steps=[(-5, 60), (-1, 40), (6, 30)],
    )
    add_line(
        session,
        p,
        "immunosuppression",
        "mycophenolate mofetil",
        1000,
        "mg",
        -8,
        frequency="twice daily",
    )
    add_episode(session, p, "hepatitis", -20, 4, "improving")
    add_plan(session, p, 3, "Old plan that must not be shown.")
    add_plan(session, p, 1, "Taper prednisone to 30 mg; LFTs twice weekly; no ICI rechallenge.")
    session.flush()
    return p
