"""The declarative base every table model shares, and the CHECK constraints they are written
with: the naming convention that gives each constraint and index its name, enumerated columns as
comparisons joined by OR, CTCAE grades. The models are in store/models.py and, one module per
later aggregate, beside it (store/screening_model.py); models.py imports them all, so
Base.metadata holds every table whoever imports the models."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def one_of(name: str, values: tuple[str, ...], *, nullable: bool = False) -> CheckConstraint:
    """A CHECK that the column `name` holds one of `values` (or NULL when `nullable`), as
    comparisons joined by OR: SQLite builds a lookup table for an IN list each time a
    statement runs, once per row of an import (0008_checks_as_comparisons)."""
    test = " OR ".join(f"{name} = '{v}'" for v in values)
    return CheckConstraint(f"{name} IS NULL OR {test}" if nullable else test, name=name)


def grade_check(name: str) -> CheckConstraint:
    """A CHECK that the column `name` is a CTCAE grade (0 within range, 1-5) or NULL."""
    return CheckConstraint(f"{name} IS NULL OR ({name} >= 0 AND {name} <= 5)", name=name)
