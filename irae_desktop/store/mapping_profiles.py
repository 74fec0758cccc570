"""Named CSV column mappings a user saves once and reuses for files of the same layout."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from irae_desktop.store.audit import record_event
from irae_desktop.store.errors import StoreError
from irae_desktop.store.models import MappingProfile


class MappingProfileError(StoreError):
    """A profile name or content that cannot be saved or found."""


def list_profiles(session: Session) -> list[str]:
    return list(session.scalars(select(MappingProfile.name).order_by(MappingProfile.name)))


def load_profile(session: Session, name: str) -> dict[str, Any]:
    profile = session.scalars(
        select(MappingProfile).where(MappingProfile.name == name.strip())
    ).one_or_none()
    if profile is None:
        raise MappingProfileError(f"No saved column mapping named {name.strip()!r}.")
    data = json.loads(profile.mapping_json)
    if not isinstance(data, dict):
        raise MappingProfileError(f"The saved mapping {name!r} is damaged (not a JSON object).")
    return data


def save_profile(session: Session, name: str, mapping: dict[str, Any], *, user: str) -> int:
    """Creates or replaces the profile `name`; returns its id."""
    cleaned = name.strip()
    if not cleaned:
        raise MappingProfileError("A column mapping needs a name.")
    if not isinstance(mapping.get("columns"), dict) or not mapping["columns"]:
        raise MappingProfileError("A column mapping must say which column holds what ('columns').")
    text = json.dumps({**mapping, "name": cleaned}, ensure_ascii=False, sort_keys=True)
    profile = session.scalars(
        select(MappingProfile).where(MappingProfile.name == cleaned)
    ).one_or_none()
    before = None
    if profile is None:
        profile = MappingProfile(name=cleaned, mapping_json=text)
        session.add(profile)
    else:
        before = {"mapping": profile.mapping_json}
        profile.mapping_json = text
    session.flush()
    record_event(
        session,
        user=user,
        action="update" if before else "create",
        entity="mapping_profile",
        entity_id=profile.id,
        before=before,
        after={"name": cleaned, "mapping": text},
    )
    return profile.id


def delete_profile(session: Session, name: str, *, user: str) -> None:
    profile = session.scalars(
        select(MappingProfile).where(MappingProfile.name == name.strip())
    ).one_or_none()
    if profile is None:
        raise MappingProfileError(f"No saved column mapping named {name.strip()!r}.")
    record_event(
        session,
        user=user,
        action="delete",
        entity="mapping_profile",
        entity_id=profile.id,
        before={"name": profile.name, "mapping": profile.mapping_json},
    )
    session.delete(profile)
