"""Programmes start as drafts and are published explicitly; their texts in every declared language

- `programmes.published_at`: None for a draft, which only its organisation's staff see. Every
  programme that exists already was public, so this migration publishes it (at its creation time).
- `programmes.language`: the language of its title, description and call text; set to the first of
  its declared languages.
- `programmes.translations`: those texts in the programme's other languages.

Revision ID: core0010
Revises: core0009
"""

import sqlalchemy as sa
from alembic import op

revision = "core0010"
down_revision = "core0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("programmes") as batch:
        batch.add_column(sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=False, server_default=""))
        batch.add_column(sa.Column("translations", sa.JSON(), nullable=False, server_default="{}"))
    programmes = sa.table(
        "programmes", sa.column("id", sa.Integer()), sa.column("languages", sa.JSON()),
        sa.column("language", sa.String()), sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("published_at", sa.DateTime(timezone=True)),
    )
    connection = op.get_bind()
    # Programmes were public the moment they existed: they stay public.
    connection.execute(sa.update(programmes).values(published_at=programmes.c.created_at))
    for programme_id, languages in connection.execute(sa.select(programmes.c.id, programmes.c.languages)).all():
        if languages:
            connection.execute(sa.update(programmes).where(programmes.c.id == programme_id)
                               .values(language=languages[0]))


def downgrade():
    with op.batch_alter_table("programmes") as batch:
        batch.drop_column("translations")
        batch.drop_column("language")
        batch.drop_column("published_at")
