"""CHECK constraints on enumerated columns written as comparisons joined by OR, not IN lists.

SQLite evaluates `status IN ('final', ...)` in a CHECK by building a temporary lookup table
each time a statement runs, which for an import's inserts is once per row: measured on
300,000 rows, the two IN-list checks of lab_results added about 1.2 s of CPU to an insert that
took 2.5 s without them, while `status = 'final' OR status = ...` costs nothing measurable.
The values allowed are exactly those of 0007_check_constraints; only the way they are
written changes, on every table, so that the schema reads one way throughout. PostgreSQL
plans both forms alike; its constraints are rewritten too, so both databases match the models.

The values are written out here, not imported, so that this script keeps meaning what it
meant when it shipped (tests/store/test_schema_agrees.py compares it with store.models).

Revision ID: 0008_checks_as_comparisons
Revises: 0007_check_constraints
Create Date: 2026-12-04 12:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_checks_as_comparisons"
# the one line to change when the revision before this one changes
down_revision = "0007_check_constraints"
branch_labels = None
depends_on = None

_LAB_STATUSES = ("final", "preliminary", "corrected", "entered-in-error", "needs_review")
_COMPARATORS = ("", "<", "<=", ">", ">=")

# table -> (column, the values it may hold, whether it may be NULL)
ENUMERATED: dict[str, tuple[tuple[str, tuple[str, ...], bool], ...]] = {
    "patients": (
        ("status", ("active", "signed_off"), False),
        ("sex", ("F", "M", "O", "U"), True),
    ),
    "lab_results": (
        ("status", _LAB_STATUSES, False),
        ("comparator", _COMPARATORS, False),
    ),
    "treatment_lines": (("category", ("ici", "immunosuppression", "insulin", "other"), False),),
    "irae_episodes": (("status", ("active", "improving", "resolved"), False),),
    "unmatched_lab_rows": (("comparator", _COMPARATORS, False),),
    "site_reference_ranges": (("sex", ("", "F", "M"), False),),
}


def as_comparisons(column: str, values: tuple[str, ...], nullable: bool) -> str:
    test = " OR ".join(f"{column} = '{v}'" for v in values)
    return f"{column} IS NULL OR {test}" if nullable else test


def as_in_list(column: str, values: tuple[str, ...], nullable: bool) -> str:
    # as 0007_check_constraints wrote them
    listed = ", ".join(f"'{v}'" for v in values)
    test = f"{column} IN ({listed})"
    return f"{column} IS NULL OR {test}" if nullable else test


def _rewrite(written: str) -> None:
    condition = as_comparisons if written == "comparisons" else as_in_list
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        # batch mode copies the table; SQLite's copy of a partial index is not guaranteed to
        # keep its WHERE clause, so the index is made again below (as in 0007)
        op.drop_index("ix_lab_results_corrected", table_name="lab_results")
    for table, columns in ENUMERATED.items():
        with op.batch_alter_table(table) as batch:
            for column, values, nullable in columns:
                name = op.f(f"ck_{table}_{column}")
                batch.drop_constraint(name, type_="check")
                batch.create_check_constraint(name, sa.text(condition(column, values, nullable)))
    if sqlite:
        op.create_index(
            "ix_lab_results_corrected",
            "lab_results",
            ["patient_id", "analyte", "collected_at"],
            sqlite_where=sa.text("status = 'corrected'"),
        )
        broken = op.get_bind().execute(sa.text("PRAGMA foreign_key_check")).all()
        if broken:
            raise RuntimeError(
                f"the copy of the tables left rows without their parent: {broken[:5]}"
            )


def upgrade() -> None:
    _rewrite("comparisons")


def downgrade() -> None:
    _rewrite("in lists")
