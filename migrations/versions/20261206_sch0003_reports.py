"""Scholarships: the call's report questions, the funded communities' progress and final reports (shared with the
organisation, under row-level security), tranches released by a milestone of an action plan, and the payments
kept for the operator when a community is erased

Revision ID: sch0003
Revises: sch0002
Create Date: 2026-12-06

"""
import sqlalchemy as sa
from alembic import op
from hromada.tenancy.rls import disable_row_level_security, enable_row_level_security

revision = "sch0003"
down_revision = "sch0002"
branch_labels = None
depends_on = None

CONDITIONS = ('on_approval', 'progress_report_approved', 'final_report_approved')


def _conditions(values):
    return sa.Enum(*values, name='tranchecondition', native_enum=False, create_constraint=True, length=30)


def upgrade():
    with op.batch_alter_table('scholarship_calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report_questionnaire_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_scholarship_calls_report_questionnaire_id_questionnaires'),
                                    'questionnaires', ['report_questionnaire_id'], ['id'])

    with op.batch_alter_table('scholarship_tranches', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_scholarship_tranches_tranchecondition'), type_='check')
        batch_op.create_check_constraint(
            'tranchecondition', sa.column('condition').in_([*CONDITIONS, 'milestone_done']))
        batch_op.add_column(sa.Column('milestone_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_scholarship_tranches_milestone_id_action_plan_milestones'),
                                    'action_plan_milestones', ['milestone_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_scholarship_tranches_milestone_id'), ['milestone_id'], unique=False)

    op.create_table('scholarship_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('progress', 'final', name='reportkind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'returned', 'approved', name='reportstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('questions_version', sa.Integer(), nullable=True),
    sa.Column('submissions', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('returned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['scholarship_applications.id'], name=op.f('fk_scholarship_reports_application_id_scholarship_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['call_id'], ['scholarship_calls.id'], name=op.f('fk_scholarship_reports_call_id_scholarship_calls')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_scholarship_reports_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_scholarship_reports_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['tenant_id'], ['communities.id'], name=op.f('fk_scholarship_reports_tenant_id_communities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scholarship_reports')),
    sa.UniqueConstraint('tenant_id', 'application_id', 'kind', name=op.f('uq_scholarship_reports_tenant_id_application_id_kind'))
    )
    with op.batch_alter_table('scholarship_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scholarship_reports_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scholarship_reports_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scholarship_reports_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scholarship_reports_tenant_id'), ['tenant_id'], unique=False)
    enable_row_level_security(op, "scholarship_reports", kind="shared")

    op.create_table('scholarship_kept_payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('payment_reference', sa.String(length=100), nullable=False),
    sa.Column('kept_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['scholarship_calls.id'], name=op.f('fk_scholarship_kept_payments_call_id_scholarship_calls')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_scholarship_kept_payments_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scholarship_kept_payments'))
    )
    with op.batch_alter_table('scholarship_kept_payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scholarship_kept_payments_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scholarship_kept_payments_organisation_id'), ['organisation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('scholarship_kept_payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scholarship_kept_payments_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_scholarship_kept_payments_call_id'))
    op.drop_table('scholarship_kept_payments')
    disable_row_level_security(op, "scholarship_reports")
    with op.batch_alter_table('scholarship_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scholarship_reports_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_scholarship_reports_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_scholarship_reports_call_id'))
        batch_op.drop_index(batch_op.f('ix_scholarship_reports_application_id'))
    op.drop_table('scholarship_reports')
    op.execute("DELETE FROM scholarship_tranches WHERE condition = 'milestone_done'")
    with op.batch_alter_table('scholarship_tranches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scholarship_tranches_milestone_id'))
        batch_op.drop_constraint(batch_op.f('fk_scholarship_tranches_milestone_id_action_plan_milestones'),
                                 type_='foreignkey')
        batch_op.drop_column('milestone_id')
        batch_op.drop_constraint(op.f('ck_scholarship_tranches_tranchecondition'), type_='check')
        batch_op.create_check_constraint('tranchecondition', sa.column('condition').in_(CONDITIONS))
    with op.batch_alter_table('scholarship_calls', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_scholarship_calls_report_questionnaire_id_questionnaires'),
                                 type_='foreignkey')
        batch_op.drop_column('report_questionnaire_id')
