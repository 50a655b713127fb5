"""Consultation start times typed before core0011 become real moments

Until the times were read in the viewer's zone (core0011), the schedule and log forms saved the time a
person typed as if it were UTC, and pages showed it back unchanged, with no zone. Pages now show moments
in the viewer's zone, so those rows would move by the zone's offset ("18:00" typed in Kyiv would show
as 20:00 Kyiv time). People typed the time on their own clock, which before time zones existed on
accounts was the platform's (`HROMADA_TIMEZONE`, Europe/Kyiv unless set): each such time is read again
in that zone. Rows saved after this revision are moments already, so it runs once, with the upgrade.

Revision ID: cns0002
Revises: cns0001
"""

from datetime import timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op
from flask import current_app

revision = "cns0002"
down_revision = "cns0001"
branch_labels = None
# After core0011, whose forms read typed times in a zone.
depends_on = "core0011"


def _platform_zone() -> str:
    return current_app.config.get("HROMADA_TIMEZONE") or "Europe/Kyiv"


def upgrade():
    _move(to_utc=True)


def downgrade():
    _move(to_utc=False)


def _move(*, to_utc: bool) -> None:
    bind = op.get_bind()
    zone = _platform_zone()
    if bind.dialect.name == "postgresql":
        # The owner is bound by forced row-level security like everyone; for this one statement it is not.
        op.execute("ALTER TABLE consultations NO FORCE ROW LEVEL SECURITY")
        if to_utc:  # the wall-clock value, read on the platform's clock
            expression = "(starts_at AT TIME ZONE 'UTC') AT TIME ZONE :zone"
        else:  # the moment's wall clock on the platform's clock, labelled UTC again
            expression = "(starts_at AT TIME ZONE :zone) AT TIME ZONE 'UTC'"
        bind.execute(sa.text(f"UPDATE consultations SET starts_at = {expression} WHERE starts_at IS NOT NULL"),
                     {"zone": zone})
        op.execute("ALTER TABLE consultations FORCE ROW LEVEL SECURITY")
        return
    table = sa.table("consultations", sa.column("id", sa.Integer), sa.column("starts_at", sa.DateTime(timezone=True)))
    local = ZoneInfo(zone)
    rows = bind.execute(sa.select(table.c.id, table.c.starts_at).where(table.c.starts_at.is_not(None))).all()
    for row_id, starts_at in rows:
        wall = starts_at.replace(tzinfo=None)
        if to_utc:
            moved = wall.replace(tzinfo=local).astimezone(timezone.utc)
        else:
            moved = wall.replace(tzinfo=timezone.utc).astimezone(local).replace(tzinfo=timezone.utc)
        bind.execute(table.update().where(table.c.id == row_id).values(starts_at=moved))
