"""Treatment rows for an MRN that matches no patient are held for assignment, as lab results are.

A treatment file (lines, doses given, Synthea or FHIR medications) used to refuse such a row;
it is now kept in held_treatment_rows until someone assigns it to a patient or discards it with
a reason. `fingerprint` identifies what the row says, so importing the file again holds nothing
twice; an assigned row stays, marked with the MRN it went to, so that a file whose MRN is still
unknown does not bring it back.

Revision ID: 0006_held_treatments
Revises: 0005
Create Date: 2026-12-04 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_held_treatments"
down_revision = "0005"
branch_labels = None
depends_on = None

# Roles that may use the held lab results get the same rights on the held treatment rows (and
# their id sequence), so workstations keep working after the owner upgrades the schema.
COPY_GRANTS = """
DO $$
DECLARE
    granted record;
BEGIN
    FOR granted IN
        SELECT acl.grantee, acl.privilege_type, c.relkind
        FROM pg_class AS c, aclexplode(c.relacl) AS acl
        WHERE c.oid IN ('unmatched_lab_rows'::regclass, 'unmatched_lab_rows_id_seq'::regclass)
          AND acl.grantee <> c.relowner
    LOOP
        EXECUTE format(
            'GRANT %s ON %s TO %s',
            granted.privilege_type,
            CASE WHEN granted.relkind = 'S' THEN 'SEQUENCE held_treatment_rows_id_seq'
                 ELSE 'held_treatment_rows' END,
            CASE WHEN granted.grantee = 0 THEN 'PUBLIC' ELSE granted.grantee::regrole::text END
        );
    END LOOP;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "held_treatment_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("mrn", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("agent", sa.String(length=120), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("record_json", sa.Text(), nullable=False),
        sa.Column("source_file", sa.String(length=500), nullable=True),
        sa.Column("source_ref", sa.String(length=200), nullable=True),
        sa.Column("assigned_mrn", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f("fk_held_treatment_rows_batch_id_import_batches"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_held_treatment_rows")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_held_treatment_rows_fingerprint")),
    )
    with op.batch_alter_table("held_treatment_rows", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_held_treatment_rows_batch_id"), ["batch_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_held_treatment_rows_mrn"), ["mrn"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(COPY_GRANTS)


def downgrade() -> None:
    op.drop_table("held_treatment_rows")
