"""Immutable records that cross layer boundaries: what importers produce and the store persists."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Sex(StrEnum):
    FEMALE = "F"
    MALE = "M"
    OTHER = "O"
    UNKNOWN = "U"


class ResultStatus(StrEnum):
    FINAL = "final"
    PRELIMINARY = "preliminary"
    CORRECTED = "corrected"
    ENTERED_IN_ERROR = "entered-in-error"
    # beyond values reported in a living patient: ungraded until a clinician confirms it
    # (clinical reference, decision 11)
    NEEDS_REVIEW = "needs_review"


class TreatmentCategory(StrEnum):
    ICI = "ici"
    IMMUNOSUPPRESSION = "immunosuppression"
    INSULIN = "insulin"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class PatientRecord:
    """Demographics as read from a roster file or entered by a clinician."""

    mrn: str
    name: str | None = None
    birth_date: date | None = None
    sex: Sex | None = None
    weight_kg: float | None = None
    diagnosis: str | None = None
    source_ref: str | None = None


@dataclass(frozen=True, slots=True)
class LabRecord:
    """One lab result, already converted to the analyte's canonical unit.

    `value` is the bound for a censored result and `comparator` one of "", "<", "<=", ">", ">=".
    `original_text` and `original_unit` are exactly what the file said, for traceability.
    `lln`/`uln` are the reported reference range converted to the canonical unit (None if absent).
    `collected_at` is timezone-aware (UTC).
    """

    mrn: str
    analyte: str
    collected_at: datetime
    value: float
    unit: str
    comparator: str = ""
    original_text: str = ""
    original_unit: str = ""
    lln: float | None = None
    uln: float | None = None
    status: ResultStatus = ResultStatus.FINAL
    abnormal_flag: str | None = None
    source_ref: str = ""
    patient: PatientRecord | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)
