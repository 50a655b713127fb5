"""The incubator's security audit: audits and their findings

Written by hand to match hromada_incubator.audit.models, with the naming
convention's constraint names. Both tables are a community's rows that the
organisation running its programme also writes: row-level security of kind
"shared". An audit follows a consultation, so this revision depends on the
consultations branch's cns0001 (which the core always ships, and which itself
depends on core0003). Naming core0003 here as well makes Alembic fail to
upgrade to heads once core0004 exists (KeyError 'core0003'): the dependency
on it is carried by cns0001.

Revision ID: inc0002
Revises: inc0001
Create Date: 2026-11-21

"""

import sqlalchemy as sa
from alembic import op

from hromada.plugin_api import disable_row_level_security, enable_row_level_security

revision = "inc0002"
down_revision = "inc0001"
branch_labels = None
depends_on = "cns0001"  # and, through it, core0003

RISK_LEVELS = ("low", "medium", "high", "critical")


def _shared_columns(table: str):
    return [
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["communities.id"], name=op.f(f"fk_{table}_tenant_id_communities"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f(f"fk_{table}_organisation_id_organisations")
        ),
    ]


def upgrade():
    op.create_table(
        "incubator_security_audits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        *_shared_columns("incubator_security_audits"),
        sa.ForeignKeyConstraint(
            ["enrolment_id"], ["enrolments.id"], name=op.f("fk_incubator_security_audits_enrolment_id_enrolments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"], ["consultations.id"],
            name=op.f("fk_incubator_security_audits_consultation_id_consultations"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["users.id"], name=op.f("fk_incubator_security_audits_expert_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incubator_security_audits")),
        sa.UniqueConstraint(
            "tenant_id", "consultation_id", name=op.f("uq_incubator_security_audits_tenant_id_consultation_id")
        ),
    )
    with op.batch_alter_table("incubator_security_audits", schema=None) as batch_op:
        for column in ("completed_at", "consultation_id", "enrolment_id", "organisation_id", "tenant_id"):
            batch_op.create_index(batch_op.f(f"ix_incubator_security_audits_{column}"), [column], unique=False)

    op.create_table(
        "incubator_audit_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=50), nullable=False),
        sa.Column("risk_level", sa.String(length=20), nullable=False),
        sa.Column("finding", sa.LargeBinary(), nullable=False),
        sa.Column("recommendation", sa.LargeBinary(), nullable=False),
        sa.Column("assessed_by_id", sa.Integer(), nullable=False),
        sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        *_shared_columns("incubator_audit_findings"),
        sa.CheckConstraint(
            "risk_level IN (" + ", ".join(f"'{level}'" for level in RISK_LEVELS) + ")",
            name=op.f("ck_incubator_audit_findings_risk_level"),
        ),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["incubator_security_audits.id"],
            name=op.f("fk_incubator_audit_findings_audit_id_incubator_security_audits"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["assessed_by_id"], ["users.id"], name=op.f("fk_incubator_audit_findings_assessed_by_id_users")
        ),
        sa.ForeignKeyConstraint(["done_by_id"], ["users.id"], name=op.f("fk_incubator_audit_findings_done_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incubator_audit_findings")),
        sa.UniqueConstraint(
            "tenant_id", "audit_id", "item_key", name=op.f("uq_incubator_audit_findings_tenant_id_audit_id_item_key")
        ),
    )
    with op.batch_alter_table("incubator_audit_findings", schema=None) as batch_op:
        for column in ("audit_id", "organisation_id", "tenant_id"):
            batch_op.create_index(batch_op.f(f"ix_incubator_audit_findings_{column}"), [column], unique=False)

    for table in ("incubator_security_audits", "incubator_audit_findings"):
        enable_row_level_security(op, table, kind="shared")


def downgrade():
    for table in ("incubator_audit_findings", "incubator_security_audits"):
        disable_row_level_security(op, table)
    with op.batch_alter_table("incubator_audit_findings", schema=None) as batch_op:
        for column in ("tenant_id", "organisation_id", "audit_id"):
            batch_op.drop_index(batch_op.f(f"ix_incubator_audit_findings_{column}"))
    op.drop_table("incubator_audit_findings")
    with op.batch_alter_table("incubator_security_audits", schema=None) as batch_op:
        for column in ("tenant_id", "organisation_id", "enrolment_id", "consultation_id", "completed_at"):
            batch_op.drop_index(batch_op.f(f"ix_incubator_security_audits_{column}"))
    op.drop_table("incubator_security_audits")
