"""The accelerator's manifesto: its revisions (one per save, numbered per community) and comments on
their paragraphs

Both tables are one community's rows (row-level security of kind "tenant").

Revision ID: acc0003
Revises: acc0002
Create Date: 2026-12-06

"""

import sqlalchemy as sa
from alembic import op

from hromada.plugin_api import disable_row_level_security, enable_row_level_security

revision = "acc0003"
down_revision = "acc0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "accelerator_manifesto_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("based_on_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.Column("adopted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("public_token", sa.String(length=40), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"],
                                name=op.f("fk_accelerator_manifesto_revisions_author_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["based_on_id"], ["accelerator_manifesto_revisions.id"],
            name=op.f("fk_accelerator_manifesto_revisions_based_on_id_accelerator_manifesto_revisions")),
        sa.ForeignKeyConstraint(["tenant_id"], ["communities.id"],
                                name=op.f("fk_accelerator_manifesto_revisions_tenant_id_communities"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accelerator_manifesto_revisions")),
        sa.UniqueConstraint("tenant_id", "number", name=op.f("uq_accelerator_manifesto_revisions_tenant_id_number")),
        sa.UniqueConstraint("tenant_id", "public_token",
                            name=op.f("uq_accelerator_manifesto_revisions_tenant_id_public_token")),
    )
    op.create_table(
        "accelerator_manifesto_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("paragraph", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"],
                                name=op.f("fk_accelerator_manifesto_comments_author_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["revision_id"], ["accelerator_manifesto_revisions.id"],
            name=op.f("fk_accelerator_manifesto_comments_revision_id_accelerator_manifesto_revisions"),
            ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id"], ["communities.id"],
                                name=op.f("fk_accelerator_manifesto_comments_tenant_id_communities"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accelerator_manifesto_comments")),
    )
    for table, columns in {"accelerator_manifesto_revisions": ["tenant_id"],
                           "accelerator_manifesto_comments": ["tenant_id", "revision_id"]}.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)
    enable_row_level_security(op, "accelerator_manifesto_revisions")
    enable_row_level_security(op, "accelerator_manifesto_comments")


def downgrade():
    for table in ("accelerator_manifesto_comments", "accelerator_manifesto_revisions"):
        disable_row_level_security(op, table)
        op.drop_table(table)
