"""The job outbox: every job's row, from enqueueing to done; it takes over `deferred_jobs`

The jobs that waited in `deferred_jobs` for Redis move into the outbox, due at once, and the
table goes: an outage of Redis is now one case of a pending job the sweeper sends again.

Like `job_runs` (and `deferred_jobs` before it), the table has no tenant column and no row-level
policy: its rows are the platform's work queue and hold only a job's name and plain arguments
(ids and dates, never text a person wrote). The app's role gets its rights on it from the
default privileges the owner granted once (README, PostgreSQL roles).

Revision ID: box0001
Revises:
Create Date: 2026-12-06

"""
import sqlalchemy as sa
from alembic import op

revision = "box0001"
down_revision = None
branch_labels = ("outbox",)
depends_on = "core0009"

_PENDING = sa.text("done_at IS NULL AND failed_at IS NULL")


def upgrade():
    op.create_table(
        "job_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("arguments", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deliveries", sa.Integer(), server_default="0", nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("error", sa.String(length=200), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_outbox")),
    )
    op.create_index("ix_job_outbox_pending", "job_outbox", ["lease_until"], unique=False,
                    postgresql_where=_PENDING, sqlite_where=_PENDING)
    # Due now: the first sweep (a worker starting) sends them.
    op.execute(
        "INSERT INTO job_outbox (name, arguments, created_at, lease_until, deliveries)"
        " SELECT name, arguments, created_at, CURRENT_TIMESTAMP, 0 FROM deferred_jobs ORDER BY id"
    )
    op.drop_table("deferred_jobs")


def downgrade():
    op.create_table(
        "deferred_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("arguments", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                  nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deferred_jobs")),
    )
    # What had not run yet is kept for the older code, which sends deferred jobs when a worker starts.
    op.execute(
        "INSERT INTO deferred_jobs (name, arguments, created_at)"
        " SELECT name, arguments, created_at FROM job_outbox WHERE done_at IS NULL AND failed_at IS NULL ORDER BY id"
    )
    op.drop_index("ix_job_outbox_pending", table_name="job_outbox", postgresql_where=_PENDING, sqlite_where=_PENDING)
    op.drop_table("job_outbox")
