"""Data versions, so that a rendered page can be kept until what it shows changes

`enrolments.data_version` is a community's version, moved by every commit that
wrote that community's rows; `data_versions` holds the platform's, moved by any
other write (see `hromada.caching.versions`). Neither table holds anything a
community said: a version is a counter.

Revision ID: core0006
Revises: core0005
Create Date: 2026-11-21

"""
import sqlalchemy as sa
from alembic import op

revision = "core0006"
down_revision = "core0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("data_version", sa.BigInteger(), server_default="0", nullable=False))
    data_versions = op.create_table(
        "data_versions",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("version", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_data_versions")),
    )
    op.bulk_insert(data_versions, [{"name": "global", "version": 0}])


def downgrade():
    op.drop_table("data_versions")
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.drop_column("data_version")
