"""Background jobs: results and errors come back on the GUI thread, cancel stops a generator."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

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


@pytest.mark.parametrize("slow", [False, True])
def test_progress_dialog_only_for_slow_jobs(qtbot, slow: bool) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()
    job = run_function(lambda: release.wait(5) if slow else None)
    shown = DelayedProgress(job, None, delay_ms=50)
    if slow:
        qtbot.waitUntil(lambda: shown.dialog is not None, timeout=5000)
        assert shown.dialog.isVisible()  # type: ignore[union-attr]
        release.set()
    qtbot.waitUntil(lambda: job.done, timeout=5000)
    qtbot.wait(100)
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
