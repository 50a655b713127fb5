"""Adopted change maps' summaries that a community shares with the other communities of its programme

`civic_map_shares` is a community's table (row-level security of kind "tenant") with one
more policy, `cohort_readers`: a signed context acting for a community also reads, and only
reads, the rows of the programmes that community is enrolled in. The rows hold nothing but
what the cohort is shown (`hromada_civic_course.maps.models.MapShare`); a withdrawn share is
deleted. The enrolments in the policy's subquery are read under their own policy: the
context's community sees its own enrolments only.

Revision ID: civ0007
Revises: civ0006
Create Date: 2026-12-06

"""

import sqlalchemy as sa
from alembic import op

from hromada.plugin_api import disable_row_level_security, enable_row_level_security

revision = "civ0007"
down_revision = "civ0006"
branch_labels = None
depends_on = None

TABLE = "civic_map_shares"
# As hromada.tenancy.rls reads the settings: once per statement, and only when the app signed them.
_SIGNED = "(SELECT valid FROM public.hromada_context)"
_CURRENT_TENANT = "(SELECT NULLIF(current_setting('app.current_tenant', true), '')::bigint)"
COHORT_READERS = (
    f"{_SIGNED} AND programme_id IN (SELECT enrolments.programme_id FROM enrolments"
    f" WHERE enrolments.tenant_id = {_CURRENT_TENANT})"
)


def upgrade():
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("map_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("shown_as", sa.String(length=200), nullable=True),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["map_id"], ["civic_change_maps.id"], name=op.f(f"fk_{TABLE}_map_id_civic_change_maps"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["version_id"], ["civic_change_map_versions.id"],
                                name=op.f(f"fk_{TABLE}_version_id_civic_change_map_versions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"], name=op.f(f"fk_{TABLE}_programme_id_programmes")),
        sa.ForeignKeyConstraint(["tenant_id"], ["communities.id"], name=op.f(f"fk_{TABLE}_tenant_id_communities"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{TABLE}")),
        sa.UniqueConstraint("tenant_id", "map_id", name=op.f(f"uq_{TABLE}_tenant_id_map_id")),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        for column in ("map_id", "programme_id", "tenant_id"):
            batch_op.create_index(batch_op.f(f"ix_{TABLE}_{column}"), [column], unique=False)
    enable_row_level_security(op, TABLE)
    if op.get_bind().dialect.name == "postgresql":
        # Permissive policies add up: the community's own rows (tenant_isolation), and for reading only, its cohort's.
        op.execute(f'CREATE POLICY cohort_readers ON "{TABLE}" FOR SELECT USING ({COHORT_READERS})')


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f'DROP POLICY IF EXISTS cohort_readers ON "{TABLE}"')
    disable_row_level_security(op, TABLE)
    op.drop_table(TABLE)
