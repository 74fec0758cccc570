"""Lab summaries for the worklist: lab_latest (per analyte) and lab_summary (per patient).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 08:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The same choice as irae_desktop.store.lab_latest, frozen here as this revision made it: per
# (patient, analyte) present, the result not entered in error with the latest collection time,
# the highest id among results of the same time. One index search per pair: a window function
# over every result sorts them all, many times slower on SQLite.
BACKFILL = """
INSERT INTO lab_latest (patient_id, analyte, lab_result_id, collected_at, grade)
SELECT lab.patient_id, lab.analyte, lab.id, lab.collected_at, lab.grade
FROM (
    SELECT pairs.patient_id, pairs.analyte, (
        SELECT candidate.id FROM lab_results AS candidate
        WHERE candidate.patient_id = pairs.patient_id
          AND candidate.analyte = pairs.analyte
          AND candidate.status <> 'entered-in-error'
        ORDER BY candidate.collected_at DESC, candidate.id DESC
        LIMIT 1
    ) AS lab_id
    FROM (SELECT DISTINCT patient_id, analyte FROM lab_results) AS pairs
) AS picked
JOIN lab_results AS lab ON lab.id = picked.lab_id
"""

# The organ rule of irae_desktop.store.organs as this revision froze it: per organ, the graded
# latest result with the worst grade, then the latest, then the analyte listed first.
ORGANS = {
    "liver": ("ALT", "AST", "TBILI", "ALP", "GGT"),
    "glucose": ("GLUCOSE", "GLUCOSE_FASTING", "GLUCOSE_POC"),
}


def _pick(organ: str) -> str:
    codes = ORGANS[organ]
    listed = ", ".join(f"'{code}'" for code in codes)
    rank = " ".join(f"WHEN '{code}' THEN {i}" for i, code in enumerate(codes))
    return f"""(
        SELECT entry.analyte FROM lab_latest AS entry
        WHERE entry.patient_id = grouped.patient_id AND entry.grade IS NOT NULL
          AND entry.analyte IN ({listed})
        ORDER BY entry.grade DESC, entry.collected_at DESC, CASE entry.analyte {rank} END
        LIMIT 1
    ) AS {organ}"""


SUMMARY_BACKFILL = f"""
INSERT INTO lab_summary (
    patient_id, last_lab_at, liver_analyte, liver_grade, liver_collected_at,
    glucose_analyte, glucose_grade, glucose_collected_at
)
SELECT picked.patient_id, picked.last_lab_at,
       liver.analyte, liver.grade, liver.collected_at,
       glucose.analyte, glucose.grade, glucose.collected_at
FROM (
    SELECT grouped.patient_id, max(grouped.collected_at) AS last_lab_at,
           {_pick("liver")}, {_pick("glucose")}
    FROM lab_latest AS grouped
    GROUP BY grouped.patient_id
) AS picked
LEFT JOIN lab_latest AS liver
    ON liver.patient_id = picked.patient_id AND liver.analyte = picked.liver
LEFT JOIN lab_latest AS glucose
    ON glucose.patient_id = picked.patient_id AND glucose.analyte = picked.glucose
"""

# Roles that may use lab_results get the same rights on its summary, so workstations keep
# working after the owner upgrades the schema without the DBA granting anything again.
COPY_GRANTS = """
DO $$
DECLARE
    granted record;
BEGIN
    FOR granted IN
        SELECT acl.grantee, acl.privilege_type
        FROM pg_class AS c, aclexplode(c.relacl) AS acl
        WHERE c.oid = 'lab_results'::regclass AND acl.grantee <> c.relowner
    LOOP
        EXECUTE format(
            'GRANT %s ON lab_latest, lab_summary TO %s',
            granted.privilege_type,
            CASE WHEN granted.grantee = 0 THEN 'PUBLIC' ELSE granted.grantee::regrole::text END
        );
    END LOOP;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "lab_latest",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("analyte", sa.String(length=32), nullable=False),
        sa.Column("lab_result_id", sa.Integer(), nullable=False),
        sa.Column("collected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_lab_latest_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("patient_id", "analyte", name=op.f("pk_lab_latest")),
    )
    op.create_table(
        "lab_summary",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("last_lab_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("liver_analyte", sa.String(length=32), nullable=True),
        sa.Column("liver_grade", sa.Integer(), nullable=True),
        sa.Column("liver_collected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("glucose_analyte", sa.String(length=32), nullable=True),
        sa.Column("glucose_grade", sa.Integer(), nullable=True),
        sa.Column("glucose_collected_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_lab_summary_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("patient_id", name=op.f("pk_lab_summary")),
    )
    op.execute(BACKFILL)
    op.execute(SUMMARY_BACKFILL)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(COPY_GRANTS)


def downgrade() -> None:
    op.drop_table("lab_summary")
    op.drop_table("lab_latest")
