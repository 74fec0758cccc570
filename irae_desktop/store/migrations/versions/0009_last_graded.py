"""lab_latest keeps each pair's last graded result (grade and time) beside its latest result.

Where a patient's latest result of an analyte has no grade (no reference range, a non-fasting
glucose a CTCAE version cannot grade), the worklist shows the last graded one beside it
(clinical reference, decision 12). Finding that result meant a search of lab_results per such
pair on every start: with thousands of them, 0.3 s of a cold start. The summary now keeps it,
and every write refreshes it with the rest of the summary (store.lab_latest).

The new columns are filled here from lab_results: the newest result of the pair not entered in
error that has a grade, the highest id among equal times (the rule store.lab_latest applies).

Revision ID: 0009_last_graded
Revises: 0008_checks_as_comparisons
Create Date: 2026-12-04 12:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_last_graded"
# the one line to change when the revision before this one changes
down_revision = "0008_checks_as_comparisons"
branch_labels = None
depends_on = None

_LAST_GRADED = """
    SELECT {column} FROM lab_results AS r
    WHERE r.patient_id = lab_latest.patient_id AND r.analyte = lab_latest.analyte
      AND r.grade IS NOT NULL AND r.status != 'entered-in-error'
    ORDER BY r.collected_at DESC, r.id DESC
    LIMIT 1
"""


def upgrade() -> None:
    with op.batch_alter_table("lab_latest") as batch:
        batch.add_column(sa.Column("last_graded_grade", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("last_graded_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_check_constraint(
            op.f("ck_lab_latest_last_graded_grade"),
            sa.text(
                "last_graded_grade IS NULL OR (last_graded_grade >= 0 AND last_graded_grade <= 5)"
            ),
        )
    op.execute(
        "UPDATE lab_latest SET "
        f"last_graded_grade = ({_LAST_GRADED.format(column='r.grade')}), "
        f"last_graded_at = ({_LAST_GRADED.format(column='r.collected_at')})"
    )


def downgrade() -> None:
    with op.batch_alter_table("lab_latest") as batch:
        batch.drop_constraint(op.f("ck_lab_latest_last_graded_grade"), type_="check")
        batch.drop_column("last_graded_at")
        batch.drop_column("last_graded_grade")
