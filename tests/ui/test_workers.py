"""Background jobs: results and errors come back on the GUI thread, cancel stops a generator."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QProgressDialog

from irae_desktop.ui.workers import DelayedProgress, run_function, run_generator


def test_function_result_arrives_on_the_gui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    gui = threading.get_ident()
    seen: list[tuple[int, bool]] = []

    def work(a: int, b: int) -> tuple[int, int]:
        return a + b, threading.get_ident()

    job = run_function(work, 2, 3, on_success=lambda r: seen.append((r[0], r[1] != gui)))
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [(5, True)]
    assert job.done and job.result[0] == 5


def test_failure_is_delivered_not_lost(qtbot) -> None:  # type: ignore[no-untyped-def]
    errors: list[BaseException] = []

    def boom() -> None:
        raise PermissionError(13, "Permission denied", "/secret/file.csv")

    job = run_function(boom, on_failure=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert job.done and job.error is errors[0]
    assert isinstance(errors[0], PermissionError)


def test_generator_progress_and_return_value(qtbot) -> None:  # type: ignore[no-untyped-def]
    def steps() -> Iterator[int]:
        yield from range(5)
        return "done"

    progress: list[int] = []
    result: list[str] = []
    run_generator(steps, on_progress=progress.append, on_success=result.append)
    qtbot.waitUntil(lambda: bool(result), timeout=5000)
    assert progress == [0, 1, 2, 3, 4]
    assert result == ["done"]


def test_cancel_closes_the_generator_so_it_can_roll_back(qtbot) -> None:  # type: ignore[no-untyped-def]
    gate = threading.Event()
    closed: list[bool] = []

    def steps() -> Iterator[int]:
        try:
            yield 1
            gate.wait(5)
            yield 2
            yield 3
        except GeneratorExit:
            closed.append(True)
            raise

    succeeded: list[object] = []
    cancelled: list[bool] = []
    jobs = []

    def on_step(_step: int) -> None:
        jobs[0].cancel()
        gate.set()

    jobs.append(
        run_generator(
            steps,
            on_progress=on_step,
            on_success=succeeded.append,
            on_cancel=lambda: cancelled.append(True),
        )
    )
    qtbot.waitUntil(lambda: bool(cancelled), timeout=5000)
    assert closed == [True]
    assert succeeded == []


class _DialogShows(QObject):
    """Counts every progress dialog that is shown, however briefly it stays up."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QProgressDialog):
            self.count += 1
        return False


@pytest.fixture
def dialog_shows(qapp) -> Iterator[_DialogShows]:  # type: ignore[no-untyped-def]
    shows = _DialogShows()
    qapp.installEventFilter(shows)
    yield shows
    qapp.removeEventFilter(shows)


def test_a_job_that_ends_within_the_delay_never_flashes_a_dialog(
    qtbot, dialog_shows: _DialogShows
) -> None:  # type: ignore[no-untyped-def]
    delay_ms = 1000
    release = threading.Event()
    job = run_function(lambda: release.wait(5))
    shown = DelayedProgress(job, None, delay_ms=delay_ms)  # kept, as callers keep theirs
    # started after the dialog's timer with the same interval, so it fires after that one would
    delay_over = QTimer()
    delay_over.setSingleShot(True)
    delay_over.start(delay_ms)
    # the job runs for a tenth of the delay, with the event loop turning meanwhile
    running = QTimer()
    running.setSingleShot(True)
    with qtbot.waitSignal(running.timeout, timeout=5000):
        running.start(delay_ms // 10)
    with qtbot.waitSignal(job.finished, timeout=5000):
        release.set()
    assert delay_over.isActive(), "the job did not end within the delay: nothing to check"
    with qtbot.waitSignal(delay_over.timeout, timeout=5000):
        pass
    assert dialog_shows.count == 0
    assert shown.dialog is None


def test_a_slow_job_shows_its_dialog_until_it_ends(qtbot, dialog_shows: _DialogShows) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()
    job = run_function(lambda: release.wait(5))
    shown = DelayedProgress(job, None, delay_ms=50)
    qtbot.waitUntil(lambda: shown.dialog is not None, timeout=5000)
    dialog = shown.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog_shows.count == 1
    with qtbot.waitSignal(job.finished, timeout=5000):
        release.set()
    # closed, and perhaps already deleted when the event loop got to its deferred deletion
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()
    assert shown.dialog is None


def test_shutdown_cancels_running_generators_and_waits(qtbot) -> None:  # type: ignore[no-untyped-def]
    from irae_desktop.ui.workers import active_jobs, shutdown

    closed: list[bool] = []
    started = threading.Event()

    def endless() -> Iterator[int]:
        try:
            while True:
                started.set()
                yield 1
        except GeneratorExit:
            closed.append(True)
            raise

    job = run_generator(endless)
    assert started.wait(5)
    assert job in active_jobs()
    assert shutdown(5000)
    assert closed == [True]
