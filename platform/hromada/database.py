"""Database set-up that depends on the backend."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import Enum, event


def string_enum(enum_class) -> Enum:
    """An enum stored as its values in a VARCHAR with a CHECK: readable and portable."""
    return Enum(
        enum_class,
        values_callable=lambda members: [member.value for member in members],
        native_enum=False,
        create_constraint=True,
        length=20,
        name=enum_class.__name__.lower(),
    )


def configure_sqlite(app: Flask) -> None:
    """SQLite enforces foreign keys only when asked, on each connection."""
    with app.app_context():
        from hromada.extensions import db

        engine = db.engine

    @event.listens_for(engine, "connect")
    def _enable_foreign_keys(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()
