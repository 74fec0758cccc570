"""A process-wide interpreter setting changed while any bulk job runs, restored after the last."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

T = TypeVar("T")


class SharedSetting(Generic[T]):
    """A setting of the whole process (the collector's threshold, the thread switch interval)
    that jobs running at the same time share: the first one in changes it, the last one out
    puts back what it was."""

    def __init__(self, read: Callable[[], T], write: Callable[[T], None], during: Callable[[T], T]):
        self._read = read
        self._write = write
        self._during = during
        self._lock = threading.Lock()
        self._users = 0
        self._saved: T | None = None

    @contextmanager
    def held(self) -> Iterator[None]:
        """The setting as `during` makes it from the usual one, for the length of the block."""
        with self._lock:
            if self._users == 0:
                self._saved = usual = self._read()
                self._write(self._during(usual))
            self._users += 1
        try:
            yield
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0 and self._saved is not None:
                    self._write(self._saved)
