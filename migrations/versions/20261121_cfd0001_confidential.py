"""Confidential fields: one wrapped data key per community, under row-level security

Revision ID: cfd0001
Revises:
Create Date: 2026-11-21

"""
from alembic import op
import sqlalchemy as sa

from hromada.tenancy.rls import disable_row_level_security, enable_row_level_security

revision = "cfd0001"
down_revision = None
branch_labels = ("confidential",)
depends_on = "core0003"


def upgrade():
    op.create_table(
        "data_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("master_key_id", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("destroyed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["communities.id"], name=op.f("fk_data_keys_tenant_id_communities"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_keys")),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_data_keys_tenant_id")),
    )
    with op.batch_alter_table("data_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_data_keys_master_key_id"), ["master_key_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_data_keys_tenant_id"), ["tenant_id"], unique=False)
    enable_row_level_security(op, "data_keys")


def downgrade():
    disable_row_level_security(op, "data_keys")
    with op.batch_alter_table("data_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_keys_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_data_keys_master_key_id"))
    op.drop_table("data_keys")
