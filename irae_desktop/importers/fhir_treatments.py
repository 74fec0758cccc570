"""FHIR R4 MedicationRequest and MedicationStatement (a line each) and MedicationAdministration
(a dose given each), from a Bundle, a single resource, an array or NDJSON, with the Patient
resources that give their MRNs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, tzinfo
from typing import Any

from irae_desktop.domain.administrations import Given
from irae_desktop.domain.agents import AgentNotFound, SeveralAgents, find_agent
from irae_desktop.domain.clinical_day import clinical_day
from irae_desktop.domain.utc import aware_utc
from irae_desktop.importers.administration_reader import ReadGiven
from irae_desktop.importers.fhir_reader import patient_from_resource
from irae_desktop.importers.raw import Problem
from irae_desktop.importers.sniff import FileFacts, open_text
from irae_desktop.importers.timeparse import TimeTextError, parse_datetime_text
from irae_desktop.importers.treatment_reader import ReadLine
from irae_desktop.store.treatment_import import LineRecord

LAYOUT = "FHIR medications"
LINE_TYPES = ("MedicationRequest", "MedicationStatement")
GIVEN_TYPE = "MedicationAdministration"
# a whole document is read to tell what it holds: beyond this, it is left to the lab import
MAX_BYTES = 50 * 1024 * 1024
# statuses that say the drug was not (or not really) ordered, taken or given
_NOT_GIVEN = {"entered-in-error", "cancelled", "not-done", "not-taken", "draft"}

Resources = list[tuple[dict[str, Any], str]]


def _load(facts: FileFacts) -> Resources | None:
    text, _ = open_text(facts)
    with text:
        raw = text.read()
    try:
        if facts.json_shape == "ndjson":
            docs = [json.loads(line) for line in raw.splitlines() if line.strip()]
            return [(d, f"line {i + 1}") for i, d in enumerate(docs) if isinstance(d, dict)]
        doc = json.loads(raw)
    except json.JSONDecodeError:
        return None
    if isinstance(doc, list):
        return [(r, f"item {i + 1}") for i, r in enumerate(doc) if isinstance(r, dict)]
    if isinstance(doc, dict) and doc.get("resourceType") == "Bundle":
        found = []
        for i, entry in enumerate(doc.get("entry") or []):
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if isinstance(resource, dict):
                found.append((resource, str(entry.get("fullUrl") or f"entry {i + 1}")))
        return found
    return [(doc, str(doc.get("id") or "resource"))] if isinstance(doc, dict) else None


def medication_resources(facts: FileFacts) -> Resources | None:
    """The resources of a FHIR file that holds medications and no observations, else None."""
    if facts.format != "fhir" or facts.size > MAX_BYTES:
        return None
    text, _ = open_text(facts)
    with text:
        head = text.read(1 << 20)
    # a lab file is not parsed a second time just to learn it holds no medications
    if "Medication" not in head:
        return None
    resources = _load(facts)
    if not resources:
        return None
    kinds = {r.get("resourceType") for r, _ in resources}
    if "Observation" in kinds or not kinds & {*LINE_TYPES, GIVEN_TYPE}:
        return None
    return resources


def _text(concept: Any) -> str:
    if not isinstance(concept, dict):
        return ""
    codings = concept.get("coding") or []
    return str(
        concept.get("text")
        or next((c.get("display") for c in codings if c.get("display")), "")
        or ""
    )


class FhirTreatments:
    layout = LAYOUT

    def __init__(self, facts: FileFacts, resources: Resources, clinical_zone: tzinfo, zone: tzinfo):
        self.facts = facts
        self.resources = resources
        self.zone = zone
        self.clinical_zone = clinical_zone
        self.patients: dict[str, str] = {}
        self.medications: dict[str, str] = {}
        for resource, key in resources:
            rid = str(resource.get("id") or "")
            if resource.get("resourceType") == "Patient":
                mrn = patient_from_resource(resource, key).mrn
                for alias in (key, f"Patient/{rid}", f"urn:uuid:{rid}"):
                    self.patients[alias] = mrn
            elif resource.get("resourceType") == "Medication":
                for alias in (key, f"Medication/{rid}", f"urn:uuid:{rid}", f"#{rid}"):
                    self.medications[alias] = _text(resource.get("code"))
        self._done = 0

    def fraction(self) -> float:
        return self._done / len(self.resources) if self.resources else 1.0

    def close(self) -> None:
        pass

    def rows(self) -> Iterator[ReadLine | ReadGiven | Problem]:
        for resource, key in self.resources:
            self._done += 1
            kind = resource.get("resourceType")
            if kind in (*LINE_TYPES, GIVEN_TYPE):
                ref = f"{kind} {resource.get('id') or key}"
                try:
                    yield self._read(kind, resource, ref)
                except ValueError as exc:
                    yield Problem(ref, str(exc))

    def _mrn(self, resource: dict[str, Any]) -> str:
        subject = resource.get("subject") or resource.get("patient") or {}
        reference = str(subject.get("reference") or "")
        if reference in self.patients:
            return self.patients[reference]
        identifier = (subject.get("identifier") or {}).get("value")
        if identifier:
            return str(identifier).strip()
        if "/" in reference or reference.startswith("urn:uuid:"):
            return reference.rsplit("/", 1)[-1].removeprefix("urn:uuid:")
        raise ValueError("no subject: the patient is not named")

    def _agent_text(self, resource: dict[str, Any]) -> str:
        text = _text(resource.get("medicationCodeableConcept"))
        if not text:
            reference = str((resource.get("medicationReference") or {}).get("reference") or "")
            for contained in resource.get("contained") or []:
                if f"#{contained.get('id')}" == reference:
                    text = _text(contained.get("code"))
            text = text or self.medications.get(reference, "")
        if not text:
            raise ValueError("the medication is not named")
        return text

    def _day(self, text: str) -> date:
        try:
            moment = parse_datetime_text(text, self.zone)
        except TimeTextError as exc:
            raise ValueError(str(exc)) from exc
        if ":" not in text:  # a date alone: the day as written
            return date.fromisoformat(text[:10]) if len(text) >= 10 else aware_utc(moment).date()
        return clinical_day(moment, self.clinical_zone)

    def _read(self, kind: str, resource: dict[str, Any], ref: str) -> ReadLine | ReadGiven:
        status = str(resource.get("status") or "")
        if status in _NOT_GIVEN:
            raise ValueError(f"status {status}: not a treatment given")
        mrn = self._mrn(resource)
        written = self._agent_text(resource)
        try:
            agent = find_agent(written)
        except (AgentNotFound, SeveralAgents) as exc:
            raise ValueError(str(exc)) from exc
        if kind == GIVEN_TYPE:
            dosage = resource.get("dosage") or {}
            when = resource.get("effectiveDateTime") or (resource.get("effectivePeriod") or {}).get(
                "start"
            )
            if not when:
                raise ValueError("no time given (effectiveDateTime)")
            dose = dosage.get("dose") or {}
            value = dose.get("value")
            given = Given(
                self._day(str(when)),
                float(value) if value else None,
                dose.get("unit") or dose.get("code"),
                ref,
            )
            return ReadGiven(ref, mrn, agent, given, _text(dosage.get("route"))[:24] or None)
        dosages = resource.get("dosageInstruction") or resource.get("dosage") or [{}]
        dosage = dosages[0]
        repeat = (dosage.get("timing") or {}).get("repeat") or {}
        bounds = repeat.get("boundsPeriod") or resource.get("effectivePeriod") or {}
        start_text = (
            bounds.get("start") or resource.get("effectiveDateTime") or resource.get("authoredOn")
        )
        if not start_text:
            raise ValueError("no start date")
        start = self._day(str(start_text))
        stop = self._day(str(bounds["end"])) if bounds.get("end") else None
        if stop is not None and stop < start:
            raise ValueError(f"the stop date {stop} is before the start date {start}")
        quantity = (
            next(
                (
                    d.get("doseQuantity")
                    for d in dosage.get("doseAndRate") or []
                    if d.get("doseQuantity")
                ),
                None,
            )
            or {}
        )
        value = quantity.get("value")
        frequency = _text((dosage.get("timing") or {}).get("code")) or dosage.get("text") or None
        reasons = resource.get("reasonCode") or []
        record = LineRecord(
            mrn=mrn,
            category=agent.category,
            agent=agent.generic,
            start=start,
            dose=float(value) if value else None,
            dose_unit=(quantity.get("unit") or quantity.get("code")) if value else None,
            frequency=str(frequency)[:40] if frequency else None,
            route=_text(dosage.get("route"))[:24] or None,
            stop=stop,
            indication=_text(reasons[0])[:120] or None if reasons else None,
            notes=f"imported from {self.facts.path.name} {ref} as {written!r}",
        )
        return ReadLine(ref, record, written)
