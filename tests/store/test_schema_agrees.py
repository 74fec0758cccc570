"""The SQLAlchemy models and the schema the migrations build agree, on SQLite and PostgreSQL.

Alembic's autogenerate comparison covers tables, columns, types, nullability, indexes and
unique constraints but not CHECK constraints, so those are compared by name and column here.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from irae_desktop.store.database import open_database
from irae_desktop.store.engine import make_engine
from irae_desktop.store.models import Base


def schema_differences(engine: sa.Engine, metadata: sa.MetaData) -> list[Any]:
    """What autogenerate would write to bring the database to `metadata`, plus CHECK
    constraints present on one side only."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs: list[Any] = list(compare_metadata(context, metadata))
        inspector = sa.inspect(conn)
        for table in metadata.sorted_tables:
            declared = {
                str(c.name)
                for c in table.constraints
                if isinstance(c, sa.CheckConstraint) and c.name is not None
            }
            stored = {str(c["name"]) for c in inspector.get_check_constraints(table.name)}
            diffs += [("check only in the models", table.name, n) for n in declared - stored]
            diffs += [("check only in the database", table.name, n) for n in stored - declared]
    return diffs


def test_models_and_migrated_schema_agree(any_db_url: str) -> None:
    open_database(any_db_url).dispose()  # every migration up to head
    engine = make_engine(any_db_url)
    try:
        assert schema_differences(engine, Base.metadata) == []
    finally:
        engine.dispose()


def _changed_models() -> sa.MetaData:
    """The models with one column more, one CHECK fewer and one index more."""
    metadata = sa.MetaData(naming_convention=dict(Base.metadata.naming_convention))
    for table in Base.metadata.sorted_tables:
        table.to_metadata(metadata)
    patients = metadata.tables["patients"]
    patients.append_column(sa.Column("nickname", sa.String(40)))
    episodes = metadata.tables["irae_episodes"]
    status = next(
        c
        for c in episodes.constraints
        if isinstance(c, sa.CheckConstraint) and str(c.name).endswith("_status")
    )
    episodes.constraints.discard(status)
    sa.Index("ix_notes_author", metadata.tables["consult_notes"].c.author)
    return metadata


def test_a_model_change_without_a_migration_is_found(any_db_url: str) -> None:
    open_database(any_db_url).dispose()
    engine = make_engine(any_db_url)
    try:
        found = schema_differences(engine, _changed_models())
    finally:
        engine.dispose()
    text = repr(found)
    assert "nickname" in text
    assert "('check only in the database', 'irae_episodes', 'ck_irae_episodes_status')" in text
    assert "ix_notes_author" in text
