"""Database set-up that depends on the backend."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event


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
