"""Migration 0007_check_constraints, from every earlier revision with data, on SQLite and
PostgreSQL: other spellings of known values are rewritten, unknown values stop the upgrade
with nothing changed, no row is lost, and the constraints then refuse what they should."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.exc import IntegrityError

from irae_desktop.store.engine import make_engine
from irae_desktop.store.migrate import alembic_config, current_revision
from irae_desktop.store.schema_version import KNOWN_REVISIONS

CHECKS = "0007_check_constraints"
EARLIER = KNOWN_REVISIONS[: KNOWN_REVISIONS.index(CHECKS)]
AT = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)

_T = sa.table
_C = sa.column
PATIENTS = _T(
    "patients",
    *(_C(n, sa.String) for n in ("mrn", "name", "sex", "status")),
    _C("id", sa.Integer),
    _C("is_synthetic", sa.Boolean),
    _C("created_at", sa.DateTime(timezone=True)),
    _C("updated_at", sa.DateTime(timezone=True)),
    _C("version", sa.Integer),
)
LABS = _T(
    "lab_results",
    _C("id", sa.Integer),
    _C("patient_id", sa.Integer),
    _C("collected_at", sa.DateTime(timezone=True)),
    _C("value", sa.Float),
    _C("grade", sa.Integer),
    _C("is_baseline", sa.Boolean),
    _C("version", sa.Integer),
    *(
        _C(n, sa.String)
        for n in ("analyte", "comparator", "unit", "original_text", "original_unit", "status")
    ),
)
LINES = _T(
    "treatment_lines",
    _C("id", sa.Integer),
    _C("patient_id", sa.Integer),
    _C("category", sa.String),
    _C("agent", sa.String),
    _C("start_date", sa.Date),
    _C("version", sa.Integer),
)
STEPS = _T(
    "dose_steps",
    _C("line_id", sa.Integer),
    _C("start_date", sa.Date),
    _C("dose", sa.Float),
    _C("dose_unit", sa.String),
)
HOLDS = _T("treatment_holds", _C("line_id", sa.Integer), _C("start_date", sa.Date))
EPISODES = _T(
    "irae_episodes",
    _C("patient_id", sa.Integer),
    _C("organ", sa.String),
    _C("onset", sa.Date),
    _C("grade", sa.Integer),
    _C("status", sa.String),
    _C("version", sa.Integer),
)
UNMATCHED = _T(
    "unmatched_lab_rows",
    *(_C(n, sa.String) for n in ("mrn", "analyte", "comparator", "unit", "record_json")),
    _C("collected_at", sa.DateTime(timezone=True)),
    _C("value", sa.Float),
)
RANGES = _T(
    "site_reference_ranges",
    *(_C(n, sa.String) for n in ("analyte", "sex", "unit")),
    _C("uln", sa.Float),
)
NOTES = _T(
    "consult_notes",
    _C("patient_id", sa.Integer),
    _C("written_at", sa.DateTime(timezone=True)),
    _C("author", sa.String),
    _C("text", sa.Text),
    _C("version", sa.Integer),
)


def _patient(mrn: str, pid: int, sex: str | None, status: str) -> dict[str, Any]:
    return {
        "id": pid,
        "mrn": mrn,
        "name": mrn,
        "sex": sex,
        "status": status,
        "is_synthetic": False,
        "created_at": AT,
        "updated_at": AT,
        "version": 1,
    }


def _lab(lid: int, pid: int, comparator: str, status: str, grade: int | None) -> dict[str, Any]:
    return {
        "id": lid,
        "patient_id": pid,
        "analyte": "ALT",
        "collected_at": AT.replace(day=lid),
        "value": 40.0 * lid,
        "comparator": comparator,
        "unit": "U/L",
        "original_text": str(40 * lid),
        "original_unit": "U/L",
        "status": status,
        "grade": grade,
        "is_baseline": False,
        "version": 1,
    }


def _fill(engine: sa.Engine, *, unknown: bool = False) -> None:
    """Rows as a database of an earlier version might hold them: known values, and values
    in other spellings written by hand or by another tool (upper case, spaces, "=<")."""
    with engine.begin() as conn:
        conn.execute(
            sa.insert(PATIENTS),
            [
                _patient("P1", 1, "F", "active"),
                _patient("P2", 2, "m", "Signed Off"),
                _patient("P3", 3, "", " ACTIVE"),
                _patient("P4", 4, "U", "signed_off"),
            ],
        )
        conn.execute(
            sa.insert(LABS),
            [
                _lab(1, 1, "", "final", 0),
                _lab(2, 1, "=<", " Final", 1),
                _lab(3, 2, "≥", "CORRECTED", None),
                _lab(4, 2, ">", "entered in error", 4),
                _lab(5, 3, "<", "needs review", None),
                _lab(6, 4, "", "preliminary", 7 if unknown else 2),
                _lab(7, 4, "", "amended" if unknown else "final", 3),
            ],
        )
        conn.execute(
            sa.insert(LINES),
            [
                {
                    "id": 1,
                    "patient_id": 1,
                    "category": "ICI",
                    "agent": "pembrolizumab",
                    "start_date": date(2026, 1, 5),
                    "version": 1,
                },
                {
                    "id": 2,
                    "patient_id": 2,
                    "category": "Immunosuppression ",
                    "agent": "prednisone",
                    "start_date": date(2026, 2, 5),
                    "version": 1,
                },
            ],
        )
        conn.execute(
            sa.insert(STEPS),
            [{"line_id": 2, "start_date": date(2026, 2, 12), "dose": 40.0, "dose_unit": "mg"}],
        )
        conn.execute(sa.insert(HOLDS), [{"line_id": 1, "start_date": date(2026, 2, 20)}])
        conn.execute(
            sa.insert(EPISODES),
            [
                {
                    "patient_id": 1,
                    "organ": "hepatitis",
                    "onset": date(2026, 2, 20),
                    "grade": 3,
                    "status": "Improving",
                    "version": 1,
                },
                {
                    "patient_id": 2,
                    "organ": "diabetes",
                    "onset": date(2026, 2, 22),
                    "grade": None,
                    "status": "active",
                    "version": 1,
                },
            ],
        )
        conn.execute(
            sa.insert(UNMATCHED),
            [
                {
                    "mrn": "X9",
                    "analyte": "ALT",
                    "comparator": "=>",
                    "unit": "U/L",
                    "record_json": "{}",
                    "collected_at": AT,
                    "value": 900.0,
                }
            ],
        )
        conn.execute(
            sa.insert(RANGES),
            [
                {"analyte": "ALT", "sex": " ", "unit": "U/L", "uln": 40.0},
                {"analyte": "ALT", "sex": "f", "unit": "U/L", "uln": 33.0},
            ],
        )
        conn.execute(
            sa.insert(NOTES),
            [{"patient_id": 2, "written_at": AT, "author": "dr", "text": "plan", "version": 1}],
        )


def _engine_at(url: str, revision: str) -> sa.Engine:
    engine = make_engine(url)
    command.upgrade(alembic_config(engine), revision)
    return engine


def _column(engine: sa.Engine, table: str, column: str, order: str = "id") -> list[Any]:
    with engine.connect() as conn:
        return list(conn.scalars(sa.text(f"SELECT {column} FROM {table} ORDER BY {order}")))


def _counts(engine: sa.Engine) -> dict[str, int]:
    tables = (
        "patients",
        "lab_results",
        "treatment_lines",
        "dose_steps",
        "treatment_holds",
        "irae_episodes",
        "consult_notes",
        "unmatched_lab_rows",
        "site_reference_ranges",
    )
    with engine.connect() as conn:
        return {t: int(conn.scalar(sa.text(f"SELECT count(*) FROM {t}")) or 0) for t in tables}


def _refused(engine: sa.Engine, statement: str) -> bool:
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(statement))
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize("start", EARLIER)
def test_upgrade_with_data_rewrites_spellings_and_keeps_every_row(
    any_db_url: str, start: str
) -> None:
    engine = _engine_at(any_db_url, start)
    try:
        _fill(engine)
        before = _counts(engine)
        assert before == {
            "patients": 4,
            "lab_results": 7,
            "treatment_lines": 2,
            "dose_steps": 1,
            "treatment_holds": 1,
            "irae_episodes": 2,
            "consult_notes": 1,
            "unmatched_lab_rows": 1,
            "site_reference_ranges": 2,
        }
        command.upgrade(alembic_config(engine), CHECKS)
        assert current_revision(engine) == CHECKS
        # no row went with a copied parent table (foreign keys cascade on delete)
        assert _counts(engine) == before
        assert _column(engine, "patients", "status") == [
            "active",
            "signed_off",
            "active",
            "signed_off",
        ]
        assert _column(engine, "patients", "sex") == ["F", "M", None, "U"]
        assert _column(engine, "lab_results", "status") == [
            "final",
            "final",
            "corrected",
            "entered-in-error",
            "needs_review",
            "preliminary",
            "final",
        ]
        assert _column(engine, "lab_results", "comparator") == ["", "<=", ">=", ">", "<", "", ""]
        assert _column(engine, "lab_results", "grade") == [0, 1, None, 4, None, 2, 3]
        assert _column(engine, "treatment_lines", "category") == ["ici", "immunosuppression"]
        assert _column(engine, "irae_episodes", "status") == ["improving", "active"]
        assert _column(engine, "unmatched_lab_rows", "comparator") == [">="]
        assert _column(engine, "site_reference_ranges", "sex") == ["", "F"]
        _assert_constraints_hold(engine)
        _assert_corrected_index(engine)

        command.downgrade(alembic_config(engine), start)
        assert current_revision(engine) == start
        assert _counts(engine) == before
        # the constraints are gone: an old version may write what it wrote before
        assert not _refused(engine, "UPDATE lab_results SET status = 'Final' WHERE id = 1")
        assert not _refused(engine, "UPDATE patients SET status = 'gone' WHERE id = 1")
        if start >= "0004":
            _assert_corrected_index(engine)
    finally:
        engine.dispose()


def _assert_constraints_hold(engine: sa.Engine) -> None:
    bad = (
        "UPDATE patients SET status = 'Active' WHERE id = 1",
        "UPDATE patients SET sex = 'X' WHERE id = 1",
        "UPDATE lab_results SET status = 'amended' WHERE id = 1",
        "UPDATE lab_results SET comparator = '=<' WHERE id = 1",
        "UPDATE lab_results SET grade = 6 WHERE id = 1",
        "UPDATE lab_results SET grade = -1 WHERE id = 1",
        "UPDATE treatment_lines SET category = 'steroid' WHERE id = 1",
        "UPDATE irae_episodes SET status = 'better' WHERE patient_id = 1",
        "UPDATE irae_episodes SET grade = 9 WHERE patient_id = 1",
        "UPDATE unmatched_lab_rows SET comparator = '~'",
        "UPDATE site_reference_ranges SET sex = 'U' WHERE sex = 'F'",
    )
    for statement in bad:
        assert _refused(engine, statement), statement
    good = (
        "UPDATE patients SET sex = NULL WHERE id = 1",
        "UPDATE lab_results SET grade = 5 WHERE id = 1",
        "UPDATE lab_results SET grade = NULL WHERE id = 1",
        "UPDATE irae_episodes SET grade = NULL WHERE patient_id = 1",
    )
    for statement in good:
        assert not _refused(engine, statement), statement
    with engine.connect() as conn:
        has_summary = engine.dialect.has_table(conn, "lab_summary")
    if has_summary:
        for statement in (
            "INSERT INTO lab_summary (patient_id, last_lab_at, liver_grade) "
            "VALUES (4, '2026-03-01 00:00:00', 6)",
            "INSERT INTO lab_summary (patient_id, last_lab_at, glucose_grade) "
            "VALUES (4, '2026-03-01 00:00:00', -1)",
            "INSERT INTO lab_latest (patient_id, analyte, lab_result_id, collected_at, grade) "
            "VALUES (4, 'AST', 6, '2026-03-01 00:00:00', 8)",
        ):
            assert _refused(engine, statement), statement


def _assert_corrected_index(engine: sa.Engine) -> None:
    """The partial index of corrected results survives the copy of lab_results, still partial."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            sql = conn.scalar(
                sa.text("SELECT sql FROM sqlite_master WHERE name = 'ix_lab_results_corrected'")
            )
        else:
            sql = conn.scalar(
                sa.text(
                    "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_lab_results_corrected'"
                )
            )
    assert sql is not None and "corrected" in str(sql).split("WHERE", 1)[1], sql


@pytest.mark.parametrize("start", [EARLIER[0], EARLIER[-1]])
def test_unknown_values_stop_the_upgrade_and_change_nothing(any_db_url: str, start: str) -> None:
    engine = _engine_at(any_db_url, start)
    try:
        _fill(engine, unknown=True)
        statuses = _column(engine, "lab_results", "status")
        with pytest.raises(RuntimeError) as caught:
            command.upgrade(alembic_config(engine), CHECKS)
        message = str(caught.value)
        assert "lab_results.status: 'amended' (1 rows)" in message
        assert "lab_results.grade: 7 (1 rows)" in message
        assert "nothing was changed" in message
        # not even the spellings the upgrade knows how to rewrite
        assert _column(engine, "lab_results", "status") == statuses
        assert _column(engine, "patients", "status")[1] == "Signed Off"
        # PostgreSQL runs the whole upgrade in one transaction; on SQLite Alembic commits each
        # revision on its own, so the ones before this one stay done
        expected = EARLIER[-1] if engine.dialect.name == "sqlite" else start
        assert current_revision(engine) == expected
    finally:
        engine.dispose()
