"""Builds a hepatitis patient like the demo one: labs, ICI with a hold, steroid taper, a note."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from irae_desktop.domain.records import PatientRecord, Sex
from irae_desktop.store.database import Database
from irae_desktop.store.models import ConsultNote, DoseStep, LabResult, TreatmentHold, TreatmentLine
from irae_desktop.store.patients import create_patient

ALT = [22, 31, 61, 262, 892, 910, 805, 433, 214, 121, 81, 52, 44]
DAYS = [-90, -60, -36, -33, -30, -29, -23, -21, -19, -16, -12, -6, -2]


def at(day: int, hour: int = 7) -> datetime:
    return datetime.combine(date.today() + timedelta(days=day), time(hour, 30), tzinfo=UTC)


def add_hepatitis_patient(db: Database, *, mrn: str = "T-0001", synthetic: bool = True) -> int:
    today = date.today()
    with db.write() as s:
        p = create_patient(
            s,
            PatientRecord(
                mrn=mrn,
                name="Ada Testcase",
                birth_date=date(1960, 5, 1),
                sex=Sex.FEMALE,
                weight_kg=70.0,
                diagnosis="Melanoma",
            ),
            user="tester",
            is_synthetic=synthetic,
        )
        for day, value in zip(DAYS, ALT, strict=True):
            grade = (
                0
                if value <= 40
                else 1
                if value <= 120
                else 2
                if value <= 200
                else 3
                if value <= 800
                else 4
            )
            s.add(
                LabResult(
                    patient_id=p.id,
                    analyte="ALT",
                    collected_at=at(day),
                    value=float(value),
                    unit="U/L",
                    original_text=str(value),
                    original_unit="U/L",
                    lln=7,
                    uln=40,
                    grade=grade,
                    grade_criteria="ctcae-5.0",
                    grade_reason=f"rule for {value}",
                    is_baseline=day == -90,
                    source_file="lab.csv",
                    source_ref=f"line {day + 100}",
                )
            )
            s.add(
                LabResult(
                    patient_id=p.id,
                    analyte="GLUCOSE",
                    collected_at=at(day),
                    value=100.0 + value / 10,
                    unit="mg/dL",
                    original_text="x",
                    original_unit="mg/dL",
                    lln=70,
                    uln=140,
                    source_file="lab.csv",
                    source_ref=f"line {day + 200}",
                )
            )
        s.add(
            LabResult(
                patient_id=p.id,
                analyte="TBILI",
                collected_at=at(-30),
                value=0.1,
                comparator="<",
                unit="mg/dL",
                original_text="<0.1",
                original_unit="mg/dL",
                lln=0.1,
                uln=1.2,
                source_file="lab.csv",
                source_ref="line 7",
            )
        )
        ici = TreatmentLine(
            patient_id=p.id,
            category="ici",
            agent="pembrolizumab",
            dose=200,
            dose_unit="mg",
            frequency="every 3 weeks",
            route="IV",
            start_date=today - timedelta(days=80),
        )
        for d in (80, 59, 38):
            ici.dose_steps.append(
                DoseStep(start_date=today - timedelta(days=d), dose=200, dose_unit="mg")
            )
        ici.holds.append(
            TreatmentHold(start_date=today - timedelta(days=33), reason="grade 3 hepatitis")
        )
        s.add(ici)
        pred = TreatmentLine(
            patient_id=p.id,
            category="immunosuppression",
            agent="prednisone",
            dose=70,
            dose_unit="mg",
            frequency="once daily",
            route="PO",
            start_date=today - timedelta(days=33),
        )
        pred.dose_steps.append(
            DoseStep(start_date=today - timedelta(days=10), dose=35, dose_unit="mg")
        )
        s.add(pred)
        s.add(
            ConsultNote(
                patient_id=p.id,
                written_at=at(-2, 15),
                author="Dr. Test",
                text="Improving.",
                plan="Taper prednisone to 20 mg.",
            )
        )
        s.flush()
        return p.id


def add_dense_patient(db: Database, *, n: int = 2000, mrn: str = "T-0002") -> int:
    """A patient with `n` ALT and `n` glucose results, one every six hours up to yesterday."""
    from sqlalchemy import insert

    start = datetime.combine(date.today(), time(0, 0), tzinfo=UTC) - timedelta(hours=6 * n)
    with db.write() as s:
        p = create_patient(
            s,
            PatientRecord(mrn=mrn, name="Dense Testcase", birth_date=date(1970, 1, 1)),
            user="tester",
            is_synthetic=True,
        )
        rows = [
            {
                "patient_id": p.id,
                "analyte": analyte,
                "collected_at": start + timedelta(hours=6 * i),
                "value": base + (i % 17),
                "unit": unit,
                "original_text": str(base + (i % 17)),
                "original_unit": unit,
                "lln": lln,
                "uln": uln,
                "source_file": "dense.csv",
                "source_ref": f"line {i}",
            }
            for i in range(n)
            for analyte, base, unit, lln, uln in (
                ("ALT", 20.0, "U/L", 7.0, 40.0),
                ("GLUCOSE", 90.0, "mg/dL", 70.0, 140.0),
            )
        ]
        s.execute(insert(LabResult), rows)
        return p.id
