"""Row history kept by the database: every insert, update and delete of a clinical row.

On PostgreSQL, triggers on each clinical table write to row_history the operation, the row's
old and new values (jsonb), the login (session_user), the time and the transaction, so a change
made with psql or any other client is in the trail as surely as one made in the app. The
triggers run once per statement over its transition tables, so a bulk import costs one insert
into the history per statement, not one trigger call per row. The trigger function runs with
its owner's rights (SECURITY DEFINER): no login may write row_history itself, and like the audit
trail it refuses UPDATE, DELETE and TRUNCATE for every role. The audit trail's rows now carry
their transaction too, so the app's own events (import, export, print, acknowledgement,
correction reason) are matched with the rows the same transaction changed.

SQLite has one user per file and no logins: the table exists there (one schema for both) and
stays empty; the app's own audit events are the trail.

The tables are written out here, not imported, so that this script keeps meaning what it meant
when it shipped. lab_latest and lab_summary are left out: they are summaries the database
derives from lab_results, whose history is kept.

Revision ID: 0011_row_history
Revises: 0010_server_stamps_user
Create Date: 2026-12-04 13:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0011_row_history"
# the one line to change when the revision before this one changes
down_revision = "0010_server_stamps_user"
branch_labels = None
depends_on = None

# table -> its primary key column
HISTORY_TABLES: dict[str, str] = {
    "patients": "id",
    "import_batches": "id",
    "lab_results": "id",
    "treatment_lines": "id",
    "dose_steps": "id",
    "treatment_holds": "id",
    "irae_episodes": "id",
    "consult_notes": "id",
    "baseline_overrides": "id",
    "alert_acknowledgements": "id",
    "unmatched_lab_rows": "id",
    "held_treatment_rows": "id",
    "site_reference_ranges": "id",
    "app_settings": "key",
}

_INSERT = """
    INSERT INTO row_history
        (at, db_user, table_name, operation, row_key, old_values, new_values, transaction_id)
"""
_FUNCTION = f"""
CREATE OR REPLACE FUNCTION irae_row_history() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    key text := TG_ARGV[0];
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_INSERT}
        SELECT statement_timestamp(), session_user, TG_TABLE_NAME, 'insert', n.j ->> key,
               NULL, n.j, txid_current()
        FROM (SELECT to_jsonb(r) AS j FROM new_rows r) n;
    ELSIF TG_OP = 'UPDATE' THEN
        {_INSERT}
        SELECT statement_timestamp(), session_user, TG_TABLE_NAME, 'update', n.j ->> key,
               o.j, n.j, txid_current()
        FROM (SELECT to_jsonb(r) AS j FROM old_rows r) o
        JOIN (SELECT to_jsonb(r) AS j FROM new_rows r) n ON n.j -> key = o.j -> key
        WHERE n.j IS DISTINCT FROM o.j;
    ELSE
        {_INSERT}
        SELECT statement_timestamp(), session_user, TG_TABLE_NAME, 'delete', o.j ->> key,
               o.j, NULL, txid_current()
        FROM (SELECT to_jsonb(r) AS j FROM old_rows r) o;
    END IF;
    RETURN NULL;
END
$$
"""
# the audit trail's stamp (0010) now also records the transaction
_STAMP = """
CREATE OR REPLACE FUNCTION irae_audit_stamp_user() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.claimed_by := COALESCE(NEW.claimed_by, NEW."user");
    IF NEW.claimed_by = session_user THEN
        NEW.claimed_by := NULL;
    END IF;
    NEW."user" := session_user;
    NEW.transaction_id := txid_current();
    RETURN NEW;
END
$$
"""
_REFERENCING = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
}


def upgrade() -> None:
    op.add_column("audit_events", sa.Column("transaction_id", sa.BigInteger(), nullable=True))
    op.create_table(
        "row_history",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("db_user", sa.String(120), nullable=False),
        sa.Column("table_name", sa.String(63), nullable=False),
        sa.Column("operation", sa.String(6), nullable=False),
        sa.Column("row_key", sa.String(120), nullable=True),
        sa.Column("old_values", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=True),
        sa.Column("new_values", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=True),
        sa.Column("transaction_id", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_row_history"),
    )
    op.create_index("ix_row_history_at", "row_history", ["at"])
    op.create_index("ix_row_history_transaction_id", "row_history", ["transaction_id"])
    op.create_index("ix_row_history_table_row", "row_history", ["table_name", "row_key"])
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_STAMP)
    op.execute(_FUNCTION)
    op.execute("REVOKE ALL ON FUNCTION irae_row_history() FROM PUBLIC")
    for table, key in HISTORY_TABLES.items():
        for event, referencing in _REFERENCING.items():
            op.execute(
                f"CREATE TRIGGER {table}_history_{event} AFTER {event.upper()} ON {table} "
                f"{referencing} FOR EACH STATEMENT EXECUTE FUNCTION irae_row_history('{key}')"
            )
    # append-only, as the audit trail (0002's function refuses whatever it is called for)
    op.execute(
        "CREATE TRIGGER row_history_append_only BEFORE UPDATE OR DELETE ON row_history "
        "FOR EACH ROW EXECUTE FUNCTION irae_audit_append_only()"
    )
    op.execute(
        "CREATE TRIGGER row_history_no_truncate BEFORE TRUNCATE ON row_history "
        "FOR EACH STATEMENT EXECUTE FUNCTION irae_audit_append_only()"
    )
    op.execute("REVOKE ALL ON row_history FROM PUBLIC")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in HISTORY_TABLES:
            for event in _REFERENCING:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_history_{event} ON {table}")
        op.execute("DROP TRIGGER IF EXISTS row_history_append_only ON row_history")
        op.execute("DROP TRIGGER IF EXISTS row_history_no_truncate ON row_history")
        op.execute("DROP FUNCTION IF EXISTS irae_row_history()")
    op.drop_table("row_history")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("transaction_id")
