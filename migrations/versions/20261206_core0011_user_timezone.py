"""The time zone a person reads times in, chosen on their account page (hromada.times).

Empty: an event's or a course session's times in that event's own zone, others in the platform's
`HROMADA_TIMEZONE`.

Revision ID: core0011
Revises: core0010
"""

import sqlalchemy as sa
from alembic import op

revision = "core0011"
down_revision = "core0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("timezone", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("timezone")
