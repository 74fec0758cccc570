"""The team's time zone becomes the clinical time zone, in which every day-based rule counts days.

The setting was stored as "display_timezone" and only chose how times were shown and how times
without an offset were read; grades counted days in UTC. It is now "clinical_timezone" and the
grading counts days in it (clinical reference, decision 10). A database that already holds lab
results keeps "UTC" as its clinical zone, because that is the zone its stored grades were
counted in: no grade may disagree with the settings shown. The team then picks its zone in
Settings (or `irae-desktop settings set timezone ZONE`), which regrades every result, audited.
A database without results keeps the zone it had chosen, or, having none, gets the zone of the
computer that creates or upgrades it: the default is written down once, so that every computer
sharing the database counts the same days.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 03:30:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from irae_desktop.store.clinical_zone import local_zone_name

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_SETTINGS = sa.table("app_settings", sa.column("key", sa.String), sa.column("value_json", sa.Text))
_LABS = sa.table("lab_results", sa.column("id", sa.Integer))
OLD, NEW = "display_timezone", "clinical_timezone"


def upgrade() -> None:
    bind = op.get_bind()
    stored = dict(
        bind.execute(
            sa.select(_SETTINGS.c.key, _SETTINGS.c.value_json).where(
                _SETTINGS.c.key.in_((OLD, NEW))
            )
        ).all()
    )
    has_results = bind.execute(sa.select(_LABS.c.id).limit(1)).first() is not None
    if NEW in stored:
        value = stored[NEW]
    elif has_results:
        value = json.dumps("UTC")
    else:
        value = stored.get(OLD) or json.dumps(local_zone_name())
    bind.execute(sa.delete(_SETTINGS).where(_SETTINGS.c.key.in_((OLD, NEW))))
    bind.execute(sa.insert(_SETTINGS).values(key=NEW, value_json=value))


def downgrade() -> None:
    bind = op.get_bind()
    value = bind.execute(
        sa.select(_SETTINGS.c.value_json).where(_SETTINGS.c.key == NEW)
    ).scalar_one_or_none()
    bind.execute(sa.delete(_SETTINGS).where(_SETTINGS.c.key.in_((OLD, NEW))))
    if value is not None:
        bind.execute(sa.insert(_SETTINGS).values(key=OLD, value_json=value))
