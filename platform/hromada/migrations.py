"""Where Alembic looks for revisions and tables: the core's and every installed plugin's."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from hromada.plugins import collect, make_plugin_manager

# The repository's migrations/ (an editable install); HROMADA_MIGRATIONS_DIR overrides.
MIGRATIONS_DIR = Path(
    os.environ.get("HROMADA_MIGRATIONS_DIR", Path(__file__).resolve().parents[2] / "migrations")
)


def version_folders(app: Flask) -> list[str]:
    pm = app.extensions["hromada.plugins"]
    if app.config.get("HROMADA_PLUGINS") is not None:
        # A plugin left off the allow-list may still have tables in this database: Alembic must find its
        # revisions, and its models must be in the metadata it compares, or autogenerate would drop them.
        pm = make_plugin_manager(None)
        collect(pm, "hromada_models")
    return [str(MIGRATIONS_DIR / "versions"), *collect(pm, "hromada_migration_folders")]
