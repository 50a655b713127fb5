"""Consultations: programme topics, consultations, follow-ups and shares of private notes

Written by hand to match hromada.modules.consultations.models, with the naming
convention's constraint names. Consultations, follow-ups and note shares are a
community's rows that the organisation running its programme also writes:
row-level security of kind "shared" on each.

Revision ID: cns0001
Revises:
Create Date: 2026-11-21

"""

import sqlalchemy as sa
from alembic import op

from hromada.tenancy.rls import disable_row_level_security, enable_row_level_security

revision = "cns0001"
down_revision = None
branch_labels = ("consultations",)
depends_on = "core0003"

SHARED_TABLES = ("consultations", "consultation_follow_ups", "consultation_note_shares")


def _created_at():
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
    )


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
        "consultation_topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programmes.id"], name=op.f("fk_consultation_topics_programme_id_programmes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_topics")),
        sa.UniqueConstraint("programme_id", "title", name=op.f("uq_consultation_topics_programme_id_title")),
    )
    with op.batch_alter_table("consultation_topics", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultation_topics_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "consultations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=True),
        sa.Column("stage_type", sa.String(length=50), nullable=False),
        sa.Column("topic_key", sa.String(length=100), nullable=True),
        sa.Column("programme_topic_id", sa.Integer(), nullable=True),
        sa.Column("notes_author_only", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("requested", "scheduled", "logged", "rated", "cancelled", name="consultationstatus",
                    native_enum=False, create_constraint=True, length=20),
            nullable=False,
        ),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=36), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("needs", sa.Text(), nullable=False),
        sa.Column("preferred_times", sa.String(length=500), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("scheduled_by_id", sa.Integer(), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("online_link", sa.String(length=500), nullable=True),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("logged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("private_notes", sa.LargeBinary(), nullable=True),
        sa.Column("notes_author_id", sa.Integer(), nullable=True),
        sa.Column("rating", sa.SmallInteger(), nullable=True),
        sa.Column("rating_comment", sa.Text(), nullable=False),
        sa.Column("rated_by_id", sa.Integer(), nullable=True),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by_id", sa.Integer(), nullable=True),
        _created_at(),
        *_shared_columns("consultations"),
        sa.CheckConstraint("duration_minutes BETWEEN 1 AND 600", name=op.f("ck_consultations_duration_range")),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name=op.f("ck_consultations_rating_range")),
        sa.ForeignKeyConstraint(
            ["enrolment_id"], ["enrolments.id"], name=op.f("fk_consultations_enrolment_id_enrolments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stage_id"], ["programme_stages.id"], name=op.f("fk_consultations_stage_id_programme_stages")
        ),
        sa.ForeignKeyConstraint(
            ["programme_topic_id"], ["consultation_topics.id"],
            name=op.f("fk_consultations_programme_topic_id_consultation_topics"),
        ),
        *(
            sa.ForeignKeyConstraint([column], ["users.id"], name=op.f(f"fk_consultations_{column}_users"))
            for column in ("requested_by_id", "scheduled_by_id", "staff_id", "notes_author_id", "rated_by_id",
                           "cancelled_by_id")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultations")),
        sa.UniqueConstraint("tenant_id", "idempotency_key", name=op.f("uq_consultations_tenant_id_idempotency_key")),
    )
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        for column in ("enrolment_id", "organisation_id", "programme_topic_id", "staff_id", "stage_id", "status",
                       "tenant_id"):
            batch_op.create_index(batch_op.f(f"ix_consultations_{column}"), [column], unique=False)

    op.create_table(
        "consultation_follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("task", sa.String(length=500), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        _created_at(),
        *_shared_columns("consultation_follow_ups"),
        sa.ForeignKeyConstraint(
            ["consultation_id"], ["consultations.id"],
            name=op.f("fk_consultation_follow_ups_consultation_id_consultations"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_consultation_follow_ups_owner_id_users")),
        sa.ForeignKeyConstraint(
            ["done_by_id"], ["users.id"], name=op.f("fk_consultation_follow_ups_done_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_follow_ups")),
    )
    with op.batch_alter_table("consultation_follow_ups", schema=None) as batch_op:
        for column in ("consultation_id", "due_on", "organisation_id", "owner_id", "tenant_id"):
            batch_op.create_index(batch_op.f(f"ix_consultation_follow_ups_{column}"), [column], unique=False)

    op.create_table(
        "consultation_note_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("shared_by_id", sa.Integer(), nullable=False),
        _created_at(),
        *_shared_columns("consultation_note_shares"),
        sa.ForeignKeyConstraint(
            ["consultation_id"], ["consultations.id"],
            name=op.f("fk_consultation_note_shares_consultation_id_consultations"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_consultation_note_shares_user_id_users")),
        sa.ForeignKeyConstraint(
            ["shared_by_id"], ["users.id"], name=op.f("fk_consultation_note_shares_shared_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_note_shares")),
        sa.UniqueConstraint(
            "tenant_id", "consultation_id", "user_id",
            name=op.f("uq_consultation_note_shares_tenant_id_consultation_id_user_id"),
        ),
    )
    with op.batch_alter_table("consultation_note_shares", schema=None) as batch_op:
        for column in ("consultation_id", "organisation_id", "tenant_id", "user_id"):
            batch_op.create_index(batch_op.f(f"ix_consultation_note_shares_{column}"), [column], unique=False)

    for table in SHARED_TABLES:
        enable_row_level_security(op, table, kind="shared")


def downgrade():
    for table in reversed(SHARED_TABLES):
        disable_row_level_security(op, table)
    with op.batch_alter_table("consultation_note_shares", schema=None) as batch_op:
        for column in ("user_id", "tenant_id", "organisation_id", "consultation_id"):
            batch_op.drop_index(batch_op.f(f"ix_consultation_note_shares_{column}"))
    op.drop_table("consultation_note_shares")
    with op.batch_alter_table("consultation_follow_ups", schema=None) as batch_op:
        for column in ("tenant_id", "owner_id", "organisation_id", "due_on", "consultation_id"):
            batch_op.drop_index(batch_op.f(f"ix_consultation_follow_ups_{column}"))
    op.drop_table("consultation_follow_ups")
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        for column in ("tenant_id", "status", "stage_id", "staff_id", "programme_topic_id", "organisation_id",
                       "enrolment_id"):
            batch_op.drop_index(batch_op.f(f"ix_consultations_{column}"))
    op.drop_table("consultations")
    with op.batch_alter_table("consultation_topics", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_topics_programme_id"))
    op.drop_table("consultation_topics")
