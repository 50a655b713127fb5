"""Alembic environment for Hromada (run through Flask-Migrate: `flask --app hromada db ...`).

Migrations connect as the owner of the tables: `HROMADA_MIGRATION_DATABASE_URL`
when it is set (production, where the app's own role owns nothing), else the
app's `DATABASE_URL`.
"""

import logging
import os
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy import create_engine

from hromada.config import normalise_database_url
from hromada.tenancy.signing import install_context_key

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db
target_metadata = target_db.metadata


def migration_engine():
    owner_url = os.environ.get("HROMADA_MIGRATION_DATABASE_URL") or current_app.config.get(
        "HROMADA_MIGRATION_DATABASE_URL"
    )
    if owner_url:
        return create_engine(normalise_database_url(owner_url))
    return target_db.engine


def run_migrations_offline():
    context.configure(
        url=target_db.engine.url.render_as_string(hide_password=False),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        # An autogenerate that finds nothing writes no empty revision.
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.pop("render_as_batch", None)
    conf_args.setdefault("process_revision_directives", process_revision_directives)

    engine = migration_engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite alters tables by copying them.
            render_as_batch=connection.dialect.name == "sqlite",
            **conf_args,
        )
        with context.begin_transaction():
            context.run_migrations()
            # The owner tells the database this environment's context key (hromada.tenancy.signing).
            install_context_key(connection, current_app)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
