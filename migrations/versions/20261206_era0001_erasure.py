"""A community's erase: its request (the community's row) and the certificate that outlives it; the audit log's pseudonymiser

- `erase_requests`: tenant-owned, under the usual tenant policy; erased with the community.
- `erase_certificates`: no tenant column (the community is gone when it is complete). Read by
  system work, by the community's own context while it exists, or by a request that presents
  the certificate's token (`app.certificate_token` holds its SHA-256, which is the secret);
  written by the community's context or system work.
- The audit log stays append-only for everyone, except through
  `public.hromada_pseudonymise_audit(community, people)`: a SECURITY DEFINER function that only
  signed system work may call, which strips the person and the details from the entries about an
  erased community and the person from the entries of its removed accounts.

Revision ID: era0001
Revises:
Create Date: 2026-12-06

"""
import sqlalchemy as sa
from alembic import op

from hromada.tenancy.rls import (
    CURRENT_TENANT,
    READER_TENANTS,
    SIGNED,
    SYSTEM,
    disable_row_level_security,
    enable_row_level_security,
)

revision = "era0001"
down_revision = None
branch_labels = ("erasure",)
# The signed context and the audit log's policies (core0009).
depends_on = "core0009"

_SIGNED_SYSTEM = "(SELECT valid FROM public.hromada_context) AND current_setting('app.system', true) = 'on'"
_AUDIT_OWNER = "(SELECT tableowner FROM pg_catalog.pg_tables WHERE schemaname = 'public' AND tablename = 'audit_events')"
_PSEUDONYMISING = f"current_setting('hromada.pseudonymising', true) = 'on' AND current_user = {_AUDIT_OWNER}"


def upgrade():
    op.create_table(
        "erase_certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_rows", sa.JSON(), nullable=False),
        sa.Column("accounts_removed", sa.Integer(), nullable=False),
        sa.Column("key_destroyed", sa.Boolean(), nullable=False),
        sa.Column("backups_expire_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erase_certificates")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_erase_certificates_token_hash")),
    )
    with op.batch_alter_table("erase_certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_erase_certificates_community_id"), ["community_id"], unique=False)

    op.create_table(
        "erase_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("erase_after", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by_id", sa.Integer(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["certificate_id"], ["erase_certificates.id"],
                                name=op.f("fk_erase_requests_certificate_id_erase_certificates")),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"], name=op.f("fk_erase_requests_requested_by_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["confirmed_by_id"], ["users.id"], name=op.f("fk_erase_requests_confirmed_by_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["cancelled_by_id"], ["users.id"], name=op.f("fk_erase_requests_cancelled_by_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["tenant_id"], ["communities.id"], name=op.f("fk_erase_requests_tenant_id_communities"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erase_requests")),
        sa.UniqueConstraint("tenant_id", "certificate_id", name=op.f("uq_erase_requests_tenant_id_certificate_id")),
    )
    with op.batch_alter_table("erase_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_erase_requests_certificate_id"), ["certificate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_erase_requests_erase_after"), ["erase_after"], unique=False)
        batch_op.create_index(batch_op.f("ix_erase_requests_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index("uq_erase_requests_open", ["tenant_id"], unique=True,
                              sqlite_where=sa.text("cancelled_at IS NULL"),
                              postgresql_where=sa.text("cancelled_at IS NULL"))
    enable_row_level_security(op, "erase_requests")

    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE erase_certificates ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE erase_certificates FORCE ROW LEVEL SECURITY")
    by_token = "token_hash = (SELECT NULLIF(current_setting('app.certificate_token', true), ''))"
    readers = f"community_id = {CURRENT_TENANT} OR {SYSTEM} OR community_id IN {READER_TENANTS}"
    writers = f"community_id = {CURRENT_TENANT} OR {SYSTEM}"
    op.execute(f"CREATE POLICY certificate_readers ON erase_certificates FOR SELECT"
               f" USING (({SIGNED} AND ({readers})) OR {by_token})")
    op.execute(f"CREATE POLICY certificate_writers ON erase_certificates FOR INSERT WITH CHECK ({SIGNED} AND ({writers}))")
    op.execute(f"CREATE POLICY certificate_updaters ON erase_certificates FOR UPDATE"
               f" USING ({SIGNED} AND ({writers})) WITH CHECK ({SIGNED} AND ({writers}))")
    op.execute(f"CREATE POLICY certificate_deleters ON erase_certificates FOR DELETE USING ({SIGNED} AND ({writers}))")

    # The audit log: append-only, except for the pseudonymiser below (as the owner, with its flag set).
    op.execute(
        "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN IF TG_OP = 'UPDATE' AND {_PSEUDONYMISING} THEN RETURN NULL; END IF; "
        "RAISE EXCEPTION 'the audit log is append-only'; END $$"
    )
    op.execute(f"CREATE POLICY audit_pseudonymiser ON audit_events FOR UPDATE USING ({_PSEUDONYMISING})"
               f" WITH CHECK ({_PSEUDONYMISING})")
    op.execute(
        "CREATE FUNCTION public.hromada_pseudonymise_audit(community integer, people integer[]) RETURNS integer"
        " LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$"
        " DECLARE about_community integer; by_people integer;"
        " BEGIN"
        f"  IF NOT coalesce({_SIGNED_SYSTEM}, false) THEN"
        "   RAISE EXCEPTION 'only system work pseudonymises the audit log' USING ERRCODE = 'insufficient_privilege';"
        "  END IF;"
        "  PERFORM set_config('hromada.pseudonymising', 'on', true);"
        "  UPDATE public.audit_events SET actor_id = NULL, details = '{}'::json"
        "   WHERE community_id = community AND (actor_id IS NOT NULL OR details::text <> '{}');"
        "  GET DIAGNOSTICS about_community = ROW_COUNT;"
        "  UPDATE public.audit_events SET actor_id = NULL WHERE actor_id = ANY(people);"
        "  GET DIAGNOSTICS by_people = ROW_COUNT;"
        "  PERFORM set_config('hromada.pseudonymising', 'off', true);"
        "  RETURN about_community + by_people;"
        " END $$"
    )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION public.hromada_pseudonymise_audit(integer, integer[])")
        op.execute("DROP POLICY audit_pseudonymiser ON audit_events")
        op.execute(
            "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$"
        )
        for policy in ("certificate_readers", "certificate_writers", "certificate_updaters", "certificate_deleters"):
            op.execute(f"DROP POLICY {policy} ON erase_certificates")
    disable_row_level_security(op, "erase_requests")
    with op.batch_alter_table("erase_requests", schema=None) as batch_op:
        batch_op.drop_index("uq_erase_requests_open")
        batch_op.drop_index(batch_op.f("ix_erase_requests_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_erase_requests_erase_after"))
        batch_op.drop_index(batch_op.f("ix_erase_requests_certificate_id"))
    op.drop_table("erase_requests")
    with op.batch_alter_table("erase_certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_erase_certificates_community_id"))
    op.drop_table("erase_certificates")
