"""Writes an import's chunks of rows on a second thread, in the import's own SQLite transaction,
while the importing thread reads and checks the next chunk."""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import chain
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

# rows per INSERT statement at most: SQLite works through a whole multi-row statement without
# the interpreter lock, so fewer, larger statements leave the reading thread more room
ROWS_PER_STATEMENT = 500


class BackgroundInsert:
    """One chunk at a time goes to a worker thread that inserts it with multi-row INSERTs on
    the import's connection; the sqlite3 driver releases the interpreter lock while SQLite
    works, so reading and writing overlap on two cores.

    The connection is never used by both threads at once: every statement the importing
    thread sends through SQLAlchemy first waits for the chunk in flight (an event on the
    connection), and `submit` and `close` wait too. A failed chunk raises, as a SQLAlchemy
    DBAPIError, at the next statement or `close`, so the import's transaction rolls back.
    """

    def __init__(self, connection: Connection, table: str, columns: list[str]):
        self.connection = connection
        driver = connection.connection.driver_connection
        if not isinstance(driver, sqlite3.Connection):
            raise TypeError("BackgroundInsert needs the sqlite3 driver")
        self._driver = driver
        variables = driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        self.rows_per_statement = max(1, min(ROWS_PER_STATEMENT, variables // len(columns)))
        one_row = "(" + ", ".join("?" * len(columns)) + ")"
        self._head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
        self._tail = " ON CONFLICT DO NOTHING"
        self._one_row = one_row
        self._sql: dict[int, str] = {}
        self._pending: Future[None] | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="irae-import-write")
        self._worker: int | None = None
        self._closed = False
        event.listen(connection, "before_cursor_execute", self._before_execute)

    def submit(self, rows: list[tuple[Any, ...]]) -> None:
        """Queues one chunk (rows in column order, already converted for the driver)."""
        if self._closed:
            raise RuntimeError("the background insert is closed")
        self.wait()
        self._pending = self._pool.submit(self._insert, rows)

    def wait(self) -> None:
        """Returns once no chunk is in flight; raises the error of a failed one."""
        pending, self._pending = self._pending, None
        if pending is None:
            return
        try:
            pending.result()
        except sqlite3.Error as exc:
            raise DBAPIError.instance(
                self._head + "...", None, exc, sqlite3.Error, ismulti=True
            ) from exc

    def close(self) -> None:
        """Waits for the chunk in flight (raising its error) and stops the worker."""
        if self._closed:
            return
        self._closed = True
        try:
            self.wait()
        finally:
            event.remove(self.connection, "before_cursor_execute", self._before_execute)
            self._pool.shutdown(wait=True)

    def _before_execute(self, *_args: Any) -> None:
        if threading.get_ident() != self._worker:
            self.wait()

    def _statement(self, count: int) -> str:
        sql = self._sql.get(count)
        if sql is None:
            sql = self._sql[count] = self._head + ", ".join([self._one_row] * count) + self._tail
        return sql

    def _insert(self, rows: list[tuple[Any, ...]]) -> None:
        self._worker = threading.get_ident()
        cursor = self._driver.cursor()
        try:
            step = self.rows_per_statement
            for start in range(0, len(rows), step):
                part = rows[start : start + step]
                cursor.execute(self._statement(len(part)), list(chain.from_iterable(part)))
        finally:
            cursor.close()
