"""The case series read from the registry: every patient with an episode of the irAE, read
through the same timeline query as the patient view (one path on SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from irae_desktop.domain.outcome_summary import AgentSummary, summarize
from irae_desktop.domain.outcomes import IRAES, OutcomeRow, cohort_outcomes
from irae_desktop.domain.trajectory import LineTrajectory, line_trajectory
from irae_desktop.store.audit import record_event
from irae_desktop.store.errors import StoreError
from irae_desktop.store.models import AppSetting, IrAEEpisode, Patient
from irae_desktop.store.settings import get_settings
from irae_desktop.store.timeline import load_timelines

# the per-database secret of the study IDs: created on the first de-identified export
STUDY_KEY_SETTING = "study_id_key"


class UnknownIraeError(StoreError):
    """The irAE asked for is not one the case series knows."""


@dataclass(frozen=True, slots=True)
class OutcomeCohort:
    irae: str
    criteria: str  # the criteria set the stored grades were made under
    rows: tuple[OutcomeRow, ...]
    summaries: tuple[AgentSummary, ...]
    # per figure analyte, each row's results around its start (domain.trajectory)
    trajectories: dict[str, tuple[LineTrajectory, ...]]
    # the cohort's patients marked as synthetic (demonstration) data
    synthetic_patients: frozenset[int] = frozenset()


def read_outcomes(
    session: Session, irae: str, agents: Iterable[str] = (), positions: Iterable[int] = ()
) -> OutcomeCohort:
    """The rows and per-agent summaries of one irAE, kept to the agents and line positions."""
    found = IRAES.get(irae.strip().lower())
    if found is None:
        known = ", ".join(sorted(IRAES))
        raise UnknownIraeError(f"unknown irAE {irae!r}: choose one of {known}")
    ids = session.scalars(
        select(IrAEEpisode.patient_id)
        .where(func.lower(func.trim(IrAEEpisode.organ)) == found.name)
        .distinct()
    ).all()
    timelines = load_timelines(session, sorted(ids))
    rows = cohort_outcomes(timelines.values(), found, agents, positions)
    trajectories: dict[str, tuple[LineTrajectory, ...]] = {}
    for analyte, relative in found.trajectories:
        drawn = []
        for row in rows:
            timeline = timelines[row.patient_id]
            line = next(t for t in timeline.treatments if t.id == row.line_id)
            drawn.append(
                line_trajectory(timeline, line, row.agent, analyte, relative_to_uln=relative)
            )
        trajectories[analyte] = tuple(drawn)
    return OutcomeCohort(
        irae=found.name,
        criteria=get_settings(session).criteria_set,
        rows=tuple(rows),
        summaries=tuple(summarize(rows)),
        trajectories=trajectories,
        synthetic_patients=frozenset(
            session.scalars(
                select(Patient.id).where(Patient.id.in_(ids), Patient.is_synthetic.is_(True))
            )
        ),
    )


def study_key(session: Session) -> bytes:
    """The database's study-ID key, created (in this write transaction) on first use.

    Two first exports at once may both find no key: the one whose insert comes second waits for
    the first to commit, then reads the key it made, so every export of the database uses one
    key and neither fails."""
    stored = session.get(AppSetting, STUDY_KEY_SETTING)
    if stored is None:
        try:
            with session.begin_nested():  # only the insert is undone if another came first
                session.add(
                    AppSetting(
                        key=STUDY_KEY_SETTING,
                        value_json=json.dumps(secrets.token_bytes(32).hex()),
                    )
                )
        except IntegrityError:
            pass
        stored = session.get(AppSetting, STUDY_KEY_SETTING, populate_existing=True)
        if stored is None:  # neither ours nor another's: not expected, said plainly
            raise StoreError("The study key could not be created or read; nothing was exported.")
    return bytes.fromhex(json.loads(stored.value_json))


def record_outcomes_export(
    session: Session,
    user: str,
    *,
    irae: str,
    rows: int,
    deidentified: bool,
    free_text: bool,
    target: str,
) -> None:
    """Every export of the case series leaves an audit row saying what left and how."""
    record_event(
        session,
        user=user,
        action="export outcomes",
        entity="outcomes",
        after={
            "irae": irae,
            "rows": rows,
            "deidentified": deidentified,
            "free_text": free_text,
            "target": target,
        },
    )
