"""Action plans: a plugin object's plan (the members', read by the staff of its programme), milestones, actions

Revision ID: pln0001
Revises:
Create Date: 2026-12-06

"""
import sqlalchemy as sa
from alembic import op
from hromada.tenancy.rls import disable_row_level_security, enable_row_level_security

revision = "pln0001"
down_revision = None
branch_labels = ("action_plans",)
# After the signed context (core0008): the tables' policies are created signed.
depends_on = "core0008"


def upgrade():
    op.create_table(
        "action_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_type", sa.String(length=80), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"],
                                name=op.f("fk_action_plans_programme_id_programmes")),
        sa.ForeignKeyConstraint(["tenant_id"], ["communities.id"], name=op.f("fk_action_plans_tenant_id_communities"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_plans")),
        sa.UniqueConstraint("tenant_id", "owner_type", "owner_id",
                            name=op.f("uq_action_plans_tenant_id_owner_type_owner_id")),
    )
    with op.batch_alter_table("action_plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_plans_programme_id"), ["programme_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_plans_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "action_plan_milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["action_plans.id"],
                                name=op.f("fk_action_plan_milestones_plan_id_action_plans"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id"], ["communities.id"],
                                name=op.f("fk_action_plan_milestones_tenant_id_communities"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_plan_milestones")),
        sa.UniqueConstraint("tenant_id", "plan_id", "title",
                            name=op.f("uq_action_plan_milestones_tenant_id_plan_id_title")),
    )
    with op.batch_alter_table("action_plan_milestones", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_plan_milestones_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_plan_milestones_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "action_plan_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=80), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("planned", "in_progress", "done", "dropped", name="actionstatus", native_enum=False,
                    create_constraint=True, length=20),
            nullable=False,
        ),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("starts_on IS NULL OR due_on IS NULL OR starts_on <= due_on",
                           name=op.f("ck_action_plan_actions_starts_before_due")),
        sa.ForeignKeyConstraint(["milestone_id"], ["action_plan_milestones.id"],
                                name=op.f("fk_action_plan_actions_milestone_id_action_plan_milestones"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_action_plan_actions_owner_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["tenant_id"], ["communities.id"],
                                name=op.f("fk_action_plan_actions_tenant_id_communities"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_plan_actions")),
        sa.UniqueConstraint("tenant_id", "milestone_id", "title",
                            name=op.f("uq_action_plan_actions_tenant_id_milestone_id_title")),
    )
    with op.batch_alter_table("action_plan_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_plan_actions_due_on"), ["due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_plan_actions_milestone_id"), ["milestone_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_plan_actions_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_plan_actions_tenant_id"), ["tenant_id"], unique=False)

    for table in ("action_plans", "action_plan_milestones", "action_plan_actions"):
        enable_row_level_security(op, table)


def downgrade():
    for table in ("action_plan_actions", "action_plan_milestones", "action_plans"):
        disable_row_level_security(op, table)
    with op.batch_alter_table("action_plan_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_plan_actions_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_action_plan_actions_owner_id"))
        batch_op.drop_index(batch_op.f("ix_action_plan_actions_milestone_id"))
        batch_op.drop_index(batch_op.f("ix_action_plan_actions_due_on"))
    op.drop_table("action_plan_actions")
    with op.batch_alter_table("action_plan_milestones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_plan_milestones_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_action_plan_milestones_plan_id"))
    op.drop_table("action_plan_milestones")
    with op.batch_alter_table("action_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_plans_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_action_plans_programme_id"))
    op.drop_table("action_plans")
