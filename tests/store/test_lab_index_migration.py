"""Migration 0004: lab_results keeps the unique identity and the batch index, loses the two
indexes nothing needs, and gains a partial index of corrected results that the import uses."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from irae_desktop.store.database import open_database
from irae_desktop.store.engine import make_engine
from irae_desktop.store.migrate import alembic_config, current_revision
from irae_desktop.store.schema_version import HEAD_REVISION

DROPPED = {"ix_lab_results_patient_analyte_time", "ix_lab_results_collected_at"}


def _indexes(url: str) -> dict[str, list[str]]:
    engine = make_engine(url)
    try:
        return {
            str(ix["name"]): [str(c) for c in ix["column_names"]]
            for ix in inspect(engine).get_indexes("lab_results")
        }
    finally:
        engine.dispose()


def test_upgrade_from_0003_and_back(any_db_url: str) -> None:
    engine = make_engine(any_db_url)
    try:
        command.upgrade(alembic_config(engine), "0003")
    finally:
        engine.dispose()
    assert set(_indexes(any_db_url)) >= DROPPED
    open_database(any_db_url).dispose()  # start-up runs 0004 and later
    after = _indexes(any_db_url)
    assert not DROPPED & set(after)
    assert after["ix_lab_results_corrected"] == ["patient_id", "analyte", "collected_at"]
    assert "ix_lab_results_batch_id" in after
    engine = make_engine(any_db_url)
    try:
        assert current_revision(engine) == HEAD_REVISION
        command.downgrade(alembic_config(engine), "0003")
    finally:
        engine.dispose()
    back = _indexes(any_db_url)
    assert set(back) >= DROPPED and "ix_lab_results_corrected" not in back


def test_the_superseded_query_reads_the_corrected_index(db) -> None:  # type: ignore[no-untyped-def]
    """An import looks for corrected results through the small partial index, not through its
    own rows (which may be millions)."""
    from irae_desktop.store.lab_writer import LabBatchWriter

    plans: list[str] = []
    with db.write() as session:
        connection = session.connection()
        writer = LabBatchWriter(session, batch_id=1, source_file="x.csv", user="t")
        real = connection.execute

        def explain(statement, *args, **kwargs):  # type: ignore[no-untyped-def]
            sql = str(statement.compile(connection, compile_kwargs={"literal_binds": True}))
            plans.extend(
                str(r[-1]) for r in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)
            )
            return real(statement, *args, **kwargs)

        connection.execute = explain  # type: ignore[method-assign]
        session.connection = lambda *a, **k: connection  # type: ignore[method-assign]
        writer._drop_superseded()
        session.rollback()
    assert any("ix_lab_results_corrected" in plan for plan in plans), plans
    assert not any("ix_lab_results_batch_id" in plan for plan in plans), plans
