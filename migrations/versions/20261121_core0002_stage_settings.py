"""Stage settings, dates, capacity and closing; last activity of enrolments; stall threshold of programmes

Revision ID: core0002
Revises: core0001
Create Date: 2026-11-21

"""
from alembic import op
import sqlalchemy as sa

revision = "core0002"
down_revision = "core0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stall_days", sa.Integer(), nullable=False, server_default="14"))
    with op.batch_alter_table("programme_stages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("starts_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("ends_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("capacity", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("settings", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_enrolments_last_activity_at"), ["last_activity_at"], unique=False)


def downgrade():
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enrolments_last_activity_at"))
        batch_op.drop_column("last_activity_at")
    with op.batch_alter_table("programme_stages", schema=None) as batch_op:
        for column in ("closed_at", "settings", "capacity", "ends_on", "starts_on", "title"):
            batch_op.drop_column(column)
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.drop_column("stall_days")
