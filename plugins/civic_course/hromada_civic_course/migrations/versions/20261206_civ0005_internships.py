"""Internships abroad: host organisations and placements (the operator's), applications and logbooks (shared)

Host organisations and placements are an operator organisation's own rows, with
no community's data. Applications and logbook entries are a community's rows the
organisation running its programme also reads and writes (row-level security of
kind "shared").

Revision ID: civ0005
Revises: civ0004
Create Date: 2026-12-06

"""

import sqlalchemy as sa
from alembic import op

from hromada.plugin_api import disable_row_level_security, enable_row_level_security

revision = "civ0005"
down_revision = "civ0004"
branch_labels = None
depends_on = None

HOSTS, PLACEMENTS = "civic_host_organisations", "civic_placements"
APPLICATIONS, LOGBOOK = "civic_internship_applications", "civic_logbook_entries"


def _id(table):
    return [sa.Column("id", sa.Integer(), nullable=False), sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))]


def _created():
    return sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"),
                     nullable=False)


def _organisation(table, ondelete=None):
    return [sa.Column("organisation_id", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                    name=op.f(f"fk_{table}_organisation_id_organisations"), ondelete=ondelete)]


def _tenant(table):
    return [sa.Column("tenant_id", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["tenant_id"], ["communities.id"], name=op.f(f"fk_{table}_tenant_id_communities"),
                                    ondelete="CASCADE")]


def _indexes(table, *columns):
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade():
    op.create_table(
        HOSTS, *_id(HOSTS), *_organisation(HOSTS, "CASCADE"),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("country", sa.String(length=100), nullable=False),
        sa.Column("languages", sa.String(length=200), nullable=False),
        _created(),
        sa.UniqueConstraint("organisation_id", "name", name=op.f(f"uq_{HOSTS}_organisation_id_name")),
    )
    _indexes(HOSTS, "organisation_id")
    op.create_table(
        PLACEMENTS, *_id(PLACEMENTS), *_organisation(PLACEMENTS, "CASCADE"),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("host_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("tasks", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=100), nullable=False),
        _created(),
        sa.CheckConstraint("places >= 1", name=op.f(f"ck_{PLACEMENTS}_places_positive")),
        sa.CheckConstraint("starts_on <= ends_on", name=op.f(f"ck_{PLACEMENTS}_starts_before_end")),
        sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"], name=op.f(f"fk_{PLACEMENTS}_programme_id_programmes"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["host_id"], [f"{HOSTS}.id"], name=op.f(f"fk_{PLACEMENTS}_host_id_{HOSTS}"),
                                ondelete="CASCADE"),
    )
    _indexes(PLACEMENTS, "host_id", "organisation_id", "programme_id")
    op.create_table(
        APPLICATIONS, *_id(APPLICATIONS), *_tenant(APPLICATIONS), *_organisation(APPLICATIONS),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("nominated_by_id", sa.Integer(), nullable=True),
        sa.Column("motivation", sa.Text(), nullable=False),
        sa.Column("languages", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("agreement_on", sa.Date(), nullable=True),
        sa.Column("travel", sa.Text(), nullable=False),
        sa.Column("intern_evaluation", sa.Text(), nullable=False),
        sa.Column("host_evaluation", sa.Text(), nullable=False),
        _created(),
        sa.ForeignKeyConstraint(["placement_id"], [f"{PLACEMENTS}.id"],
                                name=op.f(f"fk_{APPLICATIONS}_placement_id_{PLACEMENTS}"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f(f"fk_{APPLICATIONS}_user_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["nominated_by_id"], ["users.id"],
                                name=op.f(f"fk_{APPLICATIONS}_nominated_by_id_users"), ondelete="SET NULL"),
        sa.UniqueConstraint("tenant_id", "placement_id", "user_id",
                            name=op.f(f"uq_{APPLICATIONS}_tenant_id_placement_id_user_id")),
    )
    _indexes(APPLICATIONS, "organisation_id", "placement_id", "tenant_id", "user_id")
    op.create_table(
        LOGBOOK, *_id(LOGBOOK), *_tenant(LOGBOOK), *_organisation(LOGBOOK),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("written_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _created(),
        sa.ForeignKeyConstraint(["application_id"], [f"{APPLICATIONS}.id"],
                                name=op.f(f"fk_{LOGBOOK}_application_id_{APPLICATIONS}"), ondelete="CASCADE"),
    )
    _indexes(LOGBOOK, "application_id", "organisation_id", "tenant_id")
    for table in (APPLICATIONS, LOGBOOK):
        enable_row_level_security(op, table, kind="shared")


def downgrade():
    for table in (LOGBOOK, APPLICATIONS):
        disable_row_level_security(op, table)
        op.drop_table(table)
    op.drop_table(PLACEMENTS)
    op.drop_table(HOSTS)
