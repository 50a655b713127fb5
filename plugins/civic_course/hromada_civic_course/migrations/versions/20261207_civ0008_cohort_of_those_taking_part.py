"""A community that withdrew from a programme no longer reads the change maps its cohort shares

`cohort_readers` (civ0007) let a community read the shares of every programme it is enrolled in;
a withdrawn community keeps its enrolment (withdrawal is a status of its progress), so it kept
reading. The policy now reads the cohort's read model (`cohort_standings`, core prg0002): the
programmes the context's community takes part in, as `hromada.plugin_api.programmes_taking_part`
gives them to the page's query. The standings in the subquery are read under their own policy:
the context's community sees its own rows only.

Revision ID: civ0008
Revises: civ0007
Create Date: 2026-12-07

"""

from alembic import op

revision = "civ0008"
down_revision = "civ0007"
branch_labels = None
depends_on = "prg0002"

TABLE = "civic_map_shares"
_SIGNED = "(SELECT valid FROM public.hromada_context)"
_CURRENT_TENANT = "(SELECT NULLIF(current_setting('app.current_tenant', true), '')::bigint)"
TAKING_PART = (
    f"{_SIGNED} AND programme_id IN (SELECT cohort_standings.programme_id FROM cohort_standings"
    f" WHERE cohort_standings.tenant_id = {_CURRENT_TENANT}"
    " AND cohort_standings.status IS DISTINCT FROM 'withdrawn')"
)
ENROLLED = (
    f"{_SIGNED} AND programme_id IN (SELECT enrolments.programme_id FROM enrolments"
    f" WHERE enrolments.tenant_id = {_CURRENT_TENANT})"
)


def _policy(using: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f'DROP POLICY IF EXISTS cohort_readers ON "{TABLE}"')
        op.execute(f'CREATE POLICY cohort_readers ON "{TABLE}" FOR SELECT USING ({using})')


def upgrade():
    _policy(TAKING_PART)


def downgrade():
    _policy(ENROLLED)
