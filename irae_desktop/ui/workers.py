"""Runs Qt-free functions and progress generators off the GUI thread, with cancel and callbacks."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Generator, Iterator
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger(__name__)

# quick jobs finish before this and never flash a dialog
PROGRESS_DELAY_MS = 400

# running jobs are kept referenced here so a caller that drops its handle loses no signals
_ACTIVE: set[Job] = set()


class CancelledError(Exception):
    """The user cancelled the job; whatever it was doing was abandoned."""


class Job(QObject):
    """One unit of background work; its signals arrive on the GUI thread."""

    progress = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, title: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self._cancel = threading.Event()
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _finish(self) -> None:
        self.done = True
        self.finished.emit()


class _Runner(QRunnable):
    def __init__(self, job: Job, body: Callable[[], Any]) -> None:
        super().__init__()
        self.job = job
        self.body = body
        self.setAutoDelete(True)

    def run(self) -> None:
        job = self.job
        try:
            result = self.body()
        except CancelledError:
            job.cancelled.emit()
        except BaseException as exc:
            job.error = exc
            if not _is_expected(exc):
                from irae_desktop.ui.errors import log_bug

                log_bug(log, f"background job {job.title!r} failed", exc)
            job.failed.emit(exc)
        else:
            if job.is_cancelled():
                job.cancelled.emit()
            else:
                job.result = result
                job.succeeded.emit(result)
        finally:
            job._finish()


def _is_expected(exc: BaseException) -> bool:
    from irae_desktop.ui.errors import plain_message

    return plain_message(exc) is not None


def _drain(job: Job, gen: Generator[Any, None, Any] | Iterator[Any]) -> Any:
    """Iterates a progress generator, checking for cancel between steps; returns its value."""
    while True:
        if job.is_cancelled():
            close = getattr(gen, "close", None)
            if close is not None:
                close()  # GeneratorExit lets the generator roll back its transaction
            raise CancelledError
        try:
            item = next(gen)
        except StopIteration as stop:
            return stop.value
        job.progress.emit(item)


def run_function(
    fn: Callable[..., Any],
    *args: Any,
    title: str = "Working",
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    parent: QObject | None = None,
    **kwargs: Any,
) -> Job:
    """Calls `fn(*args, **kwargs)` on a pool thread.

    Pass every callback here: they are connected before the job starts, so none is missed.
    """
    job = Job(title, parent)
    _connect(job, on_success, on_failure)
    QThreadPool.globalInstance().start(_Runner(job, lambda: fn(*args, **kwargs)))
    return job


def run_generator(
    make: Callable[[], Generator[Any, None, Any] | Iterator[Any]],
    *,
    title: str = "Working",
    on_progress: Callable[[Any], None] | None = None,
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    on_cancel: Callable[[], None] | None = None,
    parent: QObject | None = None,
) -> Job:
    """Runs a generator made by `make()` on a pool thread; each yielded item is a progress signal.

    The generator is created on the worker thread, so any database session it opens lives there.
    """
    job = Job(title, parent)
    _connect(job, on_success, on_failure)
    if on_progress is not None:
        job.progress.connect(on_progress)
    if on_cancel is not None:
        job.cancelled.connect(on_cancel)
    QThreadPool.globalInstance().start(_Runner(job, lambda: _drain(job, make())))
    return job


def _connect(
    job: Job,
    on_success: Callable[[Any], None] | None,
    on_failure: Callable[[BaseException], None] | None,
) -> None:
    _ACTIVE.add(job)
    job.finished.connect(lambda: _ACTIVE.discard(job))
    if on_success is not None:
        job.succeeded.connect(on_success)
    if on_failure is not None:
        job.failed.connect(on_failure)


def active_jobs() -> list[Job]:
    return [job for job in _ACTIVE if not job.done]


def shutdown(timeout_ms: int = 15_000) -> bool:
    """On quit: cancels every job (a cancelled import rolls back) and waits for the threads.

    Returns False if some job was still running after `timeout_ms`.
    """
    for job in active_jobs():
        job.cancel()
    return bool(QThreadPool.globalInstance().waitForDone(timeout_ms))


class DelayedProgress(QObject):
    """A progress dialog for a job that appears only if the job is still running after a delay."""

    def __init__(
        self,
        job: Job,
        parent: QWidget | None,
        *,
        label: str | None = None,
        cancellable: bool = True,
        delay_ms: int = PROGRESS_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self.job = job
        self._parent = parent
        self._label = label or f"{job.title}…"
        self._cancellable = cancellable
        self.dialog: QProgressDialog | None = None
        self._value = 0
        self._maximum = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show)
        job.finished.connect(self._close)
        self._timer.start(delay_ms)

    def set_progress(self, value: int, maximum: int, text: str | None = None) -> None:
        self._value, self._maximum = value, maximum
        if text:
            self._label = text
        if self.dialog is not None:
            self.dialog.setMaximum(maximum)
            self.dialog.setValue(min(value, maximum) if maximum else 0)
            self.dialog.setLabelText(self._label)

    def _show(self) -> None:
        if self.job.done:
            return
        dialog = QProgressDialog(
            self._label, "Cancel" if self._cancellable else "", 0, 0, self._parent
        )
        dialog.setWindowTitle(self.job.title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if not self._cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(self.job.cancel)
        dialog.setMaximum(self._maximum)
        dialog.setValue(min(self._value, self._maximum) if self._maximum else 0)
        self.dialog = dialog
        dialog.show()

    def _close(self) -> None:
        self._timer.stop()
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.job.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
