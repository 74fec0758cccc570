"""Application start: names, database problems in plain words, first-run demo patients, the
collector paused while the window starts."""

from __future__ import annotations

import gc
import getpass
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from sqlalchemy import func, select

from irae_desktop import process_settings
from irae_desktop.store import paths
from irae_desktop.store.database import open_database
from irae_desktop.store.demo import add_demo_if_empty
from irae_desktop.store.models import Patient
from irae_desktop.ui import app as app_module
from irae_desktop.ui.app import (
    configured_db_url,
    is_new_default_database,
    make_application,
    open_database_for_gui,
)
from irae_desktop.ui.workstation_keys import DB_URL_KEY


def test_application_is_named_for_settings_and_desktop_entry(qapp) -> None:  # type: ignore[no-untyped-def]
    app = make_application()
    assert app is qapp
    assert QCoreApplication.applicationName() == "irae-desktop"
    assert QCoreApplication.organizationName() == "irae-desktop"
    assert app.desktopFileName() == "irae-desktop"


def test_unreachable_server_is_a_plain_message(qapp) -> None:  # type: ignore[no-untyped-def]
    db, problem = open_database_for_gui("postgresql+psycopg://nobody:secret@127.0.0.1:1/irae")
    assert db is None
    assert problem is not None and "cannot be reached" in problem
    assert "secret" not in problem  # the password never reaches the screen


def test_file_in_a_missing_place_is_a_plain_message(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    db, problem = open_database_for_gui(f"sqlite:///{blocker / 'irae.sqlite3'}")
    assert db is None
    assert problem and "Traceback" not in problem


def test_not_a_database_file_is_refused_untouched(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    junk = tmp_path / "notes.sqlite3"
    junk.write_bytes(b"these are my notes, not a database" * 100)
    db, problem = open_database_for_gui(f"sqlite:///{junk}")
    assert db is None
    assert problem and ("not an irae-desktop database" in problem or "cannot be opened" in problem)
    assert junk.read_bytes().startswith(b"these are my notes")


def test_demo_patients_only_in_an_empty_database(db) -> None:  # type: ignore[no-untyped-def]
    added = add_demo_if_empty(db)
    assert len(added) >= 1 and all(m.startswith("DEMO-") for m in added)
    with db.read() as s:
        count = s.scalar(select(func.count()).select_from(Patient))
        assert all(s.scalars(select(Patient.is_synthetic)))
    assert add_demo_if_empty(db) == []
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Patient)) == count


def test_first_run_detection_uses_the_default_file(tmp_path: Path) -> None:
    assert is_new_default_database(None)
    assert not is_new_default_database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    paths.default_db_path().parent.mkdir(parents=True, exist_ok=True)
    paths.default_db_path().write_bytes(b"")
    assert not is_new_default_database(None)


def test_database_chosen_in_settings_is_used_unless_the_environment_says_otherwise(
    qapp,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    QSettings().setValue(DB_URL_KEY, "sqlite:////srv/team.sqlite3")
    try:
        assert configured_db_url() == "sqlite:////srv/team.sqlite3"
        monkeypatch.setenv(paths.DB_URL_ENV, f"sqlite:///{tmp_path / 'env.sqlite3'}")
        assert configured_db_url() is None
    finally:
        QSettings().remove(DB_URL_KEY)


def test_run_gui_first_start_adds_demo_patients_and_says_so(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(app_module, "install_excepthook", lambda: None)
    # the health checks would start in the shared worker pool during a later test
    monkeypatch.setattr(app_module, "HEALTH_CHECK_DELAY_MS", 3_600_000)
    seen: dict[str, str] = {}
    before = {id(w) for w in QApplication.topLevelWidgets()}

    def close_soon() -> None:
        window = next(
            w
            for w in QApplication.topLevelWidgets()
            if type(w).__name__ == "MainWindow" and w.isVisible()
        )
        seen["status"] = window.statusBar().currentMessage()
        signed_in = window.findChild(QLabel, "signedIn")
        seen["signed_in"] = signed_in.text() if signed_in is not None else ""
        seen["privacy"] = str(window.findChild(QWidget, "privacyCover") is not None)
        window.close()

    QTimer.singleShot(1500, close_soon)
    assert app_module.run_gui(None) == 0
    assert "synthetic demonstration" in seen["status"]
    # the window as started shows who is signed in and has its privacy screen
    assert seen["signed_in"] == f"Signed in as {getpass.getuser()}"
    assert seen["privacy"] == "True"
    # the window went with run_gui: it acts on no later change notice
    assert not [
        w
        for w in QApplication.topLevelWidgets()
        if type(w).__name__ == "MainWindow" and id(w) not in before
    ]
    db = open_database(None)
    try:
        with db.read() as s:
            assert s.scalar(select(func.count()).select_from(Patient)) >= 1
    finally:
        db.dispose()


def test_app_icon_comes_from_the_resources(qapp) -> None:  # type: ignore[no-untyped-def]
    from irae_desktop.ui.app import app_icon

    icon = app_icon()
    assert not icon.isNull()
    assert icon.availableSizes()  # several sizes, so panels and docks pick a sharp one


def test_the_window_entry_point_pauses_the_collector_before_the_gui_loads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from irae_desktop.cli.main import main

    seen: list[bool] = []

    def fake_run_gui(db_url: str | None = None) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(app_module, "run_gui", fake_run_gui)
    try:
        assert main(["--db", "sqlite:///unused.sqlite3"]) == 0
    finally:
        gc.enable()
    assert seen == [False]


def test_the_collector_paused_for_the_start_runs_again_once_the_worklist_shows(
    qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(app_module, "install_excepthook", lambda: None)
    # the health checks would start in the shared worker pool during a later test
    monkeypatch.setattr(app_module, "HEALTH_CHECK_DELAY_MS", 3_600_000)
    # windows of earlier tests may still exist: the one to watch is the one run_gui makes
    before = {id(w) for w in QApplication.topLevelWidgets()}
    seen: list[bool] = []

    def new_main_window() -> QWidget | None:
        return next(
            (
                w
                for w in QApplication.topLevelWidgets()
                if type(w).__name__ == "MainWindow" and id(w) not in before
            ),
            None,
        )

    def watch() -> None:
        window = new_main_window()
        if window is None:  # not built yet: look again once run_gui has gone on
            QTimer.singleShot(10, watch)
            return

        def on_loaded() -> None:
            # the first load only, and this window only: a later test's window is not ours
            window.worklist.loaded.disconnect(on_loaded)  # type: ignore[attr-defined]
            seen.append(gc.isenabled())
            QTimer.singleShot(0, window, window.close)

        # run_gui has connected its own slot first; this one runs after it
        window.worklist.loaded.connect(on_loaded)  # type: ignore[attr-defined]

    def give_up() -> None:  # the worklist never showed: end the test instead of hanging
        window = new_main_window()
        if window is not None:
            window.close()
        QApplication.quit()

    QTimer.singleShot(0, watch)
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(give_up)
    guard.start(30_000)
    process_settings.pause_collector_for_start_up()
    try:
        assert not gc.isenabled()
        assert app_module.run_gui(f"sqlite:///{tmp_path / 'start.sqlite3'}") == 0
    finally:
        guard.stop()  # not to fire in a later test
        gc.enable()
    assert seen == [True]
    # run_gui leaves no window behind to act on the change notices of later tests
    assert new_main_window() is None
