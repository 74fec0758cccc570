"""irAE episodes and consult notes: validation, locking, the audit trail and the latest plan."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from irae_desktop.store.database import Database
from irae_desktop.store.episodes import add_episode, delete_episode, list_episodes, update_episode
from irae_desktop.store.errors import ConcurrentEditError, StoreError
from irae_desktop.store.notes import (
    add_note,
    latest_note_with_plan,
    latest_plan,
    list_notes,
    update_note,
)
from tests.store.conftest import audit_rows


def test_episode_lifecycle(db: Database, patient_id: int) -> None:
    with db.write() as s:
        ep = add_episode(s, "alice", patient_id, organ="hepatitis", onset=date(2026, 3, 1), grade=3)
        ep_id = ep.id
    with db.write() as s:
        update_episode(
            s,
            "bob",
            ep_id,
            expected_version=1,
            changes={"status": "resolved", "resolution": date(2026, 4, 2)},
        )
    with db.read() as s:
        (ep,) = list_episodes(s, patient_id)
        assert (ep.status, ep.resolution, ep.version) == ("resolved", date(2026, 4, 2), 2)
    with db.write() as s:
        delete_episode(s, "bob", ep_id, reason="duplicate", expected_version=2)
    with db.read() as s:
        assert list_episodes(s, patient_id) == []
    actions = [(e.action, e.user) for e in audit_rows(db, "episode")]
    assert actions == [("create", "alice"), ("update", "bob"), ("delete", "bob")]
    assert json.loads(audit_rows(db, "episode")[1].after_json or "") == {
        "resolution": "2026-04-02",
        "status": "resolved",
    }


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"organ": " "}, "which organ"),
        ({"grade": 7}, "not a CTCAE grade"),
        ({"grade": True}, "not a CTCAE grade"),
        ({"status": "better"}, "Unknown status"),
        ({"onset": date.today() + timedelta(days=3)}, "in the future"),
        ({"resolution": date(2026, 1, 1)}, "before the onset"),
    ],
)
def test_bad_episode_refused(db: Database, patient_id: int, kwargs, message) -> None:  # type: ignore[no-untyped-def]
    values = {"organ": "diabetes", "onset": date(2026, 2, 1), **kwargs}
    with pytest.raises(StoreError, match=message), db.write() as s:
        add_episode(s, "alice", patient_id, **values)
    with db.read() as s:
        assert list_episodes(s, patient_id) == []
    assert audit_rows(db, "episode") == []


def test_episode_lost_update_refused(db: Database, patient_id: int) -> None:
    with db.write() as s:
        ep_id = add_episode(s, "a", patient_id, organ="hepatitis", onset=date(2026, 3, 1)).id
    with db.write() as s:
        update_episode(s, "bob", ep_id, expected_version=1, changes={"grade": 2})
    with pytest.raises(ConcurrentEditError) as caught, db.write() as s:
        update_episode(s, "alice", ep_id, expected_version=1, changes={"grade": 3})
    assert caught.value.changes == {"grade": (2, 3)}


def test_notes_newest_first_and_latest_plan(db: Database, patient_id: int) -> None:
    t0 = datetime(2026, 3, 1, 9, tzinfo=UTC)
    with db.write() as s:
        add_note(
            s, "alice", patient_id, text="ALT 450, G3", plan="methylpred 1 mg/kg", written_at=t0
        )
        add_note(s, "bob", patient_id, text="ALT falling", written_at=t0 + timedelta(days=1))
    with db.read() as s:
        notes = list_notes(s, patient_id)
        assert [n.author for n in notes] == ["bob", "alice"]
        assert latest_plan(s, patient_id) == "methylpred 1 mg/kg"
        latest = latest_note_with_plan(s, patient_id)
        assert latest is not None and latest.author == "alice"


def test_note_edit_keeps_old_text_in_audit(db: Database, patient_id: int) -> None:
    with db.write() as s:
        note_id = add_note(s, "alice", patient_id, text="first", plan="plan A").id
    with db.write() as s:
        update_note(
            s, "alice", note_id, expected_version=1, changes={"plan": "plan B"}, reason="typo"
        )
    with pytest.raises(ConcurrentEditError) as caught, db.write() as s:
        update_note(s, "bob", note_id, expected_version=1, changes={"plan": "plan C"})
    assert caught.value.changes == {"plan": ("plan B", "plan C")}
    update = audit_rows(db, "note")[-1]
    assert json.loads(update.before_json or "") == {"plan": "plan A"}
    assert json.loads(update.after_json or "") == {"plan": "plan B"}
    with db.read() as s:
        assert latest_plan(s, patient_id) == "plan B"


def test_empty_note_refused(db: Database, patient_id: int) -> None:
    with pytest.raises(StoreError, match="empty"), db.write() as s:
        add_note(s, "alice", patient_id, text="  ", plan="")
    with db.read() as s:
        assert list_notes(s, patient_id) == []
        assert latest_plan(s, patient_id) is None
