"""Scholarships: each submitted review keeps its weighted total, and the indexes of the call's and the
reviewer's paged lists

Revision ID: sch0004
Revises: sch0003
Create Date: 2026-12-06

"""
import sqlalchemy as sa
from alembic import op

revision = "sch0004"
down_revision = "sch0003"
branch_labels = None
depends_on = None


def _weighted_total(scores: dict, weights: dict) -> float | None:
    """As hromada.modules.scholarships.summary.weighted_total, on the criteria's weights by id."""
    weight = total = 0
    for criterion_id, criterion_weight in weights.items():
        given = scores.get(str(criterion_id))
        if given is None:
            continue
        weight += criterion_weight
        total += criterion_weight * given["score"]
    return round(total / weight, 2) if weight else None


def upgrade():
    with op.batch_alter_table('scholarship_reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('weighted_total', sa.Float(), nullable=True))
        batch_op.create_index('ix_scholarship_reviews_reviewer_id_organisation_id',
                              ['reviewer_id', 'organisation_id', 'id'], unique=False)
    with op.batch_alter_table('scholarship_applications', schema=None) as batch_op:
        batch_op.create_index('ix_scholarship_applications_call_id_status', ['call_id', 'status'], unique=False)

    # The reviews submitted before: their totals, from their scores and the criteria's weights.
    connection = op.get_bind()
    criteria = sa.table('scholarship_criteria', sa.column('id', sa.Integer), sa.column('call_id', sa.Integer),
                        sa.column('weight', sa.Integer))
    reviews = sa.table('scholarship_reviews', sa.column('id', sa.Integer), sa.column('call_id', sa.Integer),
                       sa.column('status', sa.String), sa.column('scores', sa.JSON),
                       sa.column('weighted_total', sa.Float))
    weights: dict[int, dict[int, int]] = {}
    for criterion_id, call_id, weight in connection.execute(sa.select(criteria.c.id, criteria.c.call_id,
                                                                      criteria.c.weight)):
        weights.setdefault(call_id, {})[criterion_id] = weight
    for review_id, call_id, scores in connection.execute(
            sa.select(reviews.c.id, reviews.c.call_id, reviews.c.scores).where(reviews.c.status == 'submitted')):
        total = _weighted_total(scores or {}, weights.get(call_id, {}))
        if total is not None:
            connection.execute(reviews.update().where(reviews.c.id == review_id).values(weighted_total=total))


def downgrade():
    with op.batch_alter_table('scholarship_applications', schema=None) as batch_op:
        batch_op.drop_index('ix_scholarship_applications_call_id_status')
    with op.batch_alter_table('scholarship_reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_scholarship_reviews_reviewer_id_organisation_id')
        batch_op.drop_column('weighted_total')
