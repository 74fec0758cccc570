"""Writes imported screening results, one row at a time inside the import's transaction: checked
as a typed result is, a result already stored counted as a duplicate, one that contradicts a
stored result refused (never overwritten), and one a clinician deleted left deleted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from irae_desktop.domain.screening_names import screening_label
from irae_desktop.store.models import Patient, ScreeningResult
from irae_desktop.store.screenings import (
    add_screening,
    clinical_today,
    screening_problem,
    standing_result,
)

IMPORTED, DUPLICATE, REFUSED = "imported", "duplicate", "refused"


@dataclass(frozen=True, slots=True)
class ScreeningTaken:
    """What became of one imported result: IMPORTED, DUPLICATE (already stored, or deleted by a
    clinician: `warning` says so) or REFUSED (`reason` says why)."""

    outcome: str
    reason: str = ""
    warning: str = ""


@dataclass(frozen=True, slots=True)
class ScreeningPatient:
    id: int
    birth_date: date | None


class ScreeningWriter:
    """The screening results of one import batch."""

    def __init__(self, session: Session, user: str, batch_id: int | None, source_file: str):
        self.session = session
        self.user = user
        self.batch_id = batch_id
        self.source_file = source_file
        self.today = clinical_today(session)
        self._patients: dict[str, ScreeningPatient | None] = {}
        self.imported = 0

    def patient(self, mrn: str) -> ScreeningPatient | None:
        """The stored patient with `mrn`, or None."""
        key = mrn.strip()
        if key not in self._patients:
            found = self.session.execute(
                select(Patient.id, Patient.birth_date).where(Patient.mrn == key)
            ).first()
            self._patients[key] = ScreeningPatient(found[0], found[1]) if found else None
        return self._patients[key]

    def take(
        self,
        patient: ScreeningPatient,
        *,
        test: str,
        taken_on: date,
        result: str,
        note: str | None,
        ref: str,
    ) -> ScreeningTaken:
        values = {"test": test, "taken_on": taken_on, "result": result, "note": note}
        problem = screening_problem(values, self.today, patient.birth_date)
        if problem is not None:
            return ScreeningTaken(REFUSED, reason=problem)
        label = f"{screening_label(test)} of {taken_on.isoformat()}"
        stored = standing_result(self.session, patient.id, test, taken_on)
        if stored is not None:
            if stored.result == result:
                return ScreeningTaken(DUPLICATE)
            return ScreeningTaken(
                REFUSED,
                reason=f"{label} is stored as {stored.result} and the file says {result}; the "
                "stored result was left as it is (correct it in the patient view if the file "
                "is right)",
            )
        deleted = self._deleted(patient.id, test, taken_on, result)
        if deleted is not None:
            why = f" ({deleted.deleted_reason})" if deleted.deleted_reason else ""
            return ScreeningTaken(
                DUPLICATE, warning=f"{label} ({result}) was deleted{why} and is left deleted"
            )
        add_screening(
            self.session,
            self.user,
            patient.id,
            test=test,
            taken_on=taken_on,
            result=result,
            note=note,
            source=(self.batch_id, self.source_file, ref),
            reason=f"imported from {self.source_file}, {ref}",
        )
        self.imported += 1
        return ScreeningTaken(IMPORTED)

    def _deleted(
        self, patient_id: int, test: str, taken_on: date, result: str
    ) -> ScreeningResult | None:
        return self.session.scalars(
            select(ScreeningResult)
            .where(
                ScreeningResult.patient_id == patient_id,
                ScreeningResult.test == test,
                ScreeningResult.taken_on == taken_on,
                ScreeningResult.result == result,
                ScreeningResult.standing.is_(None),
            )
            .order_by(ScreeningResult.id.desc())
        ).first()
