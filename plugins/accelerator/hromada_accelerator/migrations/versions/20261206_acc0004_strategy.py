"""The accelerator's strategy: the draft (vision, mission), strategic goals, comments, and adopted versions

All four tables are one community's rows (row-level security of kind "tenant").

Revision ID: acc0004
Revises: acc0003
Create Date: 2026-12-06

"""

import sqlalchemy as sa
from alembic import op

from hromada.plugin_api import disable_row_level_security, enable_row_level_security

revision = "acc0004"
down_revision = "acc0003"
branch_labels = None
depends_on = None

TABLES = ("accelerator_strategy_drafts", "accelerator_strategic_goals", "accelerator_strategy_comments",
          "accelerator_strategy_versions")


def _common(table: str, *, user_column: str) -> list:
    return [
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["communities.id"], name=op.f(f"fk_{table}_tenant_id_communities"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint([user_column], ["users.id"], name=op.f(f"fk_{table}_{user_column}_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _now() -> sa.Column:
    return sa.text("(CURRENT_TIMESTAMP)")


def upgrade():
    op.create_table(
        "accelerator_strategy_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vision", sa.Text(), nullable=False),
        sa.Column("mission", sa.Text(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        *_common("accelerator_strategy_drafts", user_column="updated_by_id"),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_accelerator_strategy_drafts_tenant_id")),
    )
    op.create_table(
        "accelerator_strategic_goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("target_on", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        *_common("accelerator_strategic_goals", user_column="created_by_id"),
    )
    op.create_table(
        "accelerator_strategy_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        *_common("accelerator_strategy_comments", user_column="author_id"),
    )
    op.create_table(
        "accelerator_strategy_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.Column("adopted_at", sa.DateTime(timezone=True), nullable=True),
        *_common("accelerator_strategy_versions", user_column="created_by_id"),
        sa.UniqueConstraint("tenant_id", "number", name=op.f("uq_accelerator_strategy_versions_tenant_id_number")),
        sa.UniqueConstraint("tenant_id", "fingerprint",
                            name=op.f("uq_accelerator_strategy_versions_tenant_id_fingerprint")),
    )
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_tenant_id"), ["tenant_id"], unique=False)
        enable_row_level_security(op, table)


def downgrade():
    for table in reversed(TABLES):
        disable_row_level_security(op, table)
        op.drop_table(table)
