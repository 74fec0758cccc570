"""Synthetic demonstration patients that show what the app is for; adding twice adds nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from irae_desktop.store.audit import record_event
from irae_desktop.store.database import Database
from irae_desktop.store.demo_data import (
    RANGES,
    DemoPatient,
    abnormal_baseline_patient,
    diabetes_patient,
    hepatitis_patient,
    mild_transaminitis_patient,
)
from irae_desktop.store.demo_jak_diabetes import jak_diabetes_patient
from irae_desktop.store.errors import ConstraintViolationError
from irae_desktop.store.models import (
    ConsultNote,
    DoseStep,
    IrAEEpisode,
    LabResult,
    Patient,
    TreatmentHold,
    TreatmentLine,
)
from irae_desktop.store.screenings import add_screening

DEMO_USER = "demo"
DEMO_SOURCE = "synthetic demonstration data"


def demo_patients() -> list[DemoPatient]:
    return [
        hepatitis_patient(),
        diabetes_patient(),
        mild_transaminitis_patient(),
        abnormal_baseline_patient(),
        jak_diabetes_patient(),
    ]


def _at(anchor: date, offset: int, hour: int = 7) -> datetime:
    return datetime.combine(anchor + timedelta(days=offset), time(hour, 30), tzinfo=UTC)


def _lab(patient_id: int, analyte: str, when: datetime, raw: float | str) -> LabResult:
    unit, lln, uln = RANGES[analyte]
    text = str(raw)
    comparator = ""
    if isinstance(raw, str):
        comparator = raw.rstrip("0123456789.")
        value = float(raw[len(comparator) :])
    else:
        value = float(raw)
    return LabResult(
        patient_id=patient_id,
        analyte=analyte,
        collected_at=when,
        value=value,
        comparator=comparator,
        unit=unit,
        original_text=text,
        original_unit=unit,
        lln=lln,
        uln=uln,
        status="final",
        source_file=DEMO_SOURCE,
        source_ref=f"demo:{analyte}:{when.date().isoformat()}",
    )


def _add_patient(db: Database, demo: DemoPatient, anchor: date) -> int:
    with db.write() as s:
        p = Patient(
            mrn=demo.mrn,
            name=demo.name,
            birth_date=demo.birth_date,
            sex=demo.sex,
            weight_kg=demo.weight_kg,
            diagnosis=demo.diagnosis,
            status="active",
            is_synthetic=True,
        )
        s.add(p)
        s.flush()
        for analyte, series in demo.labs.items():
            for offset, raw in series:
                s.add(_lab(p.id, analyte, _at(anchor, offset), raw))
        for spec in demo.lines:
            line = TreatmentLine(
                patient_id=p.id,
                category=spec.category,
                agent=spec.agent,
                dose=spec.dose,
                dose_unit=spec.dose_unit,
                frequency=spec.frequency,
                route=spec.route,
                start_date=anchor + timedelta(days=spec.start),
                stop_date=None if spec.stop is None else anchor + timedelta(days=spec.stop),
                indication=spec.indication,
                reason_stopped=spec.reason_stopped,
            )
            for offset, dose in spec.steps:
                line.dose_steps.append(
                    DoseStep(
                        start_date=anchor + timedelta(days=offset),
                        dose=dose,
                        dose_unit=spec.dose_unit,
                        frequency=spec.frequency,
                    )
                )
            for start, end, reason in spec.holds:
                line.holds.append(
                    TreatmentHold(
                        start_date=anchor + timedelta(days=start),
                        end_date=None if end is None else anchor + timedelta(days=end),
                        reason=reason,
                    )
                )
            s.add(line)
        for organ, onset, resolved, grade, status in demo.episodes:
            s.add(
                IrAEEpisode(
                    patient_id=p.id,
                    organ=organ,
                    onset=anchor + timedelta(days=onset),
                    resolution=None if resolved is None else anchor + timedelta(days=resolved),
                    grade=grade,
                    status=status,
                )
            )
        for offset, text, plan in demo.notes:
            s.add(
                ConsultNote(
                    patient_id=p.id,
                    written_at=_at(anchor, offset, 15),
                    author="Dr. Demo (synthetic)",
                    text=text,
                    plan=plan,
                )
            )
        s.flush()
        record_event(
            s,
            user=DEMO_USER,
            action="create",
            entity="patient",
            entity_id=p.id,
            patient_id=p.id,
            patient_mrn=p.mrn,
            reason="synthetic demonstration patient",
        )
        # through the screening store, as a typed or imported result would go: checked and
        # audited one by one
        for test, offset, result, note in demo.screenings:
            taken_on = anchor + timedelta(days=offset)
            add_screening(
                s,
                DEMO_USER,
                p.id,
                test=test,
                taken_on=taken_on,
                result=result,
                note=note,
                source=(None, DEMO_SOURCE, f"demo:{test}:{taken_on.isoformat()}"),
                reason="synthetic demonstration patient",
            )
        from irae_desktop.store.grading import regrade_patients

        regrade_patients(s, [p.id])
        return p.id


def add_demo_patients(db: Database, *, anchor: date | None = None) -> list[str]:
    """Adds the demonstration patients that are missing; returns the MRNs added."""
    anchor = anchor or datetime.now(UTC).date()
    with db.read() as s:
        present = set(s.scalars(select(Patient.mrn).where(Patient.mrn.like("DEMO-%"))))
    added: list[str] = []
    for demo in demo_patients():
        if demo.mrn in present:
            continue
        try:
            _add_patient(db, demo, anchor)
        except ConstraintViolationError:
            continue  # another workstation added it at the same moment
        added.append(demo.mrn)
    return added


def add_demo_if_empty(db: Database) -> list[str]:
    """Adds the synthetic demonstration patients to a database that has no patient yet (a
    first run); returns their MRNs, or [] when the database already had patients."""
    with db.read() as session:
        if session.scalar(select(Patient.id).limit(1)) is not None:
            return []
    return add_demo_patients(db)
