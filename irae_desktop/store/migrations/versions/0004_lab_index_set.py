"""lab_results' index set for bulk writes: two redundant indexes go, corrected results get one.

ix_lab_results_patient_analyte_time is a prefix of the unique identity index, which serves the
same look-ups, and no query searches by collection time alone across patients, which is all
ix_lab_results_collected_at was for. Each index costs every inserted row a B-tree insert: an
import of a million results spends about a third of its write time keeping them. The partial
index holds corrected results only, so an import can look for the values a correction
replaced without reading its own rows.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 11:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_CORRECTED = sa.text("status = 'corrected'")


def upgrade() -> None:
    op.drop_index("ix_lab_results_patient_analyte_time", table_name="lab_results")
    op.drop_index("ix_lab_results_collected_at", table_name="lab_results")
    op.create_index(
        "ix_lab_results_corrected",
        "lab_results",
        ["patient_id", "analyte", "collected_at"],
        sqlite_where=_CORRECTED,
        postgresql_where=_CORRECTED,
    )


def downgrade() -> None:
    op.drop_index("ix_lab_results_corrected", table_name="lab_results")
    op.create_index("ix_lab_results_collected_at", "lab_results", ["collected_at"])
    op.create_index(
        "ix_lab_results_patient_analyte_time",
        "lab_results",
        ["patient_id", "analyte", "collected_at"],
    )
