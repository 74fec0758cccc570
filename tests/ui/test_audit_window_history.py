"""The audit window shows the database's row history beside the app's own events (PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from irae_desktop.store.database import open_database
from irae_desktop.ui.audit_dialog import AuditDialog
from tests.pg_team import PgTeam
from tests.store.test_row_history import _patient_with_alt


def test_a_change_by_another_client_is_shown_with_its_login(
    qtbot, pg_team: PgTeam, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    alice, bob = pg_team.add("alice"), pg_team.add("bob")
    monkeypatch.setenv("IRAE_USER", "mallory")
    _, lab_id = _patient_with_alt(pg_team.url_for(bob), bob)
    other = create_engine(pg_team.url_for(alice))  # a second client, not the app
    try:
        with other.begin() as conn:
            conn.execute(text("UPDATE lab_results SET value = 1200 WHERE id = :i"), {"i": lab_id})
    finally:
        other.dispose()
    db = open_database(pg_team.url_for(bob))
    try:
        trail = AuditDialog(db)
        qtbot.addWidget(trail)
        table = trail.table
        rows = [
            [table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())
        ]
        changed = [r for r in rows if r[1] == alice]
        assert len(changed) == 1
        assert changed[0][2:5] == ["row changed", "Row History (RH-1)", f"lab results row {lab_id}"]
        fields = changed[0][5].split("\n")
        value_at = fields.index("value")
        assert (changed[0][6].split("\n")[value_at], changed[0][7].split("\n")[value_at]) == (
            "120",
            "1200",
        )
        # bob's own events, with the name his client claimed beside his login
        assert f"{bob} (claimed mallory)" in {r[1] for r in rows}
        trail.close()
    finally:
        db.dispose()
