"""Start the incubator plugin's migration branch.

The incubator plugin's tables are created by the revisions that follow this one on
the "incubator" branch; this revision only anchors the branch on the core's tables.

Revision ID: inc0001
Revises:
Create Date: 2026-11-21

"""

revision = "inc0001"
down_revision = None
branch_labels = ("incubator",)
depends_on = "core0001"


def upgrade():
    pass


def downgrade():
    pass
