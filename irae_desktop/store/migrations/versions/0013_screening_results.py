"""Infection screening results: the latent tuberculosis and hepatitis B tests a JAK inhibitor or
infliximab calls for before its start.

One row per test, day and patient: the test (interferon-gamma release assay, tuberculin skin
test, HBsAg, anti-HBc, anti-HBs, HBV DNA) and its result (negative, positive, indeterminate),
each held to its known values by a CHECK written as comparisons joined by OR, as 0008 writes
every enumerated column. A deleted result stays with `standing` NULL and the reason, so that
importing the same file again does not bring it back unseen; the unique constraint over
(patient, test, day, standing) allows one standing result per test and day, and any number of
deleted ones, since NULLs never clash in a unique constraint.

On PostgreSQL the table joins the row history (0011), as every other clinical table has, and
roles that may use the irAE episodes get the same rights on it and its id sequence, so
workstations keep working after the owner upgrades the schema.

The values are written out here, not imported, so that this script keeps meaning what it meant
when it shipped (tests/store/test_schema_agrees.py compares it with the models).

Revision ID: 0013_screening_results
Revises: 0012_server_stamps_time
Create Date: 2026-12-05 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_screening_results"
# the one line to change when the revision before this one changes
down_revision = "0012_server_stamps_time"
branch_labels = None
depends_on = None

TABLE = "screening_results"
TESTS = ("tb_igra", "tb_skin", "hbsag", "anti_hbc", "anti_hbs", "hbv_dna")
RESULTS = ("negative", "positive", "indeterminate")
_REFERENCING = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
}
COPY_GRANTS = f"""
DO $$
DECLARE
    granted record;
BEGIN
    FOR granted IN
        SELECT acl.grantee, acl.privilege_type, c.relkind
        FROM pg_class AS c, aclexplode(c.relacl) AS acl
        WHERE c.oid IN ('irae_episodes'::regclass, 'irae_episodes_id_seq'::regclass)
          AND acl.grantee <> c.relowner
    LOOP
        EXECUTE format(
            'GRANT %s ON %s TO %s',
            granted.privilege_type,
            CASE WHEN granted.relkind = 'S' THEN 'SEQUENCE {TABLE}_id_seq' ELSE '{TABLE}' END,
            CASE WHEN granted.grantee = 0 THEN 'PUBLIC' ELSE granted.grantee::regrole::text END
        );
    END LOOP;
END
$$
"""


def _comparisons(column: str, values: tuple[str, ...]) -> str:
    return " OR ".join(f"{column} = '{v}'" for v in values)


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("test", sa.String(length=16), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("standing", sa.Boolean(), nullable=True),
        sa.Column("deleted_reason", sa.String(length=500), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("source_file", sa.String(length=500), nullable=True),
        sa.Column("source_ref", sa.String(length=200), nullable=True),
        sa.Column("entered_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(_comparisons("test", TESTS), name=op.f(f"ck_{TABLE}_test")),
        sa.CheckConstraint(_comparisons("result", RESULTS), name=op.f(f"ck_{TABLE}_result")),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f(f"fk_{TABLE}_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batches.id"],
            name=op.f(f"fk_{TABLE}_batch_id_import_batches"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{TABLE}")),
        sa.UniqueConstraint(
            "patient_id", "test", "taken_on", "standing", name=op.f(f"uq_{TABLE}_standing")
        ),
    )
    op.create_index(op.f(f"ix_{TABLE}_batch_id"), TABLE, ["batch_id"], unique=False)
    if op.get_bind().dialect.name != "postgresql":
        return
    for event, referencing in _REFERENCING.items():
        # the row history's function of 0011, keyed by the row's id
        op.execute(
            f"CREATE TRIGGER {TABLE}_history_{event} AFTER {event.upper()} ON {TABLE} "
            f"{referencing} FOR EACH STATEMENT EXECUTE FUNCTION irae_row_history('id')"
        )
    op.execute(COPY_GRANTS)


def downgrade() -> None:
    # dropping the table drops its triggers; the rows' history stays in row_history
    op.drop_index(op.f(f"ix_{TABLE}_batch_id"), table_name=TABLE)
    op.drop_table(TABLE)
