"""Scholarships: calls and their rubrics and reviews (organisation data), communities' applications (shared with
the organisation, under row-level security)

Revision ID: sch0001
Revises:
Create Date: 2026-12-06

"""
import sqlalchemy as sa
from alembic import op
from hromada.tenancy.rls import disable_row_level_security, enable_row_level_security

revision = "sch0001"
down_revision = None
branch_labels = ("scholarships",)
# The questionnaire engine asks a call's questions; the action plans are what later tranches follow.
depends_on = ("pln0001", "qst0001")


def upgrade():
    op.create_table('scholarship_calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('budget_minor', sa.BigInteger(), nullable=False),
    sa.Column('budget_currency', sa.String(length=3), nullable=False),
    sa.Column('max_per_community_minor', sa.BigInteger(), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('progress_report_due', sa.Date(), nullable=True),
    sa.Column('final_report_due', sa.Date(), nullable=True),
    sa.Column('questionnaire_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('budget_minor > 0 AND max_per_community_minor > 0', name=op.f('ck_scholarship_calls_amounts_positive')),
    sa.CheckConstraint('closes_on >= opens_on', name=op.f('ck_scholarship_calls_closes_after_opening')),
    sa.CheckConstraint('max_per_community_minor <= budget_minor', name=op.f('ck_scholarship_calls_maximum_within_budget')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_scholarship_calls_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_scholarship_calls_programme_id_programmes')),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['questionnaires.id'], name=op.f('fk_scholarship_calls_questionnaire_id_questionnaires')),
    sa.ForeignKeyConstraint(['stage_id'], ['programme_stages.id'], name=op.f('fk_scholarship_calls_stage_id_programme_stages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scholarship_calls'))
    )
    with op.batch_alter_table('scholarship_calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scholarship_calls_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scholarship_calls_programme_id'), ['programme_id'], unique=False)

    op.create_table('scholarship_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'withdrawn', 'more_information', 'approved', 'declined', name='scholarshipstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('requested_minor', sa.BigInteger(), nullable=True),
    sa.Column('requested_currency', sa.String(length=3), nullable=True),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('questions_version', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_minor', sa.BigInteger(), nullable=True),
    sa.Column('determination_message', sa.Text(), nullable=False),
    sa.Column('determined_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('determined_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('approved_minor IS NULL OR approved_minor > 0', name=op.f('ck_scholarship_applications_approved_positive')),
    sa.CheckConstraint('requested_minor IS NULL OR requested_minor > 0', name=op.f('ck_scholarship_applications_requested_positive')),
    sa.ForeignKeyConstraint(['call_id'], ['scholarship_calls.id'], name=op.f('fk_scholarship_applications_call_id_scholarship_calls')),
    sa.ForeignKeyConstraint(['determined_by_id'], ['users.id'], name=op.f('fk_scholarship_applications_determined_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_scholarship_applications_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['tenant_id'], ['communities.id'], name=op.f('fk_scholarship_applications_tenant_id_communities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scholarship_applications')),
    sa.UniqueConstraint('tenant_id', 'call_id', name=op.f('uq_scholarship_applications_tenant_id_call_id'))
    )
    with op.batch_alter_table('scholarship_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scholarship_applications_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scholarship_applications_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scholarship_applications_tenant_id'), ['tenant_id'], unique=False)
    enable_row_level_security(op, "scholarship_applications", kind="shared")

    op.create_table('scholarship_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('guidance', sa.JSON(), nullable=False),
    sa.CheckConstraint('weight BETWEEN 1 AND 10', name=op.f('ck_scholarship_criteria_weight_in_range')),
    sa.ForeignKeyConstraint(['call_id'], ['scholarship_calls.id'], name=op.f('fk_scholarship_criteria_call_id_scholarship_calls')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scholarship_criteria'))
    )
    with op.batch_alter_table('scholarship_criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scholarship_criteria_call_id'), ['call_id'], unique=False)

    op.create_table('scholarship_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('assigned', 'recused', 'reviewing', 'submitted', name='reviewstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('declared_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('recommendation', sa.Enum('fund', 'maybe', 'do_not_fund', name='recommendation', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['scholarship_applications.id'], name=op.f('fk_scholarship_reviews_application_id_scholarship_applications')),
    sa.ForeignKeyConstraint(['call_id'], ['scholarship_calls.id'], name=op.f('fk_scholarship_reviews_call_id_scholarship_calls')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_scholarship_reviews_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_scholarship_reviews_reviewer_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scholarship_reviews')),
    sa.UniqueConstraint('application_id', 'reviewer_id', name=op.f('uq_scholarship_reviews_application_id_reviewer_id'))
    )
    with op.batch_alter_table('scholarship_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scholarship_reviews_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scholarship_reviews_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scholarship_reviews_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scholarship_reviews_reviewer_id'), ['reviewer_id'], unique=False)



def downgrade():
    disable_row_level_security(op, "scholarship_applications")
    with op.batch_alter_table('scholarship_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scholarship_reviews_reviewer_id'))
        batch_op.drop_index(batch_op.f('ix_scholarship_reviews_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_scholarship_reviews_call_id'))
        batch_op.drop_index(batch_op.f('ix_scholarship_reviews_application_id'))

    op.drop_table('scholarship_reviews')
    with op.batch_alter_table('scholarship_criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scholarship_criteria_call_id'))

    op.drop_table('scholarship_criteria')
    with op.batch_alter_table('scholarship_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scholarship_applications_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_scholarship_applications_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_scholarship_applications_call_id'))

    op.drop_table('scholarship_applications')
    with op.batch_alter_table('scholarship_calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scholarship_calls_programme_id'))
        batch_op.drop_index(batch_op.f('ix_scholarship_calls_organisation_id'))

    op.drop_table('scholarship_calls')
