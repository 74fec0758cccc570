"""A SQLite driver connection that fails one of the lab writer's statements, for fault injection."""

from __future__ import annotations

from typing import Any


class FailingDriver:
    """The real driver connection, except that the writer's statement number `at` (counting
    from 1, multi-row statements and one-by-one batches alike) raises `error`."""

    def __init__(self, real: Any, *, at: int, error: BaseException):
        self._real = real
        self._at = at
        self._error = error
        self.statements = 0

    def cursor(self) -> Any:
        driver = self
        real_cursor = self._real.cursor()

        class Cursor:
            def _count(self) -> None:
                driver.statements += 1
                if driver.statements == driver._at:
                    raise driver._error

            def execute(self, *args: Any) -> Any:
                self._count()
                return real_cursor.execute(*args)

            def executemany(self, *args: Any) -> Any:
                self._count()
                return real_cursor.executemany(*args)

            def close(self) -> None:
                real_cursor.close()

        return Cursor()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)
