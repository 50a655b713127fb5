"""The tenancy context counts only when the app signed it (hromada.tenancy.signing)

Creates the private schema with the context keys (the app's role has no right on it),
the view `hromada_context`, whose `valid` every policy asks first, `hromada_context_key_known()`,
which the app asks on each new connection, and adds the check to every
`tenant_isolation` policy that exists. Tables made later get it from
`enable_row_level_security`.

Revision ID: core0008
Revises: core0007
"""

from alembic import op
from sqlalchemy import text

from hromada.tenancy.rls import policy_expressions, unsigned_policy_expressions

revision = "core0008"
down_revision = "core0007"
branch_labels = None
depends_on = None

# What the app signs, in the order hromada.tenancy.signing.sign joins it; unset settings read as ''.
_SIGNED_MESSAGE = (
    "pg_backend_pid()::text"
    " || '|' || coalesce(current_setting('app.current_tenant', true), '')"
    " || '|' || coalesce(current_setting('app.reader_tenants', true), '')"
    " || '|' || coalesce(current_setting('app.current_organisation', true), '')"
    " || '|' || coalesce(current_setting('app.current_user', true), '')"
    " || '|' || coalesce(current_setting('app.system', true), '')"
)


def _policies():
    """(table, column, kind) of every tenant_isolation policy, as core0005 finds them."""
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
    for table, column, kind in list(_policies()):
        read, write = expressions(column, kind)
        op.execute(f'ALTER POLICY tenant_isolation ON "{table}" USING ({read}) WITH CHECK ({write})')


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    # Trusted since PostgreSQL 13: the database's owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public")
    op.execute("CREATE SCHEMA hromada_private")
    op.execute("REVOKE ALL ON SCHEMA hromada_private FROM PUBLIC")
    op.execute(
        "CREATE TABLE hromada_private.context_keys ("
        " id serial PRIMARY KEY, fingerprint varchar(16) NOT NULL UNIQUE, key bytea NOT NULL,"
        " created_at timestamptz NOT NULL DEFAULT now())"
    )
    # A view, not a function: it runs with its owner's rights (the app's role may read `valid`, never a key)
    # and PostgreSQL plans it into the statement, where a SECURITY DEFINER function is set up again on every
    # statement: 95 to 250 us a statement in PL/pgSQL, 270 in SQL, against the few us of one HMAC here.
    op.execute(
        "CREATE VIEW public.hromada_context AS SELECT EXISTS ("
        " SELECT 1 FROM hromada_private.context_keys AS k"
        f" WHERE encode(public.hmac(convert_to({_SIGNED_MESSAGE}, 'UTF8'), k.key, 'sha256'), 'hex')"
        "   = coalesce(current_setting('app.context_signature', true), '')"
        ") AS valid"
    )
    op.execute("GRANT SELECT ON public.hromada_context TO PUBLIC")
    op.execute(
        "CREATE FUNCTION public.hromada_context_key_known(key_fingerprint text) RETURNS boolean"
        " LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$"
        " SELECT EXISTS (SELECT 1 FROM hromada_private.context_keys WHERE fingerprint = key_fingerprint)"
        " $$"
    )
    _rewrite(policy_expressions)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    _rewrite(unsigned_policy_expressions)
    op.execute("DROP FUNCTION public.hromada_context_key_known(text)")
    op.execute("DROP VIEW public.hromada_context")
    op.execute("DROP SCHEMA hromada_private CASCADE")
