"""Community decisions: proposals (the community's, read by its staff) and positions (its members' only)

Revision ID: dec0001
Revises:
Create Date: 2026-12-06

"""
import sqlalchemy as sa
from alembic import op
from hromada.tenancy.rls import disable_row_level_security, enable_row_level_security

revision = "dec0001"
down_revision = None
branch_labels = ("decisions",)
# After the signed context (core0008): the "members" policy of positions is created signed, and no
# later rewrite of the policies mistakes it for an ordinary tenant policy that staff readers pass.
depends_on = "core0008"


def upgrade():
    op.create_table(
        "decision_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("subject_type", sa.String(length=80), nullable=True),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("subject_version", sa.String(length=80), nullable=True),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column(
            "method",
            sa.Enum("consent", "consensus", "vote", name="decisionmethod", native_enum=False, create_constraint=True,
                    length=20),
            nullable=False,
        ),
        sa.Column("quorum_percent", sa.Integer(), nullable=False),
        sa.Column("threshold_percent", sa.Integer(), nullable=False),
        sa.Column("electorate", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("tally", sa.JSON(), nullable=True),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("closes_at > opened_at", name=op.f("ck_decision_proposals_closes_after_opening")),
        sa.CheckConstraint("quorum_percent BETWEEN 0 AND 100", name=op.f("ck_decision_proposals_quorum_is_a_share")),
        sa.CheckConstraint("threshold_percent BETWEEN 50 AND 100",
                           name=op.f("ck_decision_proposals_threshold_at_least_half")),
        sa.CheckConstraint("electorate >= 0", name=op.f("ck_decision_proposals_electorate_not_negative")),
        sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"],
                                name=op.f("fk_decision_proposals_programme_id_programmes")),
        sa.ForeignKeyConstraint(["proposed_by_id"], ["users.id"],
                                name=op.f("fk_decision_proposals_proposed_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["tenant_id"], ["communities.id"],
                                name=op.f("fk_decision_proposals_tenant_id_communities"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_proposals")),
        sa.UniqueConstraint("tenant_id", "title", "closes_at",
                            name=op.f("uq_decision_proposals_tenant_id_title_closes_at")),
    )
    with op.batch_alter_table("decision_proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decision_proposals_closed_at"), ["closed_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_decision_proposals_closes_at"), ["closes_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_decision_proposals_programme_id"), ["programme_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_decision_proposals_subject_type"), ["subject_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_decision_proposals_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "decision_positions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "stance",
            sa.Enum("consent", "object", "agree", "stand_aside", "block", "yes", "no", "abstain", name="stance",
                    native_enum=False, create_constraint=True, length=20),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["proposal_id"], ["decision_proposals.id"],
                                name=op.f("fk_decision_positions_proposal_id_decision_proposals"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id"], ["communities.id"],
                                name=op.f("fk_decision_positions_tenant_id_communities"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_decision_positions_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_positions")),
        sa.UniqueConstraint("tenant_id", "proposal_id", "user_id",
                            name=op.f("uq_decision_positions_tenant_id_proposal_id_user_id")),
    )
    with op.batch_alter_table("decision_positions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decision_positions_proposal_id"), ["proposal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_decision_positions_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_decision_positions_user_id"), ["user_id"], unique=False)

    enable_row_level_security(op, "decision_proposals")
    # Positions are the members' alone: staff reading the community (reader_tenants) see none.
    enable_row_level_security(op, "decision_positions", kind="members")


def downgrade():
    disable_row_level_security(op, "decision_positions")
    disable_row_level_security(op, "decision_proposals")
    with op.batch_alter_table("decision_positions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_positions_user_id"))
        batch_op.drop_index(batch_op.f("ix_decision_positions_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_decision_positions_proposal_id"))
    op.drop_table("decision_positions")
    with op.batch_alter_table("decision_proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_proposals_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_decision_proposals_subject_type"))
        batch_op.drop_index(batch_op.f("ix_decision_proposals_programme_id"))
        batch_op.drop_index(batch_op.f("ix_decision_proposals_closes_at"))
        batch_op.drop_index(batch_op.f("ix_decision_proposals_closed_at"))
    op.drop_table("decision_proposals")
