"""Row-level policies read each setting once per statement, not once per row

Every `tenant_isolation` policy that exists when this runs is rewritten to the
form `hromada.tenancy.rls.policy_expressions` now gives: settings in scalar
subqueries (evaluated once, as InitPlans) and the staff readers as a hashed set.
Visibility is the same; the cohort overview at 2,000 communities went from
7.5 s to 0.49 s with it. Tables a later revision creates get the new form from
`enable_row_level_security` directly, so the order of branches does not matter.

Revision ID: core0005
Revises: core0004
Create Date: 2026-11-21

"""
from alembic import op
from sqlalchemy import text

from hromada.tenancy.rls import unsigned_policy_expressions as policy_expressions

revision = "core0005"
down_revision = "core0004"
branch_labels = None
depends_on = None

# The per-row form of core0001..core0004 and the module branches, frozen here for downgrade.
_OLD_TENANT = "NULLIF(current_setting('app.current_tenant', true), '')::bigint"
_OLD_READERS = "string_to_array(NULLIF(current_setting('app.reader_tenants', true), ''), ',')::bigint[]"
_OLD_ORGANISATION = "NULLIF(current_setting('app.current_organisation', true), '')::bigint"
_OLD_USER = "NULLIF(current_setting('app.current_user', true), '')::bigint"
_OLD_SYSTEM = "current_setting('app.system', true) = 'on'"


def _old_expressions(column: str, kind: str) -> tuple[str, str]:
    read = f"{column} = {_OLD_TENANT} OR {column} = ANY ({_OLD_READERS}) OR {_OLD_SYSTEM}"
    write = f"{column} = {_OLD_TENANT} OR {_OLD_SYSTEM}"
    if kind == "shared":
        read += f" OR organisation_id = {_OLD_ORGANISATION}"
        write += f" OR organisation_id = {_OLD_ORGANISATION}"
    elif kind == "membership":
        read += f" OR user_id = {_OLD_USER}"
    return read, write


def _policies():
    """(table, column, kind) of every tenant_isolation policy in the current schema."""
    rows = op.get_bind().execute(text(
        "SELECT tablename, qual FROM pg_policies"
        " WHERE policyname = 'tenant_isolation' AND schemaname = current_schema() ORDER BY tablename"
    )).all()
    for table, qual in rows:
        column = "id" if table == "communities" else "tenant_id"
        if "app.current_organisation" in qual:
            kind = "shared"
        elif "app.current_user" in qual:
            kind = "membership"
        else:
            kind = "tenant"
        yield table, column, kind


def _rewrite(expressions) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, kind in list(_policies()):
        read, write = expressions(column, kind)
        op.execute(f'ALTER POLICY tenant_isolation ON "{table}" USING ({read}) WITH CHECK ({write})')


def upgrade():
    _rewrite(policy_expressions)


def downgrade():
    _rewrite(_old_expressions)
