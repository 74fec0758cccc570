"""Timelines for the treatment safety tests: results built as stored records in the canonical
unit of their analyte (a count in 10^3/µL, hemoglobin in g/dL), days counted from DAY0 as in
tests/domain/builders.py. Values reported in SI units are converted by the tests themselves,
with the literal factors of the clinical reference (section 6)."""

from __future__ import annotations

from datetime import UTC, date

from irae_desktop.domain.timeline import (
    LabPoint,
    PatientTimeline,
    ScreeningPoint,
    TreatmentSpan,
    first_ici_start,
)

from .builders import at, d, line

UNITS = {
    "ALC": "10^3/µL",
    "ANC": "10^3/µL",
    "PLT": "10^3/µL",
    "HGB": "g/dL",
    "CREAT": "mg/dL",
    "EGFR": "mL/min/1.73 m²",
    "CHOL": "mg/dL",
    "LDL": "mg/dL",
    "TRIG": "mg/dL",
    "GLUCOSE": "mg/dL",
    "CPEPTIDE": "ng/mL",
    "BHB": "mmol/L",
    "ALT": "U/L",
}
ULN = {"GLUCOSE": 140.0, "CPEPTIDE": 4.4, "BHB": 0.4, "ALT": 40.0}

Spec = tuple[str, int, float] | tuple[str, int, float, str]


def results(specs: list[Spec], *, first_id: int = 1, hour: int = 8) -> list[LabPoint]:
    """(analyte, day, value[, comparator]) in the canonical unit; ids in the order given."""
    labs = []
    for n, spec in enumerate(specs, start=first_id):
        analyte, day, value = spec[0], spec[1], spec[2]
        labs.append(
            LabPoint(
                id=n,
                analyte=analyte,
                collected_at=at(day, hour),
                value=value,
                comparator=spec[3] if len(spec) > 3 else "",
                unit=UNITS[analyte],
                uln=ULN.get(analyte),
                lln=None,
                grade=None,
                grade_reason=None,
                criteria_id=None,
                is_baseline=False,
                source="test",
            )
        )
    return sorted(labs, key=lambda p: (p.collected_at, p.id))


def screen(id: int, test: str, day: int, result: str) -> ScreeningPoint:
    return ScreeningPoint(id=id, test=test, taken_on=d(day), result=result)


def patient(
    specs: list[Spec],
    treatments: list[TreatmentSpan],
    *,
    screenings: list[ScreeningPoint] | None = None,
    sex: str | None = "F",
    birth_date: date | None = date(1960, 1, 1),
    weight_kg: float | None = 70.0,
    status: str = "active",
) -> PatientTimeline:
    return PatientTimeline(
        patient_id=1,
        mrn="S-1",
        name="Safety Patient",
        weight_kg=weight_kg,
        sex=sex,
        birth_date=birth_date,
        labs=results(specs),
        treatments=list(treatments),
        first_ici_start=first_ici_start(treatments),
        screenings=list(screenings or []),
        status=status,
        zone=UTC,
    )


def jak(id: int, agent: str, start: int, stop: int | None = None, **kw: object) -> TreatmentSpan:
    return line(
        id,
        "immunosuppression",
        agent,
        start,
        stop,
        dose=5,
        dose_unit="mg",
        frequency="twice daily",
        **kw,
    )  # type: ignore[arg-type]
