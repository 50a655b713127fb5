"""Start the accelerator plugin's migration branch.

The accelerator plugin's tables are created by the revisions that follow this one on
the "accelerator" branch; this revision only anchors the branch on the core's tables.

Revision ID: acc0001
Revises:
Create Date: 2026-11-21

"""

revision = "acc0001"
down_revision = None
branch_labels = ("accelerator",)
depends_on = "core0001"


def upgrade():
    pass


def downgrade():
    pass
