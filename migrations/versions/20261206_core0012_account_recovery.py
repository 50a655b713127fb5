"""Account recovery: one-time reset links, self-deleted accounts, and writes to `users` under row-level security

- `password_resets`: a one-time link's SHA-256, its person, who issued it, its expiry and when it was used.
  Anyone may look a link up by its hash (the person who holds it is not signed in) and mark it used; a
  trigger refuses every other change and un-using a link. Only an operator of the person's organisation or
  a coordinator of their community, in that organisation's or community's signed context, may issue one
  (or system work), so injected SQL cannot plant a link it knows for someone else.
- `users.deleted_at`: a person who deleted their account stays as an emptied row ("a former member"), so
  that their pseudonymous contributions keep an author.
- `users` gets row-level security: everyone reads (pages show who did what; sign-in finds a handle), anyone
  adds a person (accepting an invitation, answering a call), but a row is changed only in a signed context
  that names it (the signed-in person, the person whose password is set, `credential_user`) or by system
  work, and deleted only by system work. The guard trigger of core0009 also deletes the password hash of a
  person who deletes their account, which only the person whose password was just checked may do.

- `audit_events`: an entry that concerns an organisation is appended only in a signed context that works
  with it: the organisation itself, one of its staff, a community enrolled in (or applying to) its
  programmes, the platform admin's pages, or system work. An entry about no organisation (a failed sign-in) is appended by anyone, as before.

Revision ID: core0012
Revises: core0011
"""

import sqlalchemy as sa
from alembic import op

from hromada.tenancy.rls import CURRENT_ORGANISATION, CURRENT_TENANT, CURRENT_USER, SIGNED, SYSTEM

revision = "core0012"
down_revision = "core0011"
branch_labels = None
depends_on = None

PLATFORM_ADMIN = "(SELECT current_setting('app.platform_admin', true) = 'on')"
CREDENTIAL_USER = "(SELECT NULLIF(current_setting('app.credential_user', true), '')::bigint)"
OWN_ROW = f"{SIGNED} AND ({SYSTEM} OR id = {CURRENT_USER} OR id = {CREDENTIAL_USER})"

# An operator of an organisation the person is on the staff of, acting for it; or a coordinator of a
# community the person is a member of, acting in it (the community's memberships are readable there).
ISSUER = (
    f"{SIGNED} AND ({SYSTEM} OR (issued_by_id = {CURRENT_USER} AND ("
    " EXISTS (SELECT 1 FROM staff_memberships AS mine JOIN staff_memberships AS theirs"
    "   ON theirs.organisation_id = mine.organisation_id"
    f"  WHERE mine.user_id = {CURRENT_USER} AND mine.role = 'operator'"
    f"    AND mine.organisation_id = {CURRENT_ORGANISATION} AND theirs.user_id = password_resets.user_id)"
    " OR EXISTS (SELECT 1 FROM community_memberships AS mine JOIN community_memberships AS theirs"
    "   ON theirs.tenant_id = mine.tenant_id"
    f"  WHERE mine.user_id = {CURRENT_USER} AND mine.role = 'coordinator'"
    f"    AND mine.tenant_id = {CURRENT_TENANT} AND theirs.user_id = password_resets.user_id))))"
)

_SIGNED_SYSTEM = "(SELECT valid FROM public.hromada_context) AND current_setting('app.system', true) = 'on'"
_CREDENTIAL_OF = (
    "(SELECT valid FROM public.hromada_context)"
    " AND coalesce(current_setting('app.credential_user', true), '') = {person}::text"
)


def _guard_users(deletion: bool) -> str:
    """core0009's trigger function; with `deletion`, a person's own deletion also takes their hash."""
    deleting = (
        "  IF TG_OP = 'UPDATE' AND NEW.deleted_at IS DISTINCT FROM OLD.deleted_at THEN"
        f"   IF OLD.deleted_at IS NOT NULL OR NOT (is_system OR coalesce({_CREDENTIAL_OF.format(person='NEW.id')}, false))"
        "   THEN"
        "    RAISE EXCEPTION 'only the person whose password was checked deletes their account'"
        "     USING ERRCODE = 'insufficient_privilege';"
        "   END IF;"
        "   DELETE FROM hromada_private.password_hashes WHERE user_id = NEW.id;"
        "   NEW.password_hash := '';"
        "   RETURN NEW;"
        "  END IF;"
    ) if deletion else ""
    return (
        "CREATE OR REPLACE FUNCTION hromada_private.guard_users() RETURNS trigger"
        " LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$"
        " DECLARE"
        f"  is_system boolean := coalesce({_SIGNED_SYSTEM}, false);"
        " BEGIN"
        "  IF NEW.is_platform_admin AND (TG_OP = 'INSERT' OR NOT OLD.is_platform_admin) AND NOT is_system THEN"
        "   RAISE EXCEPTION 'only system work makes a platform admin' USING ERRCODE = 'insufficient_privilege';"
        "  END IF;"
        f"{deleting}"
        "  IF NEW.password_hash <> '' THEN"
        "   IF TG_OP = 'INSERT' THEN"
        "    IF EXISTS (SELECT 1 FROM public.users WHERE id = NEW.id) THEN"
        "     RAISE EXCEPTION 'this person exists already' USING ERRCODE = 'insufficient_privilege';"
        "    END IF;"
        "    INSERT INTO hromada_private.password_hashes (user_id, hash) VALUES (NEW.id, NEW.password_hash);"
        f"   ELSIF is_system OR coalesce({_CREDENTIAL_OF.format(person='NEW.id')}, false) THEN"
        "    UPDATE hromada_private.password_hashes SET hash = NEW.password_hash WHERE user_id = NEW.id;"
        "    IF NOT FOUND THEN"
        "     INSERT INTO hromada_private.password_hashes (user_id, hash) VALUES (NEW.id, NEW.password_hash);"
        "    END IF;"
        "   ELSE"
        "    RAISE EXCEPTION 'a password is set only for the person signing in' USING ERRCODE = 'insufficient_privilege';"
        "   END IF;"
        "   NEW.password_hash := '';"
        "  END IF;"
        "  RETURN NEW;"
        " END $$"
    )


# A link is only ever marked used, once; nothing else of it changes.
_GUARD_RESETS = (
    "CREATE FUNCTION public.hromada_guard_password_resets() RETURNS trigger"
    " LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$"
    " BEGIN"
    "  IF NEW.id <> OLD.id OR NEW.token_hash <> OLD.token_hash OR NEW.user_id <> OLD.user_id"
    "     OR NEW.issued_by_id IS DISTINCT FROM OLD.issued_by_id AND NEW.issued_by_id IS NOT NULL"
    "     OR NEW.expires_at <> OLD.expires_at OR NEW.created_at <> OLD.created_at"
    "     OR OLD.used_at IS NOT NULL AND NEW.used_at IS DISTINCT FROM OLD.used_at THEN"
    "   RAISE EXCEPTION 'a reset link is only ever marked used' USING ERRCODE = 'insufficient_privilege';"
    "  END IF;"
    "  RETURN NEW;"
    " END $$"
)


# How many communities a person belongs to, for their operator or coordinator deciding whether a reset link
# may be made (a link to an account in other communities too would open those): the other communities'
# memberships are not readable in the issuer's context, so the owner counts them once it has checked who asks.
_SETTING = "NULLIF(current_setting('app.{name}', true), '')::bigint"
COMMUNITIES_OF = (
    "CREATE FUNCTION public.hromada_communities_of(person integer) RETURNS integer"
    " LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$"
    " BEGIN"
    "  IF NOT coalesce((SELECT valid FROM public.hromada_context) AND ("
    "   current_setting('app.system', true) = 'on'"
    "   OR EXISTS (SELECT 1 FROM public.staff_memberships AS mine"
    "     JOIN public.staff_memberships AS theirs ON theirs.organisation_id = mine.organisation_id"
    f"    WHERE mine.user_id = {_SETTING.format(name='current_user')} AND mine.role = 'operator'"
    f"      AND mine.organisation_id = {_SETTING.format(name='current_organisation')} AND theirs.user_id = person)"
    "   OR EXISTS (SELECT 1 FROM public.community_memberships AS mine"
    "     JOIN public.community_memberships AS theirs ON theirs.tenant_id = mine.tenant_id"
    f"    WHERE mine.user_id = {_SETTING.format(name='current_user')} AND mine.role = 'coordinator'"
    f"      AND mine.tenant_id = {_SETTING.format(name='current_tenant')} AND theirs.user_id = person)"
    "  ), false) THEN"
    "   RAISE EXCEPTION 'only an operator or a coordinator of this person asks' USING ERRCODE = 'insufficient_privilege';"
    "  END IF;"
    "  RETURN (SELECT count(DISTINCT tenant_id) FROM public.community_memberships WHERE user_id = person);"
    " END $$"
)


# Who may append an entry about an organisation (core0009 let anyone append anything).
AUDIT_APPENDERS = (
    f"organisation_id IS NULL OR ({SIGNED} AND ({SYSTEM} OR {PLATFORM_ADMIN}"
    f" OR organisation_id = {CURRENT_ORGANISATION}"
    f" OR EXISTS (SELECT 1 FROM staff_memberships AS staff WHERE staff.user_id = {CURRENT_USER}"
    "   AND staff.organisation_id = audit_events.organisation_id)"
    # A community writes about the organisation whose programme it takes part in, or applied to.
    f" OR EXISTS (SELECT 1 FROM enrolments WHERE enrolments.tenant_id = {CURRENT_TENANT}"
    "   AND enrolments.organisation_id = audit_events.organisation_id)"
    f" OR EXISTS (SELECT 1 FROM applications WHERE applications.tenant_id = {CURRENT_TENANT}"
    "   AND applications.organisation_id = audit_events.organisation_id)))"
)


def upgrade():
    op.create_table(
        "password_resets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_password_resets_user_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["issued_by_id"], ["users.id"], name=op.f("fk_password_resets_issued_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_resets")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_resets_token_hash")),
    )
    with op.batch_alter_table("password_resets") as batch:
        batch.create_index(batch.f("ix_password_resets_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))

    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE password_resets ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE password_resets FORCE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY finders ON password_resets FOR SELECT USING (true)")
    op.execute(f"CREATE POLICY issuers ON password_resets FOR INSERT WITH CHECK ({ISSUER})")
    op.execute("CREATE POLICY users_of_links ON password_resets FOR UPDATE USING (true) WITH CHECK (true)")
    op.execute(f"CREATE POLICY system_deletes ON password_resets FOR DELETE USING ({SIGNED} AND {SYSTEM})")
    op.execute(_GUARD_RESETS)
    op.execute("CREATE TRIGGER guard_password_resets BEFORE UPDATE ON password_resets"
               " FOR EACH ROW EXECUTE FUNCTION public.hromada_guard_password_resets()")

    # For the counting function alone, which runs as the owner (row-level security is forced on the owner
    # too): the app's role is not the owner, so this policy never applies to it.
    op.execute("CREATE POLICY counted_by_definer ON community_memberships FOR SELECT TO CURRENT_USER USING (true)")
    op.execute(COMMUNITIES_OF)
    op.execute(_guard_users(deletion=True))
    op.execute("ALTER TABLE users ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE users FORCE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY readers ON users FOR SELECT USING (true)")
    op.execute("CREATE POLICY newcomers ON users FOR INSERT WITH CHECK (true)")
    op.execute(f"CREATE POLICY own_row ON users FOR UPDATE USING ({OWN_ROW}) WITH CHECK ({OWN_ROW})")
    op.execute(f"CREATE POLICY system_deletes ON users FOR DELETE USING ({SIGNED} AND {SYSTEM})")
    op.execute(f"ALTER POLICY audit_appenders ON audit_events WITH CHECK ({AUDIT_APPENDERS})")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER POLICY audit_appenders ON audit_events WITH CHECK (true)")
        for policy in ("system_deletes", "own_row", "newcomers", "readers"):
            op.execute(f"DROP POLICY {policy} ON users")
        op.execute("ALTER TABLE users NO FORCE ROW LEVEL SECURITY")
        op.execute("ALTER TABLE users DISABLE ROW LEVEL SECURITY")
        op.execute(_guard_users(deletion=False))
        op.execute("DROP FUNCTION public.hromada_communities_of(integer)")
        op.execute("DROP POLICY counted_by_definer ON community_memberships")
        op.execute("DROP TRIGGER guard_password_resets ON password_resets")
        op.execute("DROP FUNCTION public.hromada_guard_password_resets()")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("deleted_at")
    op.drop_table("password_resets")
