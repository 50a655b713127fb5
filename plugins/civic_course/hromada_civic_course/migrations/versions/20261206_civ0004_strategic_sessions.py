"""Strategic sessions on an adopted change map, and the outcomes they agreed

Both the community's rows (row-level security of kind "tenant"). An outcome names a
milestone or an action of the map's action plan (pln0001's tables).

Revision ID: civ0004
Revises: civ0003
Create Date: 2026-12-06

"""

import sqlalchemy as sa
from alembic import op

from hromada.plugin_api import disable_row_level_security, enable_row_level_security

revision = "civ0004"
down_revision = "civ0003"
branch_labels = None
depends_on = None

SESSIONS, OUTCOMES = "civic_strategic_sessions", "civic_session_outcomes"


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
        SESSIONS,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("map_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("facilitator", sa.String(length=200), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.CheckConstraint("participants >= 0", name=op.f(f"ck_{SESSIONS}_participants_not_negative")),
        sa.UniqueConstraint("tenant_id", "map_id", "held_on", name=op.f(f"uq_{SESSIONS}_tenant_id_map_id_held_on")),
        sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"],
                                name=op.f(f"fk_{SESSIONS}_programme_id_programmes")),
        sa.ForeignKeyConstraint(["map_id"], ["civic_change_maps.id"],
                                name=op.f(f"fk_{SESSIONS}_map_id_civic_change_maps"), ondelete="CASCADE"),
        *_tenant(SESSIONS),
    )
    _indexes(SESSIONS, "map_id", "programme_id")
    op.create_table(
        OUTCOMES,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=True),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.ForeignKeyConstraint(["session_id"], [f"{SESSIONS}.id"], name=op.f(f"fk_{OUTCOMES}_session_id_{SESSIONS}"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["milestone_id"], ["action_plan_milestones.id"],
                                name=op.f(f"fk_{OUTCOMES}_milestone_id_action_plan_milestones"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["action_id"], ["action_plan_actions.id"],
                                name=op.f(f"fk_{OUTCOMES}_action_id_action_plan_actions"), ondelete="SET NULL"),
        *_tenant(OUTCOMES),
    )
    _indexes(OUTCOMES, "session_id")
    for table in (SESSIONS, OUTCOMES):
        enable_row_level_security(op, table)


def downgrade():
    for table in (OUTCOMES, SESSIONS):
        disable_row_level_security(op, table)
        op.drop_table(table)
