"""Programme languages and calls, application questions and applications; stage positions unique per programme

Revision ID: core0004
Revises: core0003
Create Date: 2026-11-21

"""
from alembic import op
import sqlalchemy as sa

from hromada.tenancy.rls import disable_row_level_security, enable_row_level_security

revision = "core0004"
down_revision = "core0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("languages", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("call_open", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("call_text", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("call_closes_on", sa.Date(), nullable=True))
    with op.batch_alter_table("programme_stages", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_programme_stages_programme_id_position"), ["programme_id", "position"]
        )

    op.create_table(
        "application_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("help_text", sa.String(length=1000), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("text", "long_text", "choice", "yes_no", name="questionkind", native_enum=False,
                    create_constraint=True, length=20),
            nullable=False,
        ),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"],
                                name=op.f("fk_application_questions_programme_id_programmes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_questions")),
        sa.UniqueConstraint("programme_id", "position", name=op.f("uq_application_questions_programme_id_position")),
    )
    with op.batch_alter_table("application_questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_application_questions_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("submitted", "admitted", "declined", name="applicationstatus", native_enum=False,
                    create_constraint=True, length=20),
            nullable=False,
        ),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decision_message", sa.Text(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"], name=op.f("fk_applications_decided_by_id_users")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_applications_organisation_id_organisations")),
        sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"], name=op.f("fk_applications_programme_id_programmes")),
        sa.ForeignKeyConstraint(["tenant_id"], ["communities.id"], name=op.f("fk_applications_tenant_id_communities"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
        sa.UniqueConstraint("tenant_id", "programme_id", name=op.f("uq_applications_tenant_id_programme_id")),
    )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_applications_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_applications_programme_id"), ["programme_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_applications_tenant_id"), ["tenant_id"], unique=False)

    # The community writes its application, the organisation running the programme decides on it.
    enable_row_level_security(op, "applications", kind="shared")


def downgrade():
    disable_row_level_security(op, "applications")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applications_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_applications_programme_id"))
        batch_op.drop_index(batch_op.f("ix_applications_organisation_id"))
    op.drop_table("applications")
    with op.batch_alter_table("application_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_questions_programme_id"))
    op.drop_table("application_questions")
    with op.batch_alter_table("programme_stages", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_programme_stages_programme_id_position"), type_="unique")
    with op.batch_alter_table("programmes", schema=None) as batch_op:
        for column in ("call_closes_on", "call_text", "call_open", "languages"):
            batch_op.drop_column(column)
