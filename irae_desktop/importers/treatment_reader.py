"""Reads a CSV of treatment lines, one line per row (MRN, agent, dose, unit, frequency, route,
start, stop, indication, in any order, headers in English, German, French or Spanish), into
checked LineRecords or Problems that say which row and why."""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, tzinfo

from irae_desktop.domain.agents import AgentNotFound, SeveralAgents, find_agent
from irae_desktop.importers.errors import ImportFileError
from irae_desktop.importers.raw import Problem
from irae_desktop.importers.sniff import FileFacts, open_text
from irae_desktop.importers.timeparse import TimeTextError, parse_day_text
from irae_desktop.store.models import TreatmentLine
from irae_desktop.store.treatment_import import LineRecord

LAYOUT = "treatment lines"

# header texts (compared in plain lower case, without accents or punctuation) for each field
HEADERS: dict[str, tuple[str, ...]] = {
    "mrn": (
        "mrn", "patient mrn", "patient id", "patientid", "patient", "medical record number",
        "record number", "patienten id", "patientennummer", "fallnummer", "ipp",
        "numero patient", "n patient", "id patient", "nhc", "numero de historia",
        "historia clinica", "id paciente",
    ),
    "agent": (
        "agent", "drug", "drug name", "medication", "medication name", "medicine", "treatment",
        "medikament", "wirkstoff", "arzneimittel", "medicament", "molecule", "traitement",
        "medicamento", "farmaco", "principio activo", "tratamiento",
    ),
    "dose": ("dose", "dosage", "dose amount", "dosis", "posologie"),
    "dose_unit": (
        "unit", "units", "dose unit", "dose units", "einheit", "dosiseinheit", "unite",
        "unite de dose", "unidad", "unidades", "unidad de dosis",
    ),
    "frequency": (
        "frequency", "freq", "schedule", "haufigkeit", "frequenz", "intervall", "frequence",
        "rythme", "frecuencia", "pauta",
    ),
    "route": (
        "route", "route of administration", "applikationsweg", "applikation",
        "verabreichungsweg", "voie", "voie d administration", "via", "via de administracion",
    ),
    "start": (
        "start", "start date", "started", "begin", "from", "beginn", "startdatum", "ab",
        "debut", "date de debut", "date debut", "inicio", "fecha de inicio", "fecha inicio",
    ),
    "stop": (
        "stop", "stop date", "stopped", "end", "end date", "to", "ende", "enddatum", "bis",
        "fin", "date de fin", "date fin", "fecha de fin", "fecha fin",
    ),
    "indication": (
        "indication", "reason", "for", "indikation", "grund", "motif", "indicacion", "motivo",
    ),
    "category": ("category", "class", "kategorie", "categorie", "categoria"),
    "notes": ("notes", "note", "comment", "comments", "bemerkung", "commentaire", "comentario"),
}  # fmt: skip
REQUIRED = ("mrn", "agent", "start")
_BY_HEADER = {text: name for name, texts in HEADERS.items() for text in texts}
# column lengths of the stored line: longer text is refused rather than cut
_LIMITS = {
    name: TreatmentLine.__table__.c[column].type.length  # type: ignore[attr-defined]
    for name, column in (
        ("dose_unit", "dose_unit"),
        ("frequency", "frequency"),
        ("route", "route"),
        ("indication", "indication"),
    )
}
# forms that act where they are applied: not a systemic treatment line
_LOCAL_FORM = re.compile(
    r"\b(topical|cream|ointment|lotion|ophthalmic|otic|nasal|inhal\w*|enema|rectal|foam)\b",
    re.IGNORECASE,
)
_DOSE_WITH_UNIT = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([^\d\s].*?)?\s*$")


def plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.findall(r"[a-z0-9]+", folded.lower()))


SYNTHEA_LAYOUT = "synthea-medications"
# Synthea's medications.csv: PATIENT is the key its patients.csv calls Id, the drug is named in
# DESCRIPTION ("Methylprednisolone 4 MG Oral Tablet"), CODE is its RxNorm clinical drug
_SYNTHEA = {"mrn": "patient", "agent": "description", "start": "start", "stop": "stop",
            "indication": "reasondescription"}  # fmt: skip


def synthea_columns(header: list[str]) -> dict[str, int] | None:
    """Field -> column index for Synthea's medications.csv, else None."""
    names = [plain(text) for text in header]
    if not {"start", "stop", "patient", "code", "description"} <= set(names):
        return None
    return {field: names.index(name) for field, name in _SYNTHEA.items() if name in names}


def treatment_columns(header: list[str]) -> dict[str, int] | None:
    """Field -> column index when `header` is that of a treatment-line file (MRN, agent and
    start date columns, or Synthea's medications.csv), else None."""
    synthea = synthea_columns(header)
    if synthea is not None:
        return synthea
    columns: dict[str, int] = {}
    for index, text in enumerate(header):
        name = _BY_HEADER.get(plain(text))
        if name is not None and name not in columns:
            columns[name] = index
    return columns if all(name in columns for name in REQUIRED) else None


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def sniff(facts: FileFacts) -> type[csv.Dialect] | csv.Dialect:
    text, _ = open_text(facts)
    with text:
        return _dialect(text.read(8192))


def first_row(facts: FileFacts) -> list[str]:
    """The first row of a CSV file (its header), or an empty list."""
    text, _ = open_text(facts)
    with text:
        return next(csv.reader(text, sniff(facts)), None) or []


def read_header(facts: FileFacts) -> dict[str, int] | None:
    """The treatment columns of a CSV file's first row, or None when it is not such a file."""
    return treatment_columns(first_row(facts))


@dataclass(frozen=True, slots=True)
class Untracked:
    """A drug this program does not track, in a file that lists every drug."""

    ref: str
    name: str


@dataclass(frozen=True, slots=True)
class ReadLine:
    ref: str
    record: LineRecord
    agent_text: str


class _RowError(ValueError):
    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column = column


def parse_dose(text: str, unit: str | None) -> tuple[float | None, str | None]:
    """The dose and its unit from a dose cell ("200", "2,5", "200 mg") and a unit cell;
    raises a ValueError that says what is wrong."""
    if not text:
        return None, unit
    match = _DOSE_WITH_UNIT.match(text)
    if match is None:
        raise _RowError("dose", f"dose {text!r} is not a number")
    dose = float(match.group(1).replace(",", "."))
    written_unit = (match.group(2) or "").strip() or None
    if written_unit and unit and written_unit.lower() != unit.lower():
        raise _RowError("dose", f"dose {text!r} and unit {unit!r} disagree")
    unit = unit or written_unit
    if not math.isfinite(dose) or dose <= 0:
        raise _RowError("dose", f"dose {text!r} is not a positive number")
    if unit is None:
        raise _RowError("dose_unit", f"dose {text!r} has no unit")
    if len(unit) > _LIMITS["dose_unit"]:
        raise _RowError("dose_unit", f"unit {unit!r} is too long")
    return dose, unit


class TreatmentCsv:
    """The rows of a treatment-line CSV, as ReadLines and Problems."""

    layout = LAYOUT

    def __init__(self, facts: FileFacts, zone: tzinfo, clinical_zone: tzinfo):
        self.facts = facts
        self.zone = zone  # for times without an offset
        self.clinical_zone = clinical_zone  # the day a timed start falls on
        dialect = sniff(facts)
        self._text, self._counter = open_text(facts)
        self._reader = csv.reader(self._text, dialect)
        header = next(self._reader, None) or []
        found = treatment_columns(header)
        if found is None:
            raise ImportFileError(f"{facts.path.name}: not a file of treatment lines.")
        self.columns = found
        # a Synthea record lists every drug a patient had: those this program does not track
        # are counted as such, not refused
        self.layout = SYNTHEA_LAYOUT if synthea_columns(header) else LAYOUT

    def fraction(self) -> float:
        return min(1.0, self._counter.bytes_read / self.facts.size) if self.facts.size else 1.0

    def close(self) -> None:
        self._text.close()

    def rows(self) -> Iterator[ReadLine | Problem | Untracked]:
        for row in self._reader:
            ref = f"line {self._reader.line_num}"
            if not any(cell.strip() for cell in row):
                continue
            try:
                yield self._line(ref, row)
            except _RowError as exc:
                if exc.column == "agent" and self.layout == SYNTHEA_LAYOUT:
                    yield Untracked(ref, self._cell(row, "agent"))
                else:
                    yield Problem(ref, str(exc), exc.column)

    def _cell(self, row: list[str], name: str) -> str:
        index = self.columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    def _day(self, text: str, column: str) -> date:
        try:
            return parse_day_text(text, self.zone, self.clinical_zone)
        except TimeTextError as exc:
            raise _RowError(column, str(exc)) from exc

    def _text_field(self, row: list[str], name: str) -> str | None:
        value = self._cell(row, name)
        limit = _LIMITS.get(name)
        if limit is not None and len(value) > limit:
            raise _RowError(name, f"{name.replace('_', ' ')} is longer than {limit} characters")
        return value or None

    def _dose(self, row: list[str]) -> tuple[float | None, str | None]:
        return parse_dose(self._cell(row, "dose"), self._text_field(row, "dose_unit"))

    def _line(self, ref: str, row: list[str]) -> ReadLine:
        mrn = self._cell(row, "mrn")
        if not mrn:
            raise _RowError("mrn", "no MRN")
        agent_text = self._cell(row, "agent")
        if not agent_text:
            raise _RowError("agent", "no agent")
        try:
            agent = find_agent(agent_text)
        except (AgentNotFound, SeveralAgents) as exc:
            raise _RowError("agent", str(exc)) from exc
        if _LOCAL_FORM.search(agent_text):
            raise _RowError(
                "agent", f"{agent_text!r} acts where it is applied: not a systemic treatment"
            )
        given_category = self._cell(row, "category").lower()
        if given_category and plain(given_category) != plain(agent.category):
            raise _RowError(
                "category",
                f"category {given_category!r} does not fit {agent.generic} ({agent.category})",
            )
        start_text = self._cell(row, "start")
        if not start_text:
            raise _RowError("start", "no start date")
        start = self._day(start_text, "start")
        stop_text = self._cell(row, "stop")
        stop = self._day(stop_text, "stop") if stop_text else None
        if stop is not None and stop < start:
            raise _RowError("stop", f"the stop date {stop} is before the start date {start}")
        dose, unit = self._dose(row)
        written = agent_text if plain(agent_text) != plain(agent.generic) else ""
        source = f"imported from {self.facts.path.name} {ref}"
        notes = self._cell(row, "notes")
        record = LineRecord(
            mrn=mrn,
            category=agent.category,
            agent=agent.generic,
            start=start,
            dose=dose,
            dose_unit=unit,
            frequency=self._text_field(row, "frequency"),
            route=self._text_field(row, "route"),
            stop=stop,
            indication=self._text_field(row, "indication"),
            notes="; ".join(
                p for p in (notes, f"{source} as {written!r}" if written else source) if p
            ),
        )
        return ReadLine(ref, record, agent_text)
