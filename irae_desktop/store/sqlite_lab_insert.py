"""The SQLite write of imported lab rows: multi-row INSERTs on a second thread, off the reader."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence
from contextlib import closing
from itertools import chain
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from irae_desktop.store.errors import StoreError
from irae_desktop.store.lab_insert_row import LabInsertRow, position
from irae_desktop.store.lab_rows import LAB_TABLE, batch_columns
from irae_desktop.store.sqlite_lab_statements import LabInsertStatements

# rows per INSERT statement. The driver lets other threads run while SQLite executes a
# statement, but takes the interpreter back between two rows of an executemany; a statement
# of many rows keeps SQLite's work (indexes, pages) off the interpreter for longer
ROWS_PER_STATEMENT = 256


class SqliteLabInsert:
    """Writes the rows of one import batch to SQLite, each chunk on a thread of its own.

    `run` prepares a chunk and starts its write, then returns, so the import reads the next
    chunk while SQLite stores this one; the next `run` waits for it before starting. Nothing
    else touches the connection meanwhile: any statement, commit or rollback on the session's
    connection first waits for the write in progress (connection events), so every statement
    sees the rows written before it, in file order. A write that fails makes every later
    statement raise its error, and a commit raise it after rolling the batch back.

    The columns every row of the batch shares are literals in the statement (see
    LabInsertStatements), and a timestamp's stored text is made once per distinct time with
    the dialect's own processor. Floats go to the driver as they are: the columns have REAL
    affinity, which stores an integer as the float SQLAlchemy's float() would have made of it.
    """

    def __init__(self, session: Session, *, batch_id: int, source_file: str):
        self.connection = session.connection()
        dialect = self.connection.dialect
        self._driver: sqlite3.Connection = (
            self.connection.connection.dbapi_connection  # type: ignore[assignment]
        )
        bindable = self._driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        self.rows_per_statement = max(
            1, min(ROWS_PER_STATEMENT, bindable // len(LabInsertRow._fields))
        )
        self.statements = LabInsertStatements(dialect, batch_columns(batch_id, source_file))
        self._time_index = position("collected_at")
        self._width = len(LabInsertRow._fields)
        self._time_text = (
            LAB_TABLE.c["collected_at"].type.dialect_impl(dialect).bind_processor(dialect)
        )
        # a few distinct collection times serve many rows (one per panel)
        self._times: dict[Any, Any] = {}
        self._writing: threading.Thread | None = None
        self._failure: BaseException | None = None
        event.listen(self.connection, "before_cursor_execute", self._before_statement)
        event.listen(self.connection, "commit", self._before_commit)
        event.listen(self.connection, "rollback", self._before_rollback)

    def run(self, rows: Sequence[Sequence[Any]]) -> None:
        """Starts writing `rows` (each LabInsertRow's fields in order, as the row or a list)
        once the chunk before is written."""
        if not rows:
            return
        params, statement = self._prepare(rows)
        step = self.rows_per_statement
        whole = len(rows) - len(rows) % step if step > 1 else 0
        many = statement(step) if whole else ""
        one = statement(1) if whole < len(rows) else ""
        self.wait()
        writing = threading.Thread(
            target=self._write,
            args=(many, one, step, whole, params),
            name="irae-lab-insert",
            daemon=True,
        )
        self._writing = writing
        writing.start()

    def wait(self) -> None:
        """Returns once every chunk handed to `run` is written; raises what writing one raised."""
        self._join()
        if self._failure is not None:
            raise self._failure

    def _join(self) -> None:
        writing = self._writing
        if writing is not None:
            writing.join()
            self._writing = None

    def _prepare(self, rows: Sequence[Sequence[Any]]) -> tuple[list[Any], Callable[[int], str]]:
        """The chunk's parameters, row after row in one list, with the stored text of each
        time and "" for a missing value of the columns that never hold ""; and the statements
        that store that "" as NULL."""
        times = self._times
        if len(times) > 100_000:
            times.clear()
        text_of = self._time_text or str

        def remembered(when: Any) -> Any:
            text = times[when] = text_of(when)
            return text

        width = self._width
        params = list(chain.from_iterable(rows))
        if len(params) != width * len(rows):
            raise StoreError("internal error: a lab row of the wrong width")
        # one column of every row at a time: params[column::width]
        column = self._time_index
        # a time's text is never empty, so `or` only calls for a time not seen yet
        params[column::width] = [
            times.get(when) or remembered(when) for when in params[column::width]
        ]
        missing = []
        for key, column in self.statements.empty_is_null:
            values = params[column::width]
            if None in values:
                missing.append(key)
                params[column::width] = ["" if value is None else value for value in values]
        return params, self.statements.storing_empty_as_null(tuple(missing))

    def _write(self, many: str, one: str, step: int, whole: int, params: list[Any]) -> None:
        """The writing thread's work: the rows in statements of `step` rows up to `whole`,
        the rest one by one, all in file order (`params`: every row's values in turn)."""
        sql = many or one
        width = self._width
        try:
            # inside the try: whatever fails here must reach the importing thread, or the
            # batch would be committed without these rows
            with closing(self._driver.cursor()) as cursor:
                size = step * width
                for start in range(0, whole * width, size):
                    cursor.execute(many, params[start : start + size])
                if whole * width < len(params):
                    sql = one
                    cursor.executemany(
                        one,
                        [
                            params[start : start + width]
                            for start in range(whole * width, len(params), width)
                        ],
                    )
        except sqlite3.Error as exc:
            # raised as SQLAlchemy's, as every other statement's errors are
            self._failure = DBAPIError.instance(sql[:2000], None, exc, sqlite3.Error)
        except BaseException as exc:  # handed to the importing thread, which raises it
            self._failure = exc

    def _before_statement(self, *_args: Any) -> None:
        self.wait()

    def _before_commit(self, *_args: Any) -> None:
        try:
            self.wait()
        except BaseException:
            # SQLAlchemy ends its transaction even when this hook raises, and would hand the
            # connection back to the pool as clean: the driver's transaction must end here,
            # without the batch
            self._failure = None
            self._driver.rollback()
            raise

    def _before_rollback(self, *_args: Any) -> None:
        # the rollback undoes a failed write with the rest of the batch
        self._join()
        self._failure = None
