"""The cohort's read model: where each enrolment stands, kept on write (issue 17)

Revision ID: prg0002
Revises: prg0001
Create Date: 2026-12-07

"""
import sqlalchemy as sa
from alembic import op

from hromada.modules.progress.standings import sql
from hromada.tenancy.rls import disable_row_level_security, enable_row_level_security

revision = "prg0002"
down_revision = "prg0001"
branch_labels = None
depends_on = "core0012"


def upgrade():
    op.create_table(
        "cohort_standings",
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("sort_name", sa.Text(), nullable=False),
        sa.Column("current_stage_id", sa.Integer(), nullable=True),
        sa.Column("has_stage_row", sa.Boolean(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=True),
        sa.Column("stage_position", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("quiet_since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("evaluated_version", sa.BigInteger(), nullable=False),
        sa.Column("evaluated_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("met", sa.Integer(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("columns", sa.JSON(), nullable=True),
        sa.Column("outcomes", sa.JSON(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["enrolment_id"], ["enrolments.id"],
                                name=op.f("fk_cohort_standings_enrolment_id_enrolments"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"],
                                name=op.f("fk_cohort_standings_programme_id_programmes"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_cohort_standings_organisation_id_organisations")),
        sa.ForeignKeyConstraint(["tenant_id"], ["communities.id"],
                                name=op.f("fk_cohort_standings_tenant_id_communities"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("enrolment_id", name=op.f("pk_cohort_standings")),
    )
    with op.batch_alter_table("cohort_standings", schema=None) as batch_op:
        batch_op.create_index("ix_cohort_standings_programme_stage",
                              ["programme_id", "stage_position", "sort_name", "enrolment_id"])
        batch_op.create_index("ix_cohort_standings_programme_name", ["programme_id", "sort_name"])
        batch_op.create_index("ix_cohort_standings_programme_activity", ["programme_id", "last_activity_at"])
        batch_op.create_index("ix_cohort_standings_programme_rowless",
                              ["programme_id", "has_stage_row", "current_stage_id"])
        batch_op.create_index(batch_op.f("ix_cohort_standings_organisation_id"), ["organisation_id"])
        batch_op.create_index(batch_op.f("ix_cohort_standings_tenant_id"), ["tenant_id"])
    enable_row_level_security(op, "cohort_standings", kind="shared")
    # The funnel's counts: the organisation's, like its stages (no community's row, no row-level policy).
    op.create_table(
        "stage_funnel_counts",
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("entered", sa.Integer(), nullable=False),
        sa.Column("completed", sa.Integer(), nullable=False),
        sa.Column("withdrawn", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["stage_id"], ["programme_stages.id"],
                                name=op.f("fk_stage_funnel_counts_stage_id_programme_stages"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("stage_id", name=op.f("pk_stage_funnel_counts")),
    )

    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(sql.REFRESH_FUNCTION)
        op.execute(sql.STALE_FUNCTION)
    for statement in sql.FUNNEL_TRIGGERS.get(dialect, []):
        op.execute(statement)
    # Every enrolment and progress row there is, as the owner (row-level security does not hold it back here).
    if dialect in sql.BACKFILL:
        op.execute(sa.text(sql.BACKFILL[dialect]))
        op.execute(sa.text(sql.FUNNEL_BACKFILL))


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS count_stage_progress ON stage_progress")
        op.execute("DROP FUNCTION IF EXISTS public.hromada_count_stage_progress()")
    else:
        for kind in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS count_stage_progress_{kind}")
    op.drop_table("stage_funnel_counts")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS public.hromada_outdate_standings(bigint[])")
        op.execute("DROP FUNCTION IF EXISTS public.hromada_refresh_standings(bigint[])")
    disable_row_level_security(op, "cohort_standings")
    op.drop_table("cohort_standings")
