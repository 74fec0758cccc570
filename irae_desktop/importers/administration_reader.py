"""Reads a CSV of doses given, one administration per row (MRN, agent, dose, unit, the time it
was given, and optionally the route), into checked doses or Problems with their row and reason.
domain.administrations groups them into lines."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, tzinfo

from irae_desktop.domain.administrations import Given
from irae_desktop.domain.agents import Agent, AgentNotFound, SeveralAgents, find_agent
from irae_desktop.domain.clinical_day import clinical_day
from irae_desktop.importers.errors import ImportFileError
from irae_desktop.importers.raw import Problem
from irae_desktop.importers.sniff import FileFacts, open_text
from irae_desktop.importers.timeparse import TimeTextError, parse_datetime_text
from irae_desktop.importers.treatment_reader import HEADERS, parse_dose, plain, sniff

LAYOUT = "treatment administrations"
GIVEN_HEADERS = (
    "administered at", "administered", "administration date", "administration time",
    "administration datetime", "date given", "given at", "given", "time given",
    "infusion date", "infusion time", "dose date", "verabreicht am", "verabreichungsdatum",
    "verabreichungszeit", "gabe am", "date d administration", "administre le",
    "heure d administration", "fecha de administracion", "administrado el",
    "hora de administracion",
)  # fmt: skip
_FIELDS = ("mrn", "agent", "dose", "dose_unit", "route")
_BY_HEADER = {text: name for name in _FIELDS for text in HEADERS[name]} | {
    text: "given" for text in GIVEN_HEADERS
}


def administration_columns(header: list[str]) -> dict[str, int] | None:
    """Field -> column index when `header` is that of an administration file (MRN, agent and
    the time given; no start date column, which makes it a file of lines), else None."""
    columns: dict[str, int] = {}
    for index, text in enumerate(header):
        name = _BY_HEADER.get(plain(text))
        if name is not None and name not in columns:
            columns[name] = index
    if any(plain(text) in HEADERS["start"] for text in header):
        return None
    return columns if all(n in columns for n in ("mrn", "agent", "given")) else None


@dataclass(frozen=True, slots=True)
class ReadGiven:
    ref: str
    mrn: str
    agent: Agent
    given: Given
    route: str | None


class AdministrationCsv:
    """The rows of an administration CSV, as ReadGivens and Problems."""

    layout = LAYOUT

    def __init__(self, facts: FileFacts, zone: tzinfo, clinical_zone: tzinfo):
        self.facts = facts
        self.zone = zone
        self.clinical_zone = clinical_zone
        dialect = sniff(facts)
        self._text, self._counter = open_text(facts)
        self._reader = csv.reader(self._text, dialect)
        found = administration_columns(next(self._reader, []))
        if found is None:
            raise ImportFileError(f"{facts.path.name}: not a file of doses given.")
        self.columns = found

    def fraction(self) -> float:
        return min(1.0, self._counter.bytes_read / self.facts.size) if self.facts.size else 1.0

    def close(self) -> None:
        self._text.close()

    def _cell(self, row: list[str], name: str) -> str:
        index = self.columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    def rows(self) -> Iterator[ReadGiven | Problem]:
        for row in self._reader:
            ref = f"line {self._reader.line_num}"
            if any(cell.strip() for cell in row):
                yield self._read(ref, row)

    def _day(self, text: str) -> date:
        moment = parse_datetime_text(text, self.zone)
        if ":" not in text:  # a date alone: the day as written
            return parse_datetime_text(text, UTC).date()
        return clinical_day(moment, self.clinical_zone)

    def _read(self, ref: str, row: list[str]) -> ReadGiven | Problem:
        mrn = self._cell(row, "mrn")
        if not mrn:
            return Problem(ref, "no MRN", "mrn")
        text = self._cell(row, "agent")
        try:
            agent = find_agent(text)
        except (AgentNotFound, SeveralAgents) as exc:
            return Problem(ref, str(exc) if text else "no agent", "agent")
        when = self._cell(row, "given")
        if not when:
            return Problem(ref, "no time given", "given")
        try:
            day = self._day(when)
        except TimeTextError as exc:
            return Problem(ref, str(exc), "given")
        try:
            dose, unit = parse_dose(self._cell(row, "dose"), self._cell(row, "dose_unit") or None)
        except ValueError as exc:
            return Problem(ref, str(exc), "dose")
        route = self._cell(row, "route")[:24] or None
        return ReadGiven(ref, mrn, agent, Given(day, dose, unit, ref), route)
