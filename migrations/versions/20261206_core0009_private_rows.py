"""Password hashes, the audit log and notifications out of reach of SQL the app did not mean to run

- The signed context gains two fields (hromada.tenancy.signing): `app.platform_admin` and
  `app.credential_user`; the view `hromada_context` checks the longer message.
- Password hashes move to `hromada_private.password_hashes`, which the app's role can neither
  read nor see. `users.password_hash` stays (SQLite keeps hashes there) but on PostgreSQL it is
  always '': a trigger takes a hash written into it and stores it privately. The trigger also
  refuses to replace a person's hash unless the signed context names that person as the
  `credential_user` (or is system work), and refuses to make a platform admin outside system work.
  `hromada_password_hash(person)` hands a hash out only to a signed context naming that person.
- `audit_events`: read only by system work, the platform admin's signed flag, or the
  organisation the entry concerns in its signed context; anyone may append.
- `notifications`: read, marked and deleted only by their signed recipient (or system work);
  anyone may send one.

Revision ID: core0009
Revises: core0008
"""

from alembic import op

from hromada.tenancy.rls import CURRENT_ORGANISATION, CURRENT_USER, SIGNED, SYSTEM

revision = "core0009"
down_revision = "core0008"
branch_labels = None
depends_on = None

_FIELDS = ("current_tenant", "reader_tenants", "current_organisation", "current_user", "system")
_NEW_FIELDS = ("platform_admin", "credential_user")


def _context_view(fields) -> str:
    """The view of core0008, over the message hromada.tenancy.signing.sign joins from `fields`."""
    message = "pg_backend_pid()::text" + "".join(
        f" || '|' || coalesce(current_setting('app.{name}', true), '')" for name in fields
    )
    return (
        "CREATE OR REPLACE VIEW public.hromada_context AS SELECT EXISTS ("
        " SELECT 1 FROM hromada_private.context_keys AS k"
        f" WHERE encode(public.hmac(convert_to({message}, 'UTF8'), k.key, 'sha256'), 'hex')"
        "   = coalesce(current_setting('app.context_signature', true), '')"
        ") AS valid"
    )


PLATFORM_ADMIN = "(SELECT current_setting('app.platform_admin', true) = 'on')"

# Signed and naming exactly this person: the only context in which their hash is read or replaced.
_CREDENTIAL_OF = (
    "(SELECT valid FROM public.hromada_context)"
    " AND coalesce(current_setting('app.credential_user', true), '') = {person}::text"
)
_SIGNED_SYSTEM = "(SELECT valid FROM public.hromada_context) AND current_setting('app.system', true) = 'on'"


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_context_view(_FIELDS + _NEW_FIELDS))

    # --- Password hashes -------------------------------------------------------------------------
    # Deferred: the trigger stores the hash before the new person's row exists.
    op.execute(
        "CREATE TABLE hromada_private.password_hashes ("
        " user_id integer PRIMARY KEY REFERENCES public.users (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,"
        " hash varchar(255) NOT NULL)"
    )
    op.execute("INSERT INTO hromada_private.password_hashes (user_id, hash)"
               " SELECT id, password_hash FROM public.users WHERE password_hash <> ''")
    op.execute("UPDATE public.users SET password_hash = '' WHERE password_hash <> ''")
    op.execute(
        "CREATE FUNCTION hromada_private.guard_users() RETURNS trigger"
        " LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$"
        " DECLARE"
        f"  is_system boolean := coalesce({_SIGNED_SYSTEM}, false);"
        " BEGIN"
        "  IF NEW.is_platform_admin AND (TG_OP = 'INSERT' OR NOT OLD.is_platform_admin) AND NOT is_system THEN"
        "   RAISE EXCEPTION 'only system work makes a platform admin' USING ERRCODE = 'insufficient_privilege';"
        "  END IF;"
        "  IF NEW.password_hash <> '' THEN"
        "   IF TG_OP = 'INSERT' THEN"
        # An INSERT with another person's id (ON CONFLICT DO NOTHING would keep it quiet) sets no hash.
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
    op.execute("CREATE TRIGGER guard_users BEFORE INSERT OR UPDATE ON public.users"
               " FOR EACH ROW EXECUTE FUNCTION hromada_private.guard_users()")
    op.execute(
        "CREATE FUNCTION public.hromada_password_hash(person integer) RETURNS text"
        " LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$"
        " SELECT hash FROM hromada_private.password_hashes"
        f" WHERE user_id = person AND {_CREDENTIAL_OF.format(person='person')}"
        " $$"
    )

    # --- The audit log ---------------------------------------------------------------------------
    op.execute("ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE audit_events FORCE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY audit_readers ON audit_events FOR SELECT"
        f" USING ({SIGNED} AND ({SYSTEM} OR {PLATFORM_ADMIN} OR organisation_id = {CURRENT_ORGANISATION}))"
    )
    # Every context appends, the empty one too (a failed sign-in); the trigger of core0001 refuses the rest.
    op.execute("CREATE POLICY audit_appenders ON audit_events FOR INSERT WITH CHECK (true)")

    # --- Notifications ---------------------------------------------------------------------------
    op.execute("ALTER TABLE notifications ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE notifications FORCE ROW LEVEL SECURITY")
    recipient = f"{SIGNED} AND ({SYSTEM} OR user_id = {CURRENT_USER})"
    op.execute(f"CREATE POLICY recipient ON notifications USING ({recipient}) WITH CHECK ({recipient})")
    # A person's action tells others (a coordinator of an admission): anyone may send.
    op.execute("CREATE POLICY senders ON notifications FOR INSERT WITH CHECK (true)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP POLICY senders ON notifications")
    op.execute("DROP POLICY recipient ON notifications")
    op.execute("ALTER TABLE notifications NO FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE notifications DISABLE ROW LEVEL SECURITY")
    op.execute("DROP POLICY audit_appenders ON audit_events")
    op.execute("DROP POLICY audit_readers ON audit_events")
    op.execute("ALTER TABLE audit_events NO FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE audit_events DISABLE ROW LEVEL SECURITY")
    op.execute("DROP FUNCTION public.hromada_password_hash(integer)")
    op.execute("DROP TRIGGER guard_users ON public.users")
    op.execute("DROP FUNCTION hromada_private.guard_users()")
    op.execute("UPDATE public.users AS u SET password_hash = h.hash"
               " FROM hromada_private.password_hashes AS h WHERE h.user_id = u.id")
    op.execute("DROP TABLE hromada_private.password_hashes")
    # A view's columns cannot change with CREATE OR REPLACE, but its query can: back to core0008's message.
    op.execute(_context_view(_FIELDS))
