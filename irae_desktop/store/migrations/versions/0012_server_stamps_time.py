"""The audit trail's time is stamped by the database too, as its user is.

On PostgreSQL the trigger that sets each new audit row's user (0010, 0011) now also sets its time
to the statement's time on the server, the clock the row history uses: a workstation whose clock
is wrong, or a client that writes any time it likes, cannot place an event out of order. SQLite
has one user on one machine; the app's clock stays the record there.

Revision ID: 0012_server_stamps_time
Revises: 0011_row_history
Create Date: 2026-12-04 16:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0012_server_stamps_time"
# the one line to change when the revision before this one changes
down_revision = "0011_row_history"
branch_labels = None
depends_on = None

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
    {time}
    RETURN NEW;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_STAMP.format(time="NEW.at := statement_timestamp();"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_STAMP.format(time=""))
