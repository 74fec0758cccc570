"""irAE episodes (hepatitis, diabetes, ...): add, edit, delete, list; audited, version-checked."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from irae_desktop.store.audit import record_event
from irae_desktop.store.concurrency import changed, check_version, flush_or_conflict
from irae_desktop.store.errors import StoreError
from irae_desktop.store.models import EPISODE_STATUSES, IrAEEpisode, Patient
from irae_desktop.store.patients import require_patient

EDITABLE_FIELDS = ("organ", "onset", "resolution", "grade", "status", "notes")
STATUSES = EPISODE_STATUSES


class EpisodeNotFoundError(StoreError):
    """No episode with that id; someone may have deleted it."""


def snapshot(episode: IrAEEpisode) -> dict[str, Any]:
    return {f: getattr(episode, f) for f in EDITABLE_FIELDS}


def _validate(values: Mapping[str, Any]) -> None:
    if not str(values.get("organ") or "").strip():
        raise StoreError("Say which organ the episode affects (for example hepatitis).")
    if values.get("onset") is None:
        raise StoreError("The onset date is required.")
    if values["onset"] > date.today():
        raise StoreError(f"The onset date {values['onset']} is in the future.")
    resolution = values.get("resolution")
    if resolution is not None and resolution < values["onset"]:
        raise StoreError(f"The resolution date {resolution} is before the onset {values['onset']}.")
    grade = values.get("grade")
    if grade is not None and (isinstance(grade, bool) or grade not in (1, 2, 3, 4, 5)):
        raise StoreError(f"Grade {grade!r} is not a CTCAE grade (1-5).")
    if values.get("status") not in STATUSES:
        raise StoreError(
            f"Unknown status {values.get('status')!r}; expected {', '.join(STATUSES)}."
        )


def _audit(session: Session, user: str, action: str, episode: IrAEEpisode, **kw: Any) -> None:
    patient = session.get(Patient, episode.patient_id)
    record_event(
        session,
        user=user,
        action=action,
        entity="episode",
        entity_id=episode.id,
        patient_id=episode.patient_id,
        patient_mrn=patient.mrn if patient else None,
        **kw,
    )


def _get(session: Session, episode_id: int) -> IrAEEpisode:
    episode = session.get(IrAEEpisode, episode_id, populate_existing=True)
    if episode is None:
        raise EpisodeNotFoundError("This episode no longer exists; someone may have deleted it.")
    return episode


def list_episodes(session: Session, patient_id: int) -> list[IrAEEpisode]:
    query = (
        select(IrAEEpisode)
        .where(IrAEEpisode.patient_id == patient_id)
        .order_by(IrAEEpisode.onset, IrAEEpisode.id)
    )
    return list(session.scalars(query))


def add_episode(
    session: Session,
    user: str,
    patient_id: int,
    *,
    organ: str,
    onset: date,
    grade: int | None = None,
    status: str = "active",
    resolution: date | None = None,
    notes: str | None = None,
) -> IrAEEpisode:
    require_patient(session, patient_id)
    values: dict[str, Any] = {
        "organ": (organ or "").strip(),
        "onset": onset,
        "resolution": resolution,
        "grade": grade,
        "status": status,
        "notes": notes,
    }
    _validate(values)
    episode = IrAEEpisode(patient_id=patient_id, **values)
    session.add(episode)
    session.flush()
    _audit(session, user, "create", episode, after=snapshot(episode))
    return episode


def update_episode(
    session: Session,
    user: str,
    episode_id: int,
    *,
    expected_version: int,
    changes: Mapping[str, Any],
    reason: str | None = None,
) -> IrAEEpisode:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise StoreError(f"Not editable: {', '.join(sorted(unknown))}")
    episode = _get(session, episode_id)
    current = snapshot(episode)
    what = f"The {episode.organ} episode"
    check_version(episode, expected_version, current, changes, what)
    values = dict(changes)
    if "organ" in values:
        values["organ"] = str(values["organ"] or "").strip()
    _validate({**current, **values})
    for key, value in values.items():
        setattr(episode, key, value)
    flush_or_conflict(session, what)
    before, after = changed(current, snapshot(episode))
    if after:
        _audit(session, user, "update", episode, before=before, after=after, reason=reason)
    return episode


def delete_episode(
    session: Session,
    user: str,
    episode_id: int,
    *,
    reason: str | None = None,
    expected_version: int | None = None,
) -> None:
    episode = _get(session, episode_id)
    what = f"The {episode.organ} episode"
    if expected_version is not None:
        check_version(episode, expected_version, snapshot(episode), {}, what)
    _audit(session, user, "delete", episode, before=snapshot(episode), reason=reason)
    session.delete(episode)
    flush_or_conflict(session, what)
