"""Start the civic_course plugin's migration branch.

The civic_course plugin's tables are created by the revisions that follow this one on
the "civic_course" branch; this revision only anchors the branch on the core's tables.

Revision ID: civ0001
Revises:
Create Date: 2026-11-21

"""

revision = "civ0001"
down_revision = None
branch_labels = ("civic_course",)
depends_on = "core0001"


def upgrade():
    pass


def downgrade():
    pass
