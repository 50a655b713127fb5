"""Second factors and recovery codes: a person's own rows, out of everyone else's reach

Both tables belong to one person. On PostgreSQL their rows are read and written only in a
context signed for that person: the signed-in person (`app.current_user`), the person whose
credentials are being checked at sign-in (`app.credential_user`), or system work (a reset
by an operator or a coordinator runs as system work once the app has checked who asks).

Revision ID: fac0001
Revises:
Create Date: 2026-12-06

"""
import sqlalchemy as sa
from alembic import op

from hromada.tenancy.rls import CURRENT_USER, SIGNED, SYSTEM

revision = "fac0001"
down_revision = None
branch_labels = ("factors",)
# After core0009: the signed context names the `credential_user` the policies read.
depends_on = "core0009"

CREDENTIAL_USER = "(SELECT NULLIF(current_setting('app.credential_user', true), '')::bigint)"
OWNER = f"{SIGNED} AND ({SYSTEM} OR user_id = {CURRENT_USER} OR user_id = {CREDENTIAL_USER})"
TABLES = ("second_factors", "recovery_codes")

# An operator resets the factors of their organisation's staff, a coordinator those of their community's
# members: rows that are not theirs. The function checks, in the database, that the signed context is such
# a person acting in that organisation or community (or system work), then deletes as its owner.
_SETTING = "NULLIF(current_setting('app.{name}', true), '')::bigint"
RESET_FUNCTION = (
    "CREATE FUNCTION public.hromada_reset_second_factors(person integer) RETURNS integer"
    " LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$"
    " DECLARE removed integer;"
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
    "   RAISE EXCEPTION 'only an operator or a coordinator of this person resets their factors'"
    "    USING ERRCODE = 'insufficient_privilege';"
    "  END IF;"
    "  DELETE FROM public.recovery_codes WHERE user_id = person;"
    "  DELETE FROM public.second_factors WHERE user_id = person;"
    "  GET DIAGNOSTICS removed = ROW_COUNT;"
    "  RETURN removed;"
    " END $$"
)


def upgrade():
    op.create_table(
        "second_factors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("totp", "passkey", name="factorkind", native_enum=False, create_constraint=True,
                                  length=20), nullable=False),
        sa.Column("label", sa.String(length=60), nullable=False),
        sa.Column("secret_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("master_key_id", sa.String(length=16), nullable=True),
        sa.Column("last_step", sa.BigInteger(), nullable=True),
        sa.Column("credential_id", sa.LargeBinary(length=1024), nullable=True),
        sa.Column("public_key", sa.LargeBinary(), nullable=True),
        sa.Column("sign_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_second_factors_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_second_factors")),
        sa.UniqueConstraint("credential_id", name=op.f("uq_second_factors_credential_id")),
    )
    with op.batch_alter_table("second_factors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_second_factors_user_id"), ["user_id"], unique=False)

    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.String(length=8), nullable=False),
        sa.Column("code_hash", sa.String(length=255), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_recovery_codes_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_codes")),
    )
    with op.batch_alter_table("recovery_codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recovery_codes_user_id"), ["user_id"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
            op.execute(f"CREATE POLICY owner ON {table} USING ({OWNER}) WITH CHECK ({OWNER})")
            # Only for the reset function, which runs as the tables' owner (row-level security is forced on
            # the owner too): the app's role is not the owner, so this policy never applies to it.
            op.execute(f"CREATE POLICY reset_by_definer ON {table} FOR DELETE TO CURRENT_USER USING (true)")
        op.execute(RESET_FUNCTION)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION public.hromada_reset_second_factors(integer)")
        for table in TABLES:
            op.execute(f"DROP POLICY reset_by_definer ON {table}")
            op.execute(f"DROP POLICY owner ON {table}")
    with op.batch_alter_table("recovery_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recovery_codes_user_id"))
    op.drop_table("recovery_codes")
    with op.batch_alter_table("second_factors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_second_factors_user_id"))
    op.drop_table("second_factors")
