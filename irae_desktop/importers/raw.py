"""What readers yield: results and patients exactly as a file states them, and read problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(slots=True)
class RawPatient:
    """Demographics found in a file (roster row, HL7 PID, FHIR Patient), not yet checked."""

    mrn: str
    name: str = ""
    birth_text: str = ""
    birth_date: date | None = None
    sex: str = ""
    weight_text: str = ""
    diagnosis: str = ""
    ref: str = ""


@dataclass(slots=True)
class RawResult:
    """One result as the file states it; `ref` locates it in the file (line, message/OBX, id).

    Text fields keep the file's spelling; `collected` is either text (read later in the user's
    zone when naive) or an already aware datetime. `number` is set when the format carries a
    typed number (FHIR valueQuantity, HL7 SN), so no text parsing is needed.
    """

    ref: str
    mrn: str
    code: str = ""
    name: str = ""
    value_text: str = ""
    number: float | None = None
    comparator: str = ""
    unit: str = ""
    collected: str | datetime = ""
    range_text: str = ""
    low_text: str = ""
    high_text: str = ""
    flag: str = ""
    status: str = "final"
    # False when the source says it is not a laboratory result (Synthea CATEGORY, FHIR category)
    is_lab: bool = True
    # True when the code is from a standard system (LOINC): an unknown code is then not
    # looked up by its display name, which may name a different test
    code_is_standard: bool = False
    patient: RawPatient | None = None
    # why the value is unusable whatever the test (e.g. an HL7 value type that is not a number)
    value_error: str = ""
    column: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Problem:
    """A row or segment the reader could not turn into a result; `column` names the field."""

    ref: str
    reason: str
    column: str = ""


@dataclass(frozen=True, slots=True)
class Notice:
    """A file-level warning that does not stop the import (duplicate column, bad birth date)."""

    ref: str
    message: str


ReadItem = RawResult | RawPatient | Problem | Notice
