"""Loading the worklist: early reads, late stale results, summary fallback, stopping jobs."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QWidget

from irae_desktop.domain.alert_types import AlertSettings
from irae_desktop.store import integrity
from irae_desktop.store.database import Database
from irae_desktop.store.integrity import CheckCancelled, IntegrityReport
from irae_desktop.store.worklist import WorklistRow
from irae_desktop.ui import app as app_module
from irae_desktop.ui import worklist_view
from irae_desktop.ui.worklist_alerts import alert_summaries
from irae_desktop.ui.worklist_view import RowsLoader, WorklistPanel


@pytest.fixture
def panel(qtbot, ui_db: Database, no_alert_engine) -> Iterator[WorklistPanel]:  # type: ignore[no-untyped-def]
    widget = WorklistPanel(ui_db)
    qtbot.addWidget(widget)
    yield widget


def _mrns(panel: WorklistPanel) -> list[str]:
    return sorted(panel.model.row_at(r).mrn for r in range(panel.model.rowCount()))


def test_rows_read_before_the_panel_existed(qtbot, ui_db: Database, panel: WorklistPanel) -> None:  # type: ignore[no-untyped-def]
    ready = RowsLoader(ui_db)
    qtbot.waitUntil(lambda: ready.done, timeout=10_000)
    emitted: list[int] = []
    panel.loaded.connect(lambda: emitted.append(1))
    panel.take(ready)
    assert emitted == []  # never before the caller is back in the event loop (a quit() then
    # would be lost: the loop is not running yet)
    qtbot.waitUntil(lambda: emitted == [1], timeout=10_000)
    assert _mrns(panel) == ["MRN-100", "MRN-200", "MRN-300"]
    running = RowsLoader(ui_db)  # taken while still reading
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        panel.take(running)
    assert panel.model.rowCount() == 3


def test_an_older_load_that_ends_last_is_ignored(
    qtbot, panel: WorklistPanel, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    real = worklist_view._load_rows
    release = threading.Event()

    def slow_load(db: Database) -> tuple[list[WorklistRow], AlertSettings]:
        release.wait(10)  # the first load is slow and brings a stale, empty list
        return [], AlertSettings()

    # each refresh takes the loader it finds when it starts; which of the two background
    # jobs runs first is up to the thread pool, so the slow one is chosen here, not by order
    monkeypatch.setattr(worklist_view, "_load_rows", slow_load)
    slow = panel.refresh()
    monkeypatch.setattr(worklist_view, "_load_rows", real)
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        panel.refresh()
    assert panel.model.rowCount() == 3
    resets: list[int] = []
    panel.model.modelReset.connect(lambda: resets.append(1))
    # the panel's own handler was connected first, so it has run when this wait ends
    with qtbot.waitSignal(slow.succeeded, timeout=10_000) as stale:
        release.set()
    assert stale.args == [([], AlertSettings())]
    assert resets == []
    assert _mrns(panel) == ["MRN-100", "MRN-200", "MRN-300"]


def test_unrepaired_summary_makes_the_worklist_read_the_results(
    qtbot, panel: WorklistPanel, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    used: list[str] = []
    real = worklist_view._load_rows_from_results

    def from_results(db: Database) -> tuple[list[WorklistRow], AlertSettings]:
        used.append("results")
        return real(db)

    monkeypatch.setattr(worklist_view, "_load_rows_from_results", from_results)
    window = QWidget()
    qtbot.addWidget(window)
    window.worklist = panel  # type: ignore[attr-defined]
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        app_module._reload_if_summary_changed(window, IntegrityReport(ok=True, summary_stale=[1]))
    assert used == ["results"] and not panel.use_summary
    assert panel.model.rowCount() == 3


def test_alert_check_stops_when_cancelled(ui_db: Database) -> None:
    ids = [1, 2, 3]
    assert list(alert_summaries(ui_db, ids, cancelled=lambda: True)) == []
    assert sum(len(chunk) for chunk in alert_summaries(ui_db, ids)) == 3


def test_cancelled_health_check_ends_quietly(
    qtbot, ui_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def slow_check(db: Database, directory: object = None, *, cancel) -> IntegrityReport:  # type: ignore[no-untyped-def]
        while not cancel():
            threading.Event().wait(0.01)
        seen.append("cancelled")
        raise CheckCancelled()

    monkeypatch.setattr(integrity, "check_integrity", slow_check)
    monkeypatch.setattr(app_module, "log_bug", lambda *_a: seen.append("bug"))
    window = QWidget()
    qtbot.addWidget(window)
    job = app_module.start_health_checks(window, ui_db)
    with qtbot.waitSignal(job.cancelled, timeout=10_000):
        job.cancel()
    assert seen == ["cancelled"]


def test_early_read_that_failed_says_so(
    qtbot, ui_db: Database, panel: WorklistPanel, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    def broken(_db: Database) -> tuple[list[WorklistRow], AlertSettings]:
        raise OSError("disk gone")

    shown: list[str] = []
    monkeypatch.setattr(worklist_view, "_load_rows", broken)
    monkeypatch.setattr(
        worklist_view, "show_error", lambda _p, exc, action="": shown.append(action)
    )
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        panel.take(RowsLoader(ui_db))
    assert shown == ["load the worklist"]
    assert "could not be loaded" in panel.empty_label.text()
