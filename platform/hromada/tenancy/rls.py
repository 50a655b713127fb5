"""The database wall: PostgreSQL row-level security for tenant-owned tables.

Migrations call `enable_row_level_security(op, "table")` for each new
tenant-owned table; on SQLite it does nothing (SQLite has no row-level security:
there only the ORM wall stands). The policies read the transaction-local
settings that `hromada.tenancy.orm` sets at the start of every transaction, so
a setting never outlives its transaction on a pooled connection.
"""

from __future__ import annotations

# NULLIF: on a pooled connection a setting that was set earlier reads as '' afterwards.
# Each setting sits in a scalar subquery so PostgreSQL reads it once per statement
# (an InitPlan) instead of once per row: on a page reading 200,000 attendance rows
# the per-row form cost 7.25 of 7.5 seconds. The readers become a hashed set for
# the same reason: `tenant_id IN (SELECT unnest(...))`, not `= ANY (array)` per row.
CURRENT_TENANT = "(SELECT NULLIF(current_setting('app.current_tenant', true), '')::bigint)"
READER_TENANTS = (
    "(SELECT unnest(string_to_array(NULLIF(current_setting('app.reader_tenants', true), ''), ',')::bigint[]))"
)
CURRENT_ORGANISATION = "(SELECT NULLIF(current_setting('app.current_organisation', true), '')::bigint)"
CURRENT_USER = "(SELECT NULLIF(current_setting('app.current_user', true), '')::bigint)"
SYSTEM = "(SELECT current_setting('app.system', true) = 'on')"
# The settings count only when the app signed them (hromada.tenancy.signing): checked once per statement.
SIGNED = "(SELECT valid FROM public.hromada_context)"


def policy_expressions(column: str = "tenant_id", kind: str = "tenant") -> tuple[str, str]:
    """(USING, WITH CHECK) of a table's `tenant_isolation` policy: the settings, if the app signed them.

    `kind`: "tenant" (TenantOwned), "shared" (SharedWithOrganisation), "membership" (MembershipRow)
    or "members" (MembersOnly: the community itself, never its staff readers).
    """
    read, write = unsigned_policy_expressions(column, kind)
    return f"{SIGNED} AND ({read})", f"{SIGNED} AND ({write})"


def unsigned_policy_expressions(column: str = "tenant_id", kind: str = "tenant") -> tuple[str, str]:
    """The settings alone, as the policies read them before core0008 (migrations before it use this form)."""
    read = f"{column} = {CURRENT_TENANT} OR {SYSTEM} OR {column} IN {READER_TENANTS}"
    write = f"{column} = {CURRENT_TENANT} OR {SYSTEM}"
    if kind == "shared":
        read = f"organisation_id = {CURRENT_ORGANISATION} OR {read}"
        write = f"organisation_id = {CURRENT_ORGANISATION} OR {write}"
    elif kind == "membership":
        read += f" OR user_id = {CURRENT_USER}"
    elif kind == "members":
        read = write
    return read, write


def policy_sql(table: str, column: str = "tenant_id", kind: str = "tenant", *, signed: bool = True) -> list[str]:
    read, write = (policy_expressions if signed else unsigned_policy_expressions)(column, kind)
    return [
        f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY',
        f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY',
        f'CREATE POLICY tenant_isolation ON "{table}" USING ({read}) WITH CHECK ({write})',
    ]


def enable_row_level_security(op, table: str, column: str = "tenant_id", kind: str = "tenant") -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    # A plugin's branch may run before the core's revision that makes the signature check (core0008);
    # that revision then adds the check to every policy it finds, this one included.
    signed = bind.exec_driver_sql("SELECT to_regclass('public.hromada_context') IS NOT NULL").scalar()
    for statement in policy_sql(table, column, kind, signed=signed):
        op.execute(statement)


def disable_row_level_security(op, table: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f'DROP POLICY IF EXISTS tenant_isolation ON "{table}"')
    op.execute(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
    op.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')


def grant_application_role_sql(app_role: str, owner_role: str) -> list[str]:
    """What the owner runs once so the app's role can use the tables migrations create.

    The app's role gets data rights only: it owns nothing, so row-level security
    always applies to it, and it can neither alter nor drop a table.
    """
    return [
        f'GRANT USAGE ON SCHEMA public TO "{app_role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{app_role}"',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{app_role}"',
        f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner_role}" IN SCHEMA public '
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "{app_role}"',
        f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner_role}" IN SCHEMA public '
        f'GRANT USAGE, SELECT ON SEQUENCES TO "{app_role}"',
    ]
