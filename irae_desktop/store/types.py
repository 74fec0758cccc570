"""Column types shared by the models: timezone-aware UTC timestamps on every backend, and JSON
stored as jsonb on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from irae_desktop.domain.utc import aware_utc, naive_utc


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC; returns aware UTC datetimes.

    SQLite has no time zone type, so values are normalised to UTC and stored naive; a naive
    value handed to the store is a programming error, because its zone would be a guess.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; times must carry a zone")
        return naive_utc(value) if dialect.name == "sqlite" else aware_utc(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        # raw SQLite text too, e.g. from a hand-made fixture database
        return aware_utc(value)


class HistoryJSON(TypeDecorator[Any]):
    """JSON, as jsonb on PostgreSQL (the row history's old and new values).

    The PostgreSQL dialect's types are imported only when a PostgreSQL database is used:
    importing them costs every start of the window about 30 ms, on SQLite for nothing."""

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import JSONB

            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(JSON())


def utcnow() -> datetime:
    return datetime.now(UTC)
