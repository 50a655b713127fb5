"""The accelerator's charter: values, principles, rules (with the values they protect), the rule "how we
decide", and the frozen versions a community adopts by decision

All six tables are one community's rows (row-level security of kind "tenant"). The versions are
decided on through the core's decisions, so this revision follows dec0001.

Revision ID: acc0002
Revises: acc0001
Create Date: 2026-12-06

"""

import sqlalchemy as sa
from alembic import op

from hromada.plugin_api import disable_row_level_security, enable_row_level_security

revision = "acc0002"
down_revision = "acc0001"
branch_labels = None
depends_on = "dec0001"

TABLES = ("accelerator_charter_values", "accelerator_charter_principles", "accelerator_charter_rules",
          "accelerator_charter_rule_values", "accelerator_charter_deciding_rules", "accelerator_charter_versions")


def _tenant(table: str) -> list:
    return [
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["communities.id"], name=op.f(f"fk_{table}_tenant_id_communities"),
                                ondelete="CASCADE"),
    ]


def upgrade():
    op.create_table(
        "accelerator_charter_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("meaning", sa.Text(), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        *_tenant("accelerator_charter_values"),
        sa.ForeignKeyConstraint(["proposed_by_id"], ["users.id"],
                                name=op.f("fk_accelerator_charter_values_proposed_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accelerator_charter_values")),
        sa.UniqueConstraint("tenant_id", "name", name=op.f("uq_accelerator_charter_values_tenant_id_name")),
    )
    op.create_table(
        "accelerator_charter_principles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value_id", sa.Integer(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        *_tenant("accelerator_charter_principles"),
        sa.ForeignKeyConstraint(["value_id"], ["accelerator_charter_values.id"],
                                name=op.f("fk_accelerator_charter_principles_value_id_accelerator_charter_values"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accelerator_charter_principles")),
    )
    op.create_table(
        "accelerator_charter_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        *_tenant("accelerator_charter_rules"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accelerator_charter_rules")),
    )
    op.create_table(
        "accelerator_charter_rule_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("value_id", sa.Integer(), nullable=False),
        *_tenant("accelerator_charter_rule_values"),
        sa.ForeignKeyConstraint(["rule_id"], ["accelerator_charter_rules.id"],
                                name=op.f("fk_accelerator_charter_rule_values_rule_id_accelerator_charter_rules"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["value_id"], ["accelerator_charter_values.id"],
                                name=op.f("fk_accelerator_charter_rule_values_value_id_accelerator_charter_values"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accelerator_charter_rule_values")),
        sa.UniqueConstraint("tenant_id", "rule_id", "value_id",
                            name=op.f("uq_accelerator_charter_rule_values_tenant_id_rule_id_value_id")),
    )
    op.create_table(
        "accelerator_charter_deciding_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("quorum_percent", sa.Integer(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("threshold_percent", sa.Integer(), nullable=False),
        *_tenant("accelerator_charter_deciding_rules"),
        sa.CheckConstraint("quorum_percent BETWEEN 0 AND 100",
                           name=op.f("ck_accelerator_charter_deciding_rules_quorum_is_a_share")),
        sa.CheckConstraint("threshold_percent BETWEEN 50 AND 100",
                           name=op.f("ck_accelerator_charter_deciding_rules_threshold_at_least_half")),
        sa.CheckConstraint("days BETWEEN 1 AND 90", name=op.f("ck_accelerator_charter_deciding_rules_days_in_range")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accelerator_charter_deciding_rules")),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_accelerator_charter_deciding_rules_tenant_id")),
    )
    op.create_table(
        "accelerator_charter_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.Column("adopted_at", sa.DateTime(timezone=True), nullable=True),
        *_tenant("accelerator_charter_versions"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_accelerator_charter_versions_created_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accelerator_charter_versions")),
        sa.UniqueConstraint("tenant_id", "number", name=op.f("uq_accelerator_charter_versions_tenant_id_number")),
        sa.UniqueConstraint("tenant_id", "fingerprint",
                            name=op.f("uq_accelerator_charter_versions_tenant_id_fingerprint")),
    )
    indexes = {
        "accelerator_charter_values": ["tenant_id"],
        "accelerator_charter_principles": ["tenant_id", "value_id"],
        "accelerator_charter_rules": ["tenant_id"],
        "accelerator_charter_rule_values": ["tenant_id", "rule_id", "value_id"],
        "accelerator_charter_deciding_rules": ["tenant_id"],
        "accelerator_charter_versions": ["tenant_id"],
    }
    for table, columns in indexes.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)
    for table in TABLES:
        enable_row_level_security(op, table)


def downgrade():
    for table in reversed(TABLES):
        disable_row_level_security(op, table)
        op.drop_table(table)
