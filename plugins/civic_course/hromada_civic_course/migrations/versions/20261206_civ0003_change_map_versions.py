"""Frozen versions of change maps that the community adopts by decision

Every version a decision is about is kept, adopted or not. Row-level security of
kind "tenant". After the decisions' branch (dec0001), whose proposals name them.

Revision ID: civ0003
Revises: civ0002
Create Date: 2026-12-06

"""

import sqlalchemy as sa
from alembic import op

from hromada.plugin_api import disable_row_level_security, enable_row_level_security

revision = "civ0003"
down_revision = "civ0002"
branch_labels = None
depends_on = "dec0001"

TABLE = "civic_change_map_versions"


def upgrade():
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("map_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.Column("adopted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f(f"fk_{TABLE}_created_by_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["map_id"], ["civic_change_maps.id"], name=op.f(f"fk_{TABLE}_map_id_civic_change_maps"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id"], ["communities.id"], name=op.f(f"fk_{TABLE}_tenant_id_communities"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{TABLE}")),
        sa.UniqueConstraint("tenant_id", "map_id", "fingerprint", name=op.f(f"uq_{TABLE}_tenant_id_map_id_fingerprint")),
        sa.UniqueConstraint("tenant_id", "map_id", "number", name=op.f(f"uq_{TABLE}_tenant_id_map_id_number")),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        for column in ("map_id", "tenant_id"):
            batch_op.create_index(batch_op.f(f"ix_{TABLE}_{column}"), [column], unique=False)
    enable_row_level_security(op, TABLE)


def downgrade():
    disable_row_level_security(op, TABLE)
    op.drop_table(TABLE)
