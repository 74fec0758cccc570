"""The audit trail's user is stamped by the database; the name the client gives is kept apart.

On PostgreSQL every clinician connects with a login of their own, so a trigger sets each new
audit row's user to session_user, whatever the client wrote there; what the client said (the
IRAE_USER name, else its operating-system user) goes to claimed_by when it differs. SQLite has
no logins: the app writes the operating-system user, and a name given through IRAE_USER is kept
in claimed_by only.

Revision ID: 0010_server_stamps_user
Revises: 0009_last_graded
Create Date: 2026-12-04 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_server_stamps_user"
# the one line to change when the revision before this one changes
down_revision = "0009_last_graded"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_events", sa.Column("claimed_by", sa.String(120), nullable=True))
    if op.get_bind().dialect.name != "postgresql":
        return
    # SECURITY INVOKER is enough: session_user is the login, not the function's owner
    op.execute(
        """
        CREATE OR REPLACE FUNCTION irae_audit_stamp_user() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.claimed_by := COALESCE(NEW.claimed_by, NEW."user");
            IF NEW.claimed_by = session_user THEN
                NEW.claimed_by := NULL;
            END IF;
            NEW."user" := session_user;
            RETURN NEW;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER audit_events_stamp_user BEFORE INSERT ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION irae_audit_stamp_user()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_stamp_user ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS irae_audit_stamp_user()")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("claimed_by")
