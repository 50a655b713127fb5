"""Comments on draft change maps by members and by the programme's mentors and facilitators

A community's rows shared with the organisation running the map's programme, so
its staff can write them (row-level security of kind "shared").

Revision ID: civ0006
Revises: civ0005
Create Date: 2026-12-06

"""

import sqlalchemy as sa
from alembic import op

from hromada.plugin_api import disable_row_level_security, enable_row_level_security

revision = "civ0006"
down_revision = "civ0005"
branch_labels = None
depends_on = None

TABLE = "civic_map_comments"


def upgrade():
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("map_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["map_id"], ["civic_change_maps.id"], name=op.f(f"fk_{TABLE}_map_id_civic_change_maps"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f(f"fk_{TABLE}_author_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["tenant_id"], ["communities.id"], name=op.f(f"fk_{TABLE}_tenant_id_communities"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f(f"fk_{TABLE}_organisation_id_organisations")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{TABLE}")),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        for column in ("map_id", "organisation_id", "tenant_id"):
            batch_op.create_index(batch_op.f(f"ix_{TABLE}_{column}"), [column], unique=False)
    enable_row_level_security(op, TABLE, kind="shared")


def downgrade():
    disable_row_level_security(op, TABLE)
    op.drop_table(TABLE)
