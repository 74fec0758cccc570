"""Who is signed in is shown; a read-only account gets a window whose write commands say why."""

from __future__ import annotations

import getpass

import pytest

from irae_desktop.store.access import DatabaseReadOnlyError
from irae_desktop.store.database import Database, open_database
from irae_desktop.store.settings import update_settings
from irae_desktop.ui.access_view import READ_ONLY_REASON, show_access, write_actions
from irae_desktop.ui.main_window import MainWindow
from tests.pg_team import PgTeam


def _window(qtbot, db: Database, qsettings) -> MainWindow:  # type: ignore[no-untyped-def]
    """The window as the app starts it (ui.app.run_gui adds the access view to it)."""
    win = MainWindow(db, qsettings)
    qtbot.addWidget(win)
    win.signed_in_label = show_access(win)  # type: ignore[attr-defined]
    return win


def test_read_only_login_gets_a_read_only_window(
    qtbot, pg_team: PgTeam, qsettings, no_alert_engine
) -> None:  # type: ignore[no-untyped-def]
    bob = pg_team.add("bob", read_only=True)
    db = open_database(pg_team.url_for(bob))
    try:
        win = _window(qtbot, db, qsettings)
        assert win.signed_in_label.text() == f"Signed in as {bob} (read-only)"
        actions = write_actions(win)
        assert len(actions) >= 5
        assert [(a.isEnabled(), a.toolTip()) for a in actions] == [(False, READ_ONLY_REASON)] * len(
            actions
        )
        assert win.act_audit.isEnabled() and win.act_find.isEnabled()  # reading still works
        # the patient view, made when a patient is first opened, offers no write either
        patient_buttons = [*win.patient_view.treatments.buttons.values()]
        patient_buttons.append(win.patient_view.alerts.ack_button)
        assert [b.toolTip() for b in patient_buttons if not b.isEnabled()] == [
            READ_ONLY_REASON
        ] * len(patient_buttons)
        # and a write that gets past the window anyway is refused before it reaches the server
        with pytest.raises(DatabaseReadOnlyError, match="Nothing was saved"), db.write() as s:
            update_settings(s, bob, {"paper_size": "a4"})
        win.close()
    finally:
        db.dispose()


def test_writer_sees_their_login_and_working_commands(
    qtbot, pg_team: PgTeam, qsettings, no_alert_engine, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    alice = pg_team.add("alice")
    monkeypatch.setenv("IRAE_USER", "mallory")  # a claim does not change who is signed in
    db = open_database(pg_team.url_for(alice))
    try:
        win = _window(qtbot, db, qsettings)
        assert win.signed_in_label.text() == f"Signed in as {alice}"
        assert all(a.isEnabled() for a in write_actions(win))
        win.close()
    finally:
        db.dispose()


def test_sqlite_window_names_the_os_user(
    qtbot, ui_db: Database, qsettings, no_alert_engine, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("IRAE_USER", "mallory")
    win = _window(qtbot, ui_db, qsettings)
    assert win.signed_in_label.text() == f"Signed in as {getpass.getuser()}"
    win.close()
