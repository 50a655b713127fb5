"""How many communities each programme has, kept on write (issue 17): the cohort's total in one row

Revision ID: prg0003
Revises: prg0002
Create Date: 2026-12-07

"""
import sqlalchemy as sa
from alembic import op

from hromada.modules.progress.standings import sql

revision = "prg0003"
down_revision = "prg0002"
branch_labels = None
depends_on = None


def upgrade():
    # A count per programme, the organisation's like its funnel (no community's row, no row-level policy).
    op.create_table(
        "programme_cohort_counts",
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("communities", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("programme_id", name=op.f("pk_programme_cohort_counts")),
    )
    dialect = op.get_bind().dialect.name
    for statement in sql.COHORT_COUNT_TRIGGERS.get(dialect, []):
        op.execute(statement)
    op.execute(sa.text(sql.COHORT_COUNT_BACKFILL))


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS count_cohort_standings ON cohort_standings")
        op.execute("DROP FUNCTION IF EXISTS public.hromada_count_cohort_standings()")
    else:
        for kind in ("insert", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS count_cohort_standings_{kind}")
    op.drop_table("programme_cohort_counts")
