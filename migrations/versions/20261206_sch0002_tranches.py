"""Scholarships: the call's tranche plan and each approved application's tranches (shared with the organisation,
under row-level security)

Revision ID: sch0002
Revises: sch0001
Create Date: 2026-12-06

"""
import sqlalchemy as sa
from alembic import op
from hromada.tenancy.rls import disable_row_level_security, enable_row_level_security

revision = "sch0002"
down_revision = "sch0001"
branch_labels = None
depends_on = None

# Calls opened before tranches existed paid the whole amount on approval.
WHOLE_ON_APPROVAL = '[{"share": 100, "condition": "on_approval"}]'


def upgrade():
    with op.batch_alter_table('scholarship_calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tranche_plan', sa.JSON(), nullable=False,
                                      server_default=sa.text(f"'{WHOLE_ON_APPROVAL}'")))

    op.create_table('scholarship_tranches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('share', sa.Integer(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('condition', sa.Enum('on_approval', 'progress_report_approved', 'final_report_approved', name='tranchecondition', native_enum=False, create_constraint=True, length=30), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('payment_reference', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount_minor >= 0', name=op.f('ck_scholarship_tranches_amount_not_negative')),
    sa.CheckConstraint('paid_on IS NULL OR released_at IS NOT NULL', name=op.f('ck_scholarship_tranches_paid_only_when_released')),
    sa.CheckConstraint('share BETWEEN 1 AND 100', name=op.f('ck_scholarship_tranches_share_in_range')),
    sa.ForeignKeyConstraint(['application_id'], ['scholarship_applications.id'], name=op.f('fk_scholarship_tranches_application_id_scholarship_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['call_id'], ['scholarship_calls.id'], name=op.f('fk_scholarship_tranches_call_id_scholarship_calls')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_scholarship_tranches_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_scholarship_tranches_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['communities.id'], name=op.f('fk_scholarship_tranches_tenant_id_communities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scholarship_tranches')),
    sa.UniqueConstraint('tenant_id', 'application_id', 'position', name=op.f('uq_scholarship_tranches_tenant_id_application_id_position'))
    )
    with op.batch_alter_table('scholarship_tranches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scholarship_tranches_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scholarship_tranches_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scholarship_tranches_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scholarship_tranches_tenant_id'), ['tenant_id'], unique=False)
    enable_row_level_security(op, "scholarship_tranches", kind="shared")


def downgrade():
    disable_row_level_security(op, "scholarship_tranches")
    with op.batch_alter_table('scholarship_tranches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scholarship_tranches_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_scholarship_tranches_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_scholarship_tranches_call_id'))
        batch_op.drop_index(batch_op.f('ix_scholarship_tranches_application_id'))
    op.drop_table('scholarship_tranches')
    with op.batch_alter_table('scholarship_calls', schema=None) as batch_op:
        batch_op.drop_column('tranche_plan')
