"""Reads FHIR R4 JSON (Bundle, single Observation or Patient) and NDJSON bulk exports.

Whole documents are checked against the R4B models of fhir.resources; NDJSON bulk files,
which can hold millions of lines, are read with the json module line by line so memory
stays flat, and each resource is checked only for the fields the import uses.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import tzinfo
from typing import Any

from irae_desktop.importers.errors import ImportFileError
from irae_desktop.importers.raw import Problem, RawPatient, RawResult, ReadItem
from irae_desktop.importers.sniff import FileFacts, open_text

LOINC_SYSTEM = "http://loinc.org"
# validating with the pydantic models costs about a millisecond per resource
MODEL_CHECK_LIMIT = 5000
_USABLE_STATUS = {
    "final": "final",
    "amended": "corrected",
    "corrected": "corrected",
    "preliminary": "preliminary",
}


def _concept_text(concept: dict[str, Any]) -> str:
    """A CodeableConcept's words: its text, else its first coding's display."""
    codings = [c for c in concept.get("coding") or [] if isinstance(c, dict)]
    display = next((str(c["display"]) for c in codings if c.get("display")), "")
    return str(concept.get("text") or display)


def _model_problem(resource: dict[str, Any]) -> str:
    """The first validation error from fhir.resources, or "" when the resource is valid."""
    kind = resource.get("resourceType")
    try:
        if kind == "Observation":
            from fhir.resources.R4B.observation import Observation

            Observation.model_validate(resource)
        elif kind == "Patient":
            from fhir.resources.R4B.patient import Patient

            Patient.model_validate(resource)
    except Exception as exc:
        first = str(exc).strip().splitlines()
        return " ".join(first[:3])[:300]
    return ""


def patient_from_resource(resource: dict[str, Any], ref: str) -> RawPatient:
    """MRN from the identifier typed MR, else the resource id; name, birth date, gender."""
    mrn = ""
    for identifier in resource.get("identifier") or []:
        codings = (identifier.get("type") or {}).get("coding") or []
        if any(c.get("code") == "MR" for c in codings) and identifier.get("value"):
            mrn = str(identifier["value"]).strip()
            break
    mrn = mrn or str(resource.get("id") or "").strip()
    name = ""
    names = resource.get("name") or []
    official = next((n for n in names if n.get("use") == "official"), names[0] if names else None)
    if official:
        name = (
            official.get("text")
            or " ".join([*(official.get("given") or []), official.get("family") or ""]).strip()
        )
    gender = {"female": "F", "male": "M", "other": "O", "unknown": "U"}.get(
        str(resource.get("gender") or ""), ""
    )
    return RawPatient(mrn, name, str(resource.get("birthDate") or ""), None, gender, ref=ref)


class FhirSource:
    """One FHIR file; patients found in it (and in earlier files of the same import) resolve
    Observation.subject references."""

    def __init__(self, facts: FileFacts, zone: tzinfo, patients: dict[str, RawPatient]):
        self.facts = facts
        self.zone = zone
        self.patients = patients
        self._text, self._counter = open_text(facts)
        self.layout = "fhir-ndjson" if facts.json_shape == "ndjson" else "fhir-json"

    def fraction(self) -> float:
        return min(1.0, self._counter.bytes_read / self.facts.size) if self.facts.size else 1.0

    def close(self) -> None:
        self._text.close()

    def items(self) -> Iterator[ReadItem]:
        if self.facts.json_shape == "ndjson":
            yield from self._ndjson()
        else:
            yield from self._document()

    def _document(self) -> Iterator[ReadItem]:
        try:
            doc = json.load(self._text)
        except json.JSONDecodeError as exc:
            raise ImportFileError(
                f"{self.facts.path.name}: not valid JSON (line {exc.lineno}, column {exc.colno}: "
                f"{exc.msg})."
            ) from exc
        if isinstance(doc, list):
            resources = [(r, f"item {i + 1}") for i, r in enumerate(doc) if isinstance(r, dict)]
        elif isinstance(doc, dict) and doc.get("resourceType") == "Bundle":
            resources = []
            for i, entry in enumerate(doc.get("entry") or []):
                resource = entry.get("resource") if isinstance(entry, dict) else None
                if isinstance(resource, dict):
                    full_url = str(entry.get("fullUrl") or "")
                    resources.append((resource, full_url or f"entry {i + 1}"))
        elif isinstance(doc, dict) and doc.get("resourceType"):
            resources = [(doc, str(doc.get("id") or "resource"))]
        else:
            raise ImportFileError(
                f"{self.facts.path.name}: JSON, but not a FHIR resource or Bundle "
                "(no resourceType)."
            )
        check_models = len(resources) <= MODEL_CHECK_LIMIT
        # patients first: a Bundle may list observations before the patient they refer to
        for resource, key in resources:
            if resource.get("resourceType") == "Patient":
                yield from self._patient(resource, key, check_models)
        for resource, _key in resources:
            if resource.get("resourceType") == "Observation":
                yield from self._observation(resource, check_models)

    def _ndjson(self) -> Iterator[ReadItem]:
        for number, line in enumerate(self._text, start=1):
            if not line.strip():
                continue
            try:
                resource = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Problem(f"line {number}", f"not valid JSON ({exc.msg}, column {exc.colno})")
                continue
            if not isinstance(resource, dict):
                yield Problem(f"line {number}", "not a FHIR resource")
                continue
            kind = resource.get("resourceType")
            if kind == "Patient":
                yield from self._patient(resource, f"line {number}", False)
            elif kind == "Observation":
                yield from self._observation(resource, False, f"line {number} ")

    def _patient(self, resource: dict[str, Any], key: str, check: bool) -> Iterator[ReadItem]:
        problem = _model_problem(resource) if check else ""
        rid = str(resource.get("id") or "")
        if problem:
            yield Problem(f"Patient {rid or key}", f"invalid FHIR Patient: {problem}")
            return
        patient = patient_from_resource(resource, f"Patient {rid}")
        if not patient.mrn:
            yield Problem(f"Patient {key}", "Patient has neither an MR identifier nor an id")
            return
        for alias in (key, f"Patient/{rid}", f"urn:uuid:{rid}"):
            if alias:
                self.patients[alias] = patient
        yield patient

    def _subject(self, reference: str) -> RawPatient | str:
        found = self.patients.get(reference)
        if found is not None:
            return found
        if reference.startswith("Patient/"):
            return reference.split("/", 1)[1]
        if reference.startswith("urn:uuid:"):
            return reference[len("urn:uuid:") :]
        return reference

    def _observation(
        self, resource: dict[str, Any], check: bool, prefix: str = ""
    ) -> Iterator[ReadItem]:
        rid = str(resource.get("id") or "")
        ref = f"{prefix}Observation {rid}".strip()
        problem = _model_problem(resource) if check else ""
        if problem:
            yield Problem(ref, f"invalid FHIR Observation: {problem}")
            return
        reference = str((resource.get("subject") or {}).get("reference") or "")
        if not reference:
            yield Problem(ref, "Observation has no subject (patient)", "subject")
            return
        subject = self._subject(reference)
        patient = subject if isinstance(subject, RawPatient) else None
        mrn = patient.mrn if patient else str(subject)
        code = resource.get("code") or {}
        codings = code.get("coding") or []
        loinc = next(
            (c for c in codings if c.get("system") == LOINC_SYSTEM and c.get("code")), None
        )
        first = loinc or (codings[0] if codings else {})
        categories = {
            str(c.get("code"))
            for cat in resource.get("category") or []
            for c in (cat.get("coding") or [])
        }
        result = RawResult(
            ref=ref,
            mrn=mrn,
            code=str(first.get("code") or ""),
            name=str(code.get("text") or first.get("display") or ""),
            status=_USABLE_STATUS.get(str(resource.get("status")), str(resource.get("status"))),
            is_lab=not categories or "laboratory" in categories,
            code_is_standard=loinc is not None,
            patient=patient if patient and (patient.name or patient.birth_text) else None,
        )
        result.column = {
            "value": "value[x]",
            "unit": "valueQuantity.unit",
            "collected": "effective[x]",
            "test": "code",
        }
        when = (
            resource.get("effectiveDateTime")
            or (resource.get("effectivePeriod") or {}).get("start")
            or resource.get("effectiveInstant")
            or ""
        )
        result.collected = str(when)
        quantity = resource.get("valueQuantity")
        if isinstance(quantity, dict):
            value = quantity.get("value")
            if isinstance(value, bool) or not isinstance(value, int | float):
                result.value_error = f"valueQuantity.value {value!r} is not a number"
            else:
                result.number = float(value)
                result.comparator = str(quantity.get("comparator") or "")
            result.unit = str(quantity.get("unit") or quantity.get("code") or "")
        elif "valueString" in resource:
            result.value_text = str(resource["valueString"])
        else:
            kinds = [k for k in resource if k.startswith("value")]
            result.value_error = (
                f"{kinds[0]} is not a number" if kinds else "Observation has no value"
            )
            # a coded answer ("Negative") is kept as text: a screening test reads it
            concept = resource.get("valueCodeableConcept")
            if isinstance(concept, dict):
                result.value_text = _concept_text(concept)
        ranges = resource.get("referenceRange") or []
        if ranges and isinstance(ranges[0], dict):
            low = (ranges[0].get("low") or {}).get("value")
            high = (ranges[0].get("high") or {}).get("value")
            result.low_text = "" if low is None else str(low)
            result.high_text = "" if high is None else str(high)
            if low is None and high is None:
                result.range_text = str(ranges[0].get("text") or "")
        interpretation = resource.get("interpretation") or []
        if interpretation:
            codings_i = (interpretation[0] or {}).get("coding") or []
            if codings_i:
                result.flag = str(codings_i[0].get("code") or "")
        yield result
