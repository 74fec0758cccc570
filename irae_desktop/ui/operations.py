"""One way to write from the window: off the GUI thread, retried when the database is busy.

Every change the window makes (a patient, a lab value, a note, an acknowledgement, held results,
settings, a mapping) is a store function `work(session, user)` handed to `run_write`. It runs on
a pool thread through store.concurrency.run_operation: one transaction, run again from the start
when SQLite was busy or PostgreSQL reported a serialization failure or deadlock, so nothing is
half-written.
The GUI thread never waits on a database lock (SQLite may wait up to its 15 s busy timeout per
attempt); the window stays responsive and the dialog shows "Saving…" meanwhile.

On success the process-wide change notice says what changed, and every view that shows it
refreshes from that one signal; then the caller's `on_success` runs. On failure the caller gets
plain words for the dialog (by error class, see irae_desktop.ui.errors) and `on_failure` runs.
All callbacks and signals arrive on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from irae_desktop.store.audit import current_user
from irae_desktop.store.concurrency import run_operation
from irae_desktop.store.database import Database
from irae_desktop.ui import workers
from irae_desktop.ui.errors import plain_message

log = logging.getLogger(__name__)

T = TypeVar("T")

# attempts per write from the window: each SQLite attempt may already wait the busy timeout
WRITE_ATTEMPTS = 3

# what a write changed, for the views that show it
PATIENTS = "patients"
LABS = "labs"
ALERTS = "alerts"
TREATMENTS = "treatments"
NOTES = "notes"
HELD = "held"
SETTINGS = "settings"
MAPPINGS = "mappings"


@dataclass(frozen=True)
class Change:
    """What one write changed: kinds of data, and the patient when it was about one."""

    kinds: frozenset[str]
    patient_id: int | None = None


class ChangeNotice(QObject):
    """The one signal the views refresh from after a write from the window (or an import)."""

    changed = Signal(object)  # a Change


_NOTICE: list[ChangeNotice] = []


def change_notice() -> ChangeNotice:
    """The process-wide notice (made on first use, on the GUI thread)."""
    if not _NOTICE:
        _NOTICE.append(ChangeNotice())
    return _NOTICE[0]


def announce(change: Change) -> None:
    """Tells the views that data changed (for writes made elsewhere, e.g. an import)."""
    change_notice().changed.emit(change)


def failure_words(exc: BaseException) -> str:
    """Plain words for a refused write; a bug (already logged by the worker) is said to be one."""
    words = plain_message(exc)
    if words is not None:
        return words
    return "The change could not be saved (unexpected error; see the log). Nothing was written."


class WriteOp(QObject):
    """One write in flight. `saved(result)` or `refused(words)`, then `finished`, on the GUI
    thread; `done`, `result` and `error` tell what happened once it has."""

    saved = Signal(object)
    refused = Signal(str)
    finished = Signal()

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title = title
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None
        self.job: workers.Job | None = None


# writes in flight stay referenced here until they finish, whoever asked for them
_IN_FLIGHT: set[WriteOp] = set()


def writes_in_flight() -> list[WriteOp]:
    return [op for op in _IN_FLIGHT if not op.done]


def run_write(
    db: Database,
    work: Callable[[Any, str], T],
    *,
    title: str,
    change: Change | None,
    on_success: Callable[[T], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    words: Callable[[BaseException], str] = failure_words,
    attempts: int = WRITE_ATTEMPTS,
) -> WriteOp:
    """Runs `work(session, user)` as one retried transaction on a pool thread.

    The user is read here, on the GUI thread. Callbacks are connected before the work starts.
    """
    user = current_user()
    op = WriteOp(title)
    _IN_FLIGHT.add(op)

    def body() -> T:
        return run_operation(db, work, user, attempts=attempts)

    # the data changed whatever a caller's callback does, so the notice goes first and the
    # write counts as finished even if a callback fails
    def succeeded(result: T) -> None:
        op.result = result
        try:
            if change is not None:
                announce(change)
            if on_success is not None:
                on_success(result)
            op.saved.emit(result)
        finally:
            _finish(op)

    def failed(exc: BaseException) -> None:
        op.error = exc
        try:
            text = words(exc)
            if on_failure is not None:
                on_failure(exc)
            op.refused.emit(text)
        finally:
            _finish(op)

    op.job = workers.run_function(body, title=title, on_success=succeeded, on_failure=failed)
    return op


def _finish(op: WriteOp) -> None:
    op.done = True
    _IN_FLIGHT.discard(op)
    op.finished.emit()
