"""Screening results found in a laboratory export (CSV, HL7 v2 or FHIR): a row coded with the
LOINC code of a qualitative screening test (domain/screening_names.SCREENING_LOINC) and a result
word is stored as a screening result rather than skipped as a test the program does not track.

The code says the test is qualitative, so a value that is not a result word ("0.12", a titre)
is rejected with its line rather than guessed at. The result counts on the clinical day of its
collection time. A preliminary result waits for the final one (it is rejected, saying so), and
a row whose MRN no patient has is rejected as in a file of screening results: screening results
are not held for assignment. Rows named but not coded as screening tests are left to the lab
import, which counts them as not tracked."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, tzinfo

from irae_desktop.domain.clinical_day import clinical_day
from irae_desktop.domain.screening_names import (
    result_words_hint,
    screening_label,
    screening_result,
    screening_test_for_code,
)
from irae_desktop.importers.patient_match import KnownPatient
from irae_desktop.importers.raw import RawResult
from irae_desktop.importers.screening_service import unknown_patient
from irae_desktop.importers.summary import ImportSummary
from irae_desktop.importers.timeparse import TimeTextError, parse_datetime_text
from irae_desktop.store.screening_import import (
    DUPLICATE,
    IMPORTED,
    ScreeningPatient,
    ScreeningWriter,
)

_LOINC = re.compile(r"^\d{1,7}-\d$")
_FINAL = ("final", "corrected")
# the patient of a row: a known patient, the reason the row is refused, or None when unknown
PatientOf = Callable[[RawResult], KnownPatient | str | None]


def screening_code(raw: RawResult) -> str | None:
    """The screening test a row's standard code names, or None."""
    if not raw.code or not (raw.code_is_standard or _LOINC.match(raw.code)):
        return None
    return screening_test_for_code(raw.code)


def result_of(text: str) -> str | None:
    """The result a value cell means: the whole text, else one of an HL7 coded value's parts
    ("260385009^Negative^SCT")."""
    found = screening_result(text)
    if found is not None:
        return found
    parts = [screening_result(part) for part in text.split("^") if part.strip()]
    words = {part for part in parts if part is not None}
    return words.pop() if len(words) == 1 else None


class CodedScreenings:
    """The coded screening rows of one lab import batch."""

    def __init__(
        self,
        writer: ScreeningWriter,
        summary: ImportSummary,
        zone: tzinfo,
        clinical_zone: tzinfo,
        date_order: str = "auto",
    ):
        self.writer = writer
        self.summary = summary
        self.zone = zone
        self.clinical_zone = clinical_zone
        self.date_order = date_order

    def take(
        self, raw: RawResult, test: str, patient_of: PatientOf, flush: Callable[[], None]
    ) -> None:
        """Stores (or rejects, saying why) one row whose code names `test`."""
        s = self.summary
        column = raw.column.get
        label = f"{screening_label(test)} (LOINC {raw.code})"
        if raw.status.lower() not in _FINAL:
            s.reject(raw.ref, "status", f"{label}: result status {raw.status!r} is not final")
            return
        result = result_of(raw.value_text)
        if result is None:
            shown = raw.value_text or raw.value_error or "no value"
            s.reject(
                raw.ref,
                column("value", "value"),
                f"{label}: result {shown!r} is not one this program reads; write "
                f"{result_words_hint()}",
            )
            return
        day = self._day(raw)
        if isinstance(day, str):
            s.reject(raw.ref, column("collected", "collected"), f"{label}: {day}")
            return
        patient = patient_of(raw)
        if isinstance(patient, str):
            s.reject(raw.ref, "patient", patient)
            return
        if patient is None:
            s.reject(raw.ref, column("mrn", "mrn"), unknown_patient(raw.mrn))
            return
        if not patient.id:  # created from this file's demographics, not written yet
            flush()
        taken = self.writer.take(
            ScreeningPatient(patient.id, patient.birth_date),
            test=test,
            taken_on=day,
            result=result,
            note=None,
            ref=raw.ref,
        )
        if taken.outcome == IMPORTED:
            return  # counted from the writer when the batch ends
        if taken.outcome == DUPLICATE:
            s.duplicates += 1
            if taken.warning:
                s.warn(raw.ref, taken.warning)
            return
        s.reject(raw.ref, "", f"{label}: {taken.reason}")

    def _day(self, raw: RawResult) -> date | str:
        if isinstance(raw.collected, datetime):
            return clinical_day(raw.collected, self.clinical_zone)
        if not raw.collected:
            return "no collection date/time"
        try:
            moment = parse_datetime_text(raw.collected, self.zone, date_order=self.date_order)
        except TimeTextError as exc:
            return str(exc)
        return clinical_day(moment, self.clinical_zone)
