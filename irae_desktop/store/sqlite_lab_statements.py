"""The INSERT statements of the SQLite lab write: one row, or many rows in one statement."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import bindparam, func, literal_column, null
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Dialect

from irae_desktop.store.errors import StoreError
from irae_desktop.store.lab_insert_row import LabInsertRow, position
from irae_desktop.store.lab_rows import LAB_TABLE

# nullable columns of an imported row that never hold "" (numbers, a flag read as "or None",
# the criteria set's id): their None is sent as "" and stored as NULL by the statement,
# because the driver binds None through its adapter look-up, several times slower than any
# other value
_EMPTY_IS_NULL = ("lln", "uln", "abnormal_flag", "grade", "grade_criteria")
_EMPTY: Any = literal_column("''")


def _sql_literal(key: str, value: Any, dialect: Dialect) -> Any:
    """`value` written into the SQL text as the column's type renders a literal, or NULL."""
    if value is None:
        return null()
    render = LAB_TABLE.c[key].type.literal_processor(dialect)
    if render is None:
        raise StoreError(f"internal error: no literal form for {key}")
    return literal_column(render(value))


def many_rows(one_row_insert: str, rows: int) -> str:
    """`one_row_insert` (INSERT ... VALUES (...) ON CONFLICT DO NOTHING, "?" placeholders)
    for `rows` rows."""
    head, values_keyword, rest = one_row_insert.partition(" VALUES ")
    one_row, tail_keyword, tail = rest.rpartition(" ON CONFLICT DO NOTHING")
    if not (values_keyword and tail_keyword and not tail and one_row.startswith("(")):
        raise StoreError("internal error: unexpected insert statement")
    return f"{head} VALUES {', '.join([one_row] * rows)} ON CONFLICT DO NOTHING"


class LabInsertStatements:
    """The statements for one batch: the shared columns (batch, file and an imported row's
    constants) are literals, so a row binds only what varies."""

    def __init__(self, dialect: Dialect, shared: dict[str, Any]):
        self._dialect = dialect
        self._shared = shared
        self._one: dict[tuple[str, ...], str] = {}
        self._many: dict[tuple[tuple[str, ...], int], str] = {}
        # (field, its place in a row's parameters)
        self.empty_is_null = tuple((key, position(key)) for key in _EMPTY_IS_NULL)

    def storing_empty_as_null(self, nullif: tuple[str, ...]) -> Callable[[int], str]:
        """The statement for a given number of rows (LabInsertRow's fields), whose `nullif`
        columns store "" as NULL."""
        one = self._one.get(nullif)
        if one is None:
            one = self._one[nullif] = self._one_row(nullif)

        def statement(rows: int) -> str:
            if rows == 1:
                return one
            many = self._many.get((nullif, rows))
            if many is None:
                many = self._many[(nullif, rows)] = many_rows(one, rows)
            return many

        return statement

    def _one_row(self, nullif: tuple[str, ...]) -> str:
        dialect = self._dialect
        statement = sqlite_insert(LAB_TABLE).values(
            {
                **{k: _sql_literal(k, v, dialect) for k, v in self._shared.items()},
                **{
                    key: func.nullif(bindparam(key, type_=LAB_TABLE.c[key].type), _EMPTY)
                    for key in nullif
                },
            }
        )
        compiled = statement.on_conflict_do_nothing().compile(
            dialect=dialect, column_keys=list(LabInsertRow._fields)
        )
        if list(compiled.positiontup or ()) != list(LabInsertRow._fields):
            raise StoreError("internal error: unexpected insert parameters")
        return str(compiled)
