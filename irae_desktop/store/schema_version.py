"""The schema revisions this version ships, so start-up can check a database without Alembic."""

from __future__ import annotations

# oldest first; tests/store/test_schema_version.py checks these against the migration scripts,
# so a new migration without an entry here fails the tests rather than being skipped at start-up
KNOWN_REVISIONS: tuple[str, ...] = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006_held_treatments",
    "0007_check_constraints",
    "0008_checks_as_comparisons",
    "0009_last_graded",
    "0010_server_stamps_user",
    "0011_row_history",
    "0012_server_stamps_time",
    "0013_screening_results",
)
HEAD_REVISION = KNOWN_REVISIONS[-1]
VERSION_TABLE = "alembic_version"
