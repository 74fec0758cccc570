"""Interpreter-wide settings, chosen by the program's entry points (the command line, the window)
and never by the code they run: a setting of the whole process changes every thread in it.

The import's SQLite write runs on a thread of its own (store/sqlite_lab_insert.py) while the
importing thread reads on. The sqlite3 driver lets other threads run while SQLite works, but
the writer needs the interpreter back after each statement; at Python's default switch interval
(5 ms) it stands waiting for it for most of the write and the two threads hardly overlap.
"""

from __future__ import annotations

import gc
import sys

# how often (seconds) a thread holding the interpreter hands it over to one waiting for it;
# 0.1-0.5 ms gave the same import times, 5 ms (the default) lost most of the overlap
THREAD_SWITCH_INTERVAL = 0.0005
# objects allocated before a young-generation collection in a bulk import (Python's default
# is 700): an import allocates millions of short-lived objects that hold no cycles, and
# collecting every 700 of them cost a large share of the reading time
BULK_GC_THRESHOLD = 100_000


def quick_thread_switch() -> None:
    """The shorter switch interval the import's writer thread needs, for the whole process.

    The window sets it at start for imports run from it (a quicker hand-over also gives the
    GUI thread the interpreter back sooner while workers run)."""
    sys.setswitchinterval(min(THREAD_SWITCH_INTERVAL, sys.getswitchinterval()))


def tune_for_bulk_import() -> None:
    """Settings for a process whose work is one bulk import (`irae-desktop import`): the
    quick thread switch and fewer young-generation collections.

    The window does not raise the collector's threshold: a young generation of 100,000
    objects, and an older one of ten times that, would each pause the GUI thread when
    collected."""
    quick_thread_switch()
    first, *older = gc.get_threshold()
    gc.set_threshold(max(BULK_GC_THRESHOLD, first), *older)


def pause_collector_for_start_up() -> None:
    """The cyclic collector off while the window starts (the window's entry point calls this
    before the GUI's modules load): loading SQLAlchemy, Qt and the app creates hundreds of
    thousands of objects, nearly all of which live as long as the process, and the collector
    would walk them again and again while they load (about 5% of a cold start).
    `resume_collector_after_start_up` turns it back on once the worklist has shown."""
    gc.disable()


def resume_collector_after_start_up() -> None:
    """The collector back on after the start (a no-op when it was not paused)."""
    gc.enable()
