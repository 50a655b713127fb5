"""A session's coarse device description, for the page that lists a person's sessions.

Revision ID: core0007
Revises: core0006
"""

import sqlalchemy as sa
from alembic import op

revision = "core0007"
down_revision = "core0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_sessions") as batch:
        batch.add_column(sa.Column("device", sa.String(length=100), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("user_sessions") as batch:
        batch.drop_column("device")
