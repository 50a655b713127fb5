"""Create the study_visits table: the first revision of the "study_visits" branch.

Written by hand to match hromada_study_visits.models.StudyVisit, with the
constraint names of the naming convention in hromada/extensions.py, and with
PostgreSQL row-level security, as every tenant-owned table has.

Revision ID: stv0001
Revises:
Create Date: 2026-11-21

"""

import sqlalchemy as sa
from alembic import op

from hromada.plugin_api import disable_row_level_security, enable_row_level_security

revision = "stv0001"
down_revision = None
branch_labels = ("study_visits",)
# The plugin's table refers to communities, which the core's first revision creates.
depends_on = "core0001"


def upgrade():
    op.create_table(
        "study_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("host_name", sa.String(length=200), nullable=False),
        sa.Column("visit_on", sa.Date(), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("report_word_count", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["communities.id"], name=op.f("fk_study_visits_tenant_id_communities"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_visits")),
    )
    # batch_alter_table: the same code works on SQLite, which cannot alter tables in place.
    with op.batch_alter_table("study_visits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_study_visits_tenant_id"), ["tenant_id"], unique=False)
    # PostgreSQL: each community sees only its own visits, even through raw SQL (no-op on SQLite).
    enable_row_level_security(op, "study_visits")


def downgrade():
    disable_row_level_security(op, "study_visits")
    with op.batch_alter_table("study_visits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_study_visits_tenant_id"))
    op.drop_table("study_visits")
