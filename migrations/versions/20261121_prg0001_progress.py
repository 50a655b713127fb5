"""Progress of communities through stages: stage progress and enrolment transitions

Revision ID: prg0001
Revises:
Create Date: 2026-11-21

"""
from alembic import op
import sqlalchemy as sa

from hromada.tenancy.rls import disable_row_level_security, enable_row_level_security

revision = "prg0001"
down_revision = None
branch_labels = ("progress",)
depends_on = "core0003"

STATUSES = ("admitted", "active", "completed", "withdrawn")
KINDS = ("admitted", "advanced", "completed", "withdrawn", "override")


def upgrade():
    op.create_table(
        "stage_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.Enum(*STATUSES, name="progressstatus", native_enum=False, create_constraint=True,
                                    length=20), nullable=False),
        sa.Column("admitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["enrolment_id"], ["enrolments.id"],
                                name=op.f("fk_stage_progress_enrolment_id_enrolments"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["stage_id"], ["programme_stages.id"],
                                name=op.f("fk_stage_progress_stage_id_programme_stages")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_stage_progress_organisation_id_organisations")),
        sa.ForeignKeyConstraint(["tenant_id"], ["communities.id"],
                                name=op.f("fk_stage_progress_tenant_id_communities"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stage_progress")),
        sa.UniqueConstraint("tenant_id", "enrolment_id", "stage_id",
                            name=op.f("uq_stage_progress_tenant_id_enrolment_id_stage_id")),
    )
    with op.batch_alter_table("stage_progress", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stage_progress_enrolment_id"), ["enrolment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stage_progress_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stage_progress_stage_id"), ["stage_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stage_progress_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "enrolment_transitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("from_stage_id", sa.Integer(), nullable=True),
        sa.Column("to_stage_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.Enum(*KINDS, name="transitionkind", native_enum=False, create_constraint=True,
                                  length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["enrolment_id"], ["enrolments.id"],
                                name=op.f("fk_enrolment_transitions_enrolment_id_enrolments"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["from_stage_id"], ["programme_stages.id"],
                                name=op.f("fk_enrolment_transitions_from_stage_id_programme_stages")),
        sa.ForeignKeyConstraint(["to_stage_id"], ["programme_stages.id"],
                                name=op.f("fk_enrolment_transitions_to_stage_id_programme_stages")),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_enrolment_transitions_actor_id_users")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_enrolment_transitions_organisation_id_organisations")),
        sa.ForeignKeyConstraint(["tenant_id"], ["communities.id"],
                                name=op.f("fk_enrolment_transitions_tenant_id_communities"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolment_transitions")),
    )
    with op.batch_alter_table("enrolment_transitions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enrolment_transitions_enrolment_id"), ["enrolment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_enrolment_transitions_organisation_id"), ["organisation_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_enrolment_transitions_tenant_id"), ["tenant_id"], unique=False)

    enable_row_level_security(op, "stage_progress", kind="shared")
    enable_row_level_security(op, "enrolment_transitions", kind="shared")


def downgrade():
    for table in ("enrolment_transitions", "stage_progress"):
        disable_row_level_security(op, table)
    with op.batch_alter_table("enrolment_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enrolment_transitions_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_enrolment_transitions_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_enrolment_transitions_enrolment_id"))
    op.drop_table("enrolment_transitions")
    with op.batch_alter_table("stage_progress", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stage_progress_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_stage_progress_stage_id"))
        batch_op.drop_index(batch_op.f("ix_stage_progress_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_stage_progress_enrolment_id"))
    op.drop_table("stage_progress")
