"""Problem-finding meetings, their problems and the members' dots; change maps with stakeholders

Meetings, problems, maps and stakeholders are the community's rows (row-level
security of kind "tenant"); the dots of a priority vote are the members' own
(kind "members"). After the action plans' branch (pln0001), whose table a map names.

Revision ID: civ0002
Revises: civ0001
Create Date: 2026-12-06

"""

import sqlalchemy as sa
from alembic import op

from hromada.plugin_api import disable_row_level_security, enable_row_level_security

revision = "civ0002"
down_revision = "civ0001"
branch_labels = None
depends_on = "pln0001"

MEETINGS, PROBLEMS, DOTS = "civic_problem_meetings", "civic_problems", "civic_problem_dots"
MAPS, STAKEHOLDERS = "civic_change_maps", "civic_stakeholders"


def _tenant(table):
    return [
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["communities.id"], name=op.f(f"fk_{table}_tenant_id_communities"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _indexes(table, *columns):
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in (*columns, "tenant_id"):
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade():
    op.create_table(
        MEETINGS,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("facilitator", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.CheckConstraint("participants >= 0", name=op.f(f"ck_{MEETINGS}_participants_not_negative")),
        sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"],
                                name=op.f(f"fk_{MEETINGS}_programme_id_programmes")),
        *_tenant(MEETINGS),
    )
    _indexes(MEETINGS, "programme_id")
    op.create_table(
        PROBLEMS,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("what_is_wrong", sa.Text(), nullable=False),
        sa.Column("who_is_affected", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], [f"{MEETINGS}.id"], name=op.f(f"fk_{PROBLEMS}_meeting_id_{MEETINGS}"),
                                ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "meeting_id", "title", name=op.f(f"uq_{PROBLEMS}_tenant_id_meeting_id_title")),
        *_tenant(PROBLEMS),
    )
    _indexes(PROBLEMS, "meeting_id")
    op.create_table(
        DOTS,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("problem_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("dots", sa.Integer(), nullable=False),
        sa.CheckConstraint("dots >= 1", name=op.f(f"ck_{DOTS}_dots_positive")),
        sa.ForeignKeyConstraint(["problem_id"], [f"{PROBLEMS}.id"], name=op.f(f"fk_{DOTS}_problem_id_{PROBLEMS}"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f(f"fk_{DOTS}_user_id_users"), ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "problem_id", "user_id", name=op.f(f"uq_{DOTS}_tenant_id_problem_id_user_id")),
        *_tenant(DOTS),
    )
    _indexes(DOTS, "problem_id", "user_id")
    op.create_table(
        MAPS,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("problem_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("tools", sa.JSON(), nullable=False),
        sa.Column("assumptions", sa.Text(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.ForeignKeyConstraint(["problem_id"], [f"{PROBLEMS}.id"], name=op.f(f"fk_{MAPS}_problem_id_{PROBLEMS}")),
        sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"], name=op.f(f"fk_{MAPS}_programme_id_programmes")),
        sa.ForeignKeyConstraint(["plan_id"], ["action_plans.id"], name=op.f(f"fk_{MAPS}_plan_id_action_plans"),
                                ondelete="SET NULL"),
        *_tenant(MAPS),
    )
    _indexes(MAPS, "problem_id", "programme_id")
    op.create_table(
        STAKEHOLDERS,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("map_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("influence", sa.Integer(), nullable=False),
        sa.Column("interest", sa.Integer(), nullable=False),
        sa.CheckConstraint("influence BETWEEN 1 AND 5 AND interest BETWEEN 1 AND 5",
                           name=op.f(f"ck_{STAKEHOLDERS}_scores_in_range")),
        sa.ForeignKeyConstraint(["map_id"], [f"{MAPS}.id"], name=op.f(f"fk_{STAKEHOLDERS}_map_id_{MAPS}"),
                                ondelete="CASCADE"),
        sa.UniqueConstraint("tenant_id", "map_id", "name", name=op.f(f"uq_{STAKEHOLDERS}_tenant_id_map_id_name")),
        *_tenant(STAKEHOLDERS),
    )
    _indexes(STAKEHOLDERS, "map_id")
    for table in (MEETINGS, PROBLEMS, MAPS, STAKEHOLDERS):
        enable_row_level_security(op, table)
    enable_row_level_security(op, DOTS, kind="members")


def downgrade():
    for table in (STAKEHOLDERS, MAPS, DOTS, PROBLEMS, MEETINGS):
        disable_row_level_security(op, table)
        op.drop_table(table)
