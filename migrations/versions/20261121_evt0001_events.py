"""Networking events, registrations (shared by a community and the organisation) and the follow-up checklist

Revision ID: evt0001
Revises:
Create Date: 2026-11-21

"""
from alembic import op
import sqlalchemy as sa

from hromada.tenancy.rls import disable_row_level_security, enable_row_level_security

revision = "evt0001"
down_revision = None
branch_labels = ("events",)
depends_on = "core0003"


def upgrade():
    op.create_table(
        "networking_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "mode",
            sa.Enum("online", "offline", name="eventmode", native_enum=False, create_constraint=True, length=20),
            nullable=False,
        ),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=True),
        sa.Column("timezone", sa.String(length=50), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("registered_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_networking_events_ends_after_start")),
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name=op.f("ck_networking_events_capacity_positive")),
        sa.CheckConstraint(
            "registered_count >= 0 AND (capacity IS NULL OR registered_count <= capacity)",
            name=op.f("ck_networking_events_within_capacity"),
        ),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_networking_events_created_by_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_networking_events_organisation_id_organisations")),
        sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"],
                                name=op.f("fk_networking_events_programme_id_programmes")),
        sa.ForeignKeyConstraint(["stage_id"], ["programme_stages.id"],
                                name=op.f("fk_networking_events_stage_id_programme_stages"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_networking_events")),
        sa.UniqueConstraint("programme_id", "starts_at", "title",
                            name=op.f("uq_networking_events_programme_id_starts_at_title")),
    )
    with op.batch_alter_table("networking_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_networking_events_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_networking_events_programme_id"), ["programme_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_networking_events_stage_id"), ["stage_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_networking_events_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "event_registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.Column("attended_marked_by_id", sa.Integer(), nullable=True),
        sa.Column("attended_marked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["attended_marked_by_id"], ["users.id"],
                                name=op.f("fk_event_registrations_attended_marked_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["event_id"], ["networking_events.id"],
                                name=op.f("fk_event_registrations_event_id_networking_events"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_event_registrations_organisation_id_organisations")),
        sa.ForeignKeyConstraint(["tenant_id"], ["communities.id"],
                                name=op.f("fk_event_registrations_tenant_id_communities"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_event_registrations_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_registrations")),
        sa.UniqueConstraint("tenant_id", "event_id", "user_id",
                            name=op.f("uq_event_registrations_tenant_id_event_id_user_id")),
    )
    with op.batch_alter_table("event_registrations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_registrations_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_registrations_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_registrations_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_registrations_user_id"), ["user_id"], unique=False)

    op.create_table(
        "event_follow_up_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("owner_note", sa.String(length=200), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["done_by_id"], ["users.id"], name=op.f("fk_event_follow_up_items_done_by_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["event_id"], ["networking_events.id"],
                                name=op.f("fk_event_follow_up_items_event_id_networking_events"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_event_follow_up_items_owner_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_follow_up_items")),
        sa.UniqueConstraint("event_id", "kind", name=op.f("uq_event_follow_up_items_event_id_kind")),
    )
    with op.batch_alter_table("event_follow_up_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_follow_up_items_event_id"), ["event_id"], unique=False)

    # Registrations are a community's rows that the organisation running the event also writes.
    enable_row_level_security(op, "event_registrations", kind="shared")


def downgrade():
    disable_row_level_security(op, "event_registrations")
    with op.batch_alter_table("event_follow_up_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_follow_up_items_event_id"))
    op.drop_table("event_follow_up_items")
    with op.batch_alter_table("event_registrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_registrations_user_id"))
        batch_op.drop_index(batch_op.f("ix_event_registrations_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_event_registrations_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_event_registrations_event_id"))
    op.drop_table("event_registrations")
    with op.batch_alter_table("networking_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_networking_events_starts_at"))
        batch_op.drop_index(batch_op.f("ix_networking_events_stage_id"))
        batch_op.drop_index(batch_op.f("ix_networking_events_programme_id"))
        batch_op.drop_index(batch_op.f("ix_networking_events_organisation_id"))
    op.drop_table("networking_events")
