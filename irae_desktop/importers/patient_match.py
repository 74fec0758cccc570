"""Finds the patient for each row by MRN only; creates or updates patients from file demographics,
and refuses rows whose name or birth date contradicts the registry."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from irae_desktop.domain.records import PatientRecord, Sex
from irae_desktop.importers.raw import RawPatient
from irae_desktop.importers.timeparse import TimeTextError, parse_birth_date
from irae_desktop.store.errors import StoreError
from irae_desktop.store.models import Patient
from irae_desktop.store.patient_bulk import insert_patients, new_patient_values
from irae_desktop.store.patients import update_patient

# new patients wait in memory until their ids are needed, at most this many at a time
PENDING_LIMIT = 5000

_TOKEN = re.compile(r"[^\W_]+")
_SEX = {
    "f": Sex.FEMALE,
    "female": Sex.FEMALE,
    "w": Sex.FEMALE,
    "m": Sex.MALE,
    "male": Sex.MALE,
    "o": Sex.OTHER,
    "other": Sex.OTHER,
    "u": Sex.UNKNOWN,
    "unknown": Sex.UNKNOWN,
}


def name_tokens(name: str) -> frozenset[str]:
    return frozenset(t.lower() for t in _TOKEN.findall(name.replace("^", " ")))


def names_agree(stored: str, given: str) -> bool:
    """Same person if one name's words contain the other's (middle names and initials vary)."""
    a, b = name_tokens(stored), name_tokens(given)
    if not a or not b:
        return True
    return a <= b or b <= a


@dataclass
class KnownPatient:
    """A patient of the registry; `id` is 0 while a new patient waits to be inserted."""

    id: int
    name: str
    birth_date: date | None


class PatientResolver:
    """Per-batch cache of MRN -> patient, with the rules for creating and checking patients."""

    def __init__(self, session: Session, user: str, *, date_order: str = "auto"):
        self.session = session
        self.user = user
        self.date_order = date_order
        self._known: dict[str, KnownPatient | None] = {}
        # True once every stored patient is in _known: an absent MRN is then unknown
        self._complete = False
        self.created = 0
        self.updated = 0
        self.touched: set[int] = set()
        self._pending: list[tuple[KnownPatient, dict[str, object]]] = []

    def preload(self, limit: int = 200_000) -> None:
        """Reads every patient once when the registry is small, instead of one query per MRN."""
        count = self.session.scalar(select(func.count()).select_from(Patient)) or 0
        if count > limit:
            return
        for row in self.session.execute(
            select(Patient.mrn, Patient.id, Patient.name, Patient.birth_date)
        ):
            self._known[row[0]] = KnownPatient(row[1], row[2], row[3])
        self._complete = True

    def lookup(self, mrn: str) -> KnownPatient | None:
        if self._complete:
            return self._known.get(mrn)
        if mrn not in self._known:
            row = self.session.execute(
                select(Patient.id, Patient.name, Patient.birth_date).where(Patient.mrn == mrn)
            ).first()
            self._known[mrn] = KnownPatient(row[0], row[1], row[2]) if row else None
        return self._known[mrn]

    def birth_of(self, raw: RawPatient) -> date | None:
        """The birth date of `raw`; raises ValueError with a plain message for a bad one."""
        if raw.birth_date is not None:
            return raw.birth_date
        if not raw.birth_text:
            return None
        try:
            birth = parse_birth_date(raw.birth_text, date_order=self.date_order)
        except TimeTextError as exc:
            raise ValueError(f"{raw.birth_text!r} is not a valid birth date ({exc})") from exc
        if birth > date.today() or birth.year < 1880:
            raise ValueError(f"birth date {raw.birth_text!r} is not plausible")
        return birth

    def contradiction(self, known: KnownPatient, raw: RawPatient, birth: date | None) -> str:
        """Why the file's demographics cannot be this MRN's patient, or ""."""
        if raw.name and known.name and not names_agree(known.name, raw.name):
            return (
                f"wrong patient data: the file names MRN {raw.mrn} {raw.name!r} but the "
                f"registry has {known.name!r}; rows not imported"
            )
        if birth and known.birth_date and birth != known.birth_date:
            return (
                f"wrong patient data: the file gives MRN {raw.mrn} birth date {birth.isoformat()} "
                f"but the registry has {known.birth_date.isoformat()}; rows not imported"
            )
        return ""

    def _record(self, raw: RawPatient, birth: date | None) -> PatientRecord:
        weight = None
        if raw.weight_text:
            try:
                weight = float(raw.weight_text.replace(",", "."))
            except ValueError as exc:
                raise ValueError(f"weight {raw.weight_text!r} is not a number") from exc
        sex = _SEX.get(raw.sex.strip().lower()) if raw.sex else None
        return PatientRecord(
            mrn=raw.mrn,
            name=raw.name or None,
            birth_date=birth,
            sex=sex,
            weight_kg=weight,
            diagnosis=raw.diagnosis or None,
            source_ref=raw.ref,
        )

    def create(self, raw: RawPatient) -> KnownPatient:
        """A new patient from file demographics; ValueError/StoreError for unusable ones.

        The patient is checked now but inserted with others by `flush_pending`, which gives it
        its id: one statement for many new patients instead of several queries each.
        """
        birth = self.birth_of(raw)
        values = new_patient_values(self._record(raw, birth))
        known = KnownPatient(0, str(values["name"]), birth)
        self._known[raw.mrn] = known
        self._pending.append((known, values))
        self.created += 1
        if len(self._pending) >= PENDING_LIMIT:
            self.flush_pending()
        return known

    def flush_pending(self) -> None:
        """Inserts the patients created since the last call (audited) and fills in their ids."""
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        ids = insert_patients(self.session, [values for _, values in pending], user=self.user)
        for (known, _), patient_id in zip(pending, ids, strict=True):
            known.id = patient_id
        self.touched.update(ids)

    def touch(self, known: KnownPatient) -> None:
        """Marks the patient for regrading (new patients are marked when inserted)."""
        if known.id:
            self.touched.add(known.id)

    def apply_roster(self, raw: RawPatient) -> str:
        """Creates the patient or fills in what the registry lacks; returns "" or why not."""
        try:
            known = self.lookup(raw.mrn)
            if known is None:
                self.create(raw)
                return ""
            birth = self.birth_of(raw)
            problem = self.contradiction(known, raw, birth)
            if problem:
                return problem
            record = self._record(raw, birth)
            if not known.id:  # created from an earlier row of this file
                self.flush_pending()
            patient = self.session.get(Patient, known.id)
            assert patient is not None
            changes: dict[str, object] = {}
            if record.name and not patient.name:
                changes["name"] = record.name
            if record.birth_date and not patient.birth_date:
                changes["birth_date"] = record.birth_date
            if record.sex and not patient.sex:
                changes["sex"] = record.sex.value
            if record.weight_kg is not None and record.weight_kg != patient.weight_kg:
                changes["weight_kg"] = record.weight_kg
            if record.diagnosis and not patient.diagnosis:
                changes["diagnosis"] = record.diagnosis
            if changes:
                update_patient(
                    self.session,
                    patient.id,
                    expected_version=patient.version,
                    changes=changes,
                    user=self.user,
                    reason=f"roster import ({raw.ref})",
                )
                self._known[raw.mrn] = KnownPatient(patient.id, patient.name, patient.birth_date)
                self.updated += 1
            return ""
        except (ValueError, StoreError) as exc:
            return str(exc)
