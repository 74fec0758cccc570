"""Collects the doses of an administration file by patient and agent, then writes each
patient's doses as lines (domain.administrations decides where a line ends)."""

from __future__ import annotations

from collections import defaultdict

from irae_desktop.domain.administrations import group_given
from irae_desktop.domain.agents import Agent
from irae_desktop.importers.administration_reader import ReadGiven
from irae_desktop.importers.summary import ImportSummary
from irae_desktop.store.errors import StoreError
from irae_desktop.store.held_treatments import hold_given
from irae_desktop.store.treatment_import import GivenLineWriter


class DosesByAgent:
    def __init__(self, file_name: str, batch_id: int | None):
        self.file_name = file_name
        self.batch_id = batch_id
        self._rows: dict[tuple[str, str], list[ReadGiven]] = defaultdict(list)
        self._agents: dict[str, Agent] = {}

    def add(self, item: ReadGiven) -> None:
        self._rows[(item.mrn, item.agent.generic)].append(item)
        self._agents[item.agent.generic] = item.agent

    def write(self, writer: GivenLineWriter, summary: ImportSummary) -> None:
        for (mrn, generic), rows in sorted(self._rows.items()):
            patient_id = writer.patient_id(mrn)
            if patient_id is None:
                # each dose waits for a person to assign it; assigned, they become lines
                for row in rows:
                    held = hold_given(
                        writer.session,
                        mrn,
                        generic,
                        row.given,
                        row.route,
                        batch_id=self.batch_id,
                        source_file=self.file_name,
                    )
                    if held:
                        summary.unmatched += 1
                    else:
                        summary.duplicates += 1
                continue
            agent = self._agents[generic]
            route = next((r.route for r in rows if r.route), None)
            for group in group_given([r.given for r in rows], agent.cycle_days):
                note = f"imported from {self.file_name} ({group.given[0].ref} onwards)"
                try:
                    # a line with its doses and holds is written whole or not at all
                    with writer.session.begin_nested():
                        written = writer.add_given(patient_id, agent, group, route, note)
                except StoreError as exc:
                    writer.forget(patient_id)
                    for given in group.given:
                        summary.reject(given.ref, "", str(exc))
                    continue
                summary.imported += written.new
                summary.duplicates += written.already
