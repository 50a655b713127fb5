"""The accelerator's coordination meeting: shared by the community and the organisation running its programme

One row per community and programme: the community's request, report and roles; the
operator's approved budget and plan decision; the core action plan it produces. Row-level
security of kind "shared". After the action plans' branch (pln0001), whose table it names.

Revision ID: acc0005
Revises: acc0004
Create Date: 2026-12-06

"""

import sqlalchemy as sa
from alembic import op

from hromada.plugin_api import disable_row_level_security, enable_row_level_security

revision = "acc0005"
down_revision = "acc0004"
branch_labels = None
depends_on = "pln0001"

TABLE = "accelerator_coordination_meetings"


def upgrade():
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("facilitator_id", sa.Integer(), nullable=True),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("requested_minor", sa.BigInteger(), nullable=False),
        sa.Column("requested_currency", sa.String(length=3), nullable=False),
        sa.Column("approved_minor", sa.BigInteger(), nullable=True),
        sa.Column("approved_currency", sa.String(length=3), nullable=True),
        sa.Column("budget_decided_by_id", sa.Integer(), nullable=True),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("roles", sa.Text(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("plan_status", sa.String(length=20), nullable=False),
        sa.Column("plan_comment", sa.Text(), nullable=False),
        sa.Column("plan_decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("participants >= 0", name=op.f(f"ck_{TABLE}_participants_not_negative")),
        sa.CheckConstraint("requested_minor >= 0 AND (approved_minor IS NULL OR approved_minor >= 0)",
                           name=op.f(f"ck_{TABLE}_amounts_not_negative")),
        sa.ForeignKeyConstraint(["budget_decided_by_id"], ["users.id"],
                                name=op.f(f"fk_{TABLE}_budget_decided_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["facilitator_id"], ["users.id"], name=op.f(f"fk_{TABLE}_facilitator_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f(f"fk_{TABLE}_organisation_id_organisations")),
        sa.ForeignKeyConstraint(["plan_id"], ["action_plans.id"], name=op.f(f"fk_{TABLE}_plan_id_action_plans"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"], name=op.f(f"fk_{TABLE}_programme_id_programmes")),
        sa.ForeignKeyConstraint(["tenant_id"], ["communities.id"], name=op.f(f"fk_{TABLE}_tenant_id_communities"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{TABLE}")),
        sa.UniqueConstraint("tenant_id", "programme_id", name=op.f(f"uq_{TABLE}_tenant_id_programme_id")),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        for column in ("organisation_id", "programme_id", "tenant_id"):
            batch_op.create_index(batch_op.f(f"ix_{TABLE}_{column}"), [column], unique=False)
    enable_row_level_security(op, TABLE, kind="shared")


def downgrade():
    disable_row_level_security(op, TABLE)
    op.drop_table(TABLE)
