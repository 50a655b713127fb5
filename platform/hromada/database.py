"""Database set-up that depends on the backend."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import Enum, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.compiler import SQLCompiler

from hromada.tenancy.signing import BACKEND_PID, check_connection, context_key


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


# --- PostgreSQL: keep prepared statements across requests ---------------------------

# psycopg prepares a statement on the server once the connection has run it a few
# times, but forgets every prepared statement on ROLLBACK. A request's session
# closes with a rollback, so a page that only reads would plan every statement
# afresh on every request (with the row-level policies, planning is a good part of
# each statement). A transaction that wrote nothing ends with COMMIT instead, which
# is the same for the data and keeps the prepared statements.
WROTE = "hromada_wrote"


def _note_begin(connection) -> None:
    connection.info[WROTE] = False


def _note_writes(connection, _cursor, statement, _parameters, context, _executemany) -> None:
    compiled = getattr(context, "compiled", None)
    if isinstance(compiled, SQLCompiler) and not compiled.isplaintext:
        wrote = context.isinsert or context.isupdate or context.isdelete
    else:  # SQL text or DDL: anything but a plain SELECT may have changed data
        wrote = statement.lstrip()[:6].upper() != "SELECT"
    if wrote:
        connection.info[WROTE] = True


def end_read_only_transaction(exc: BaseException | None) -> None:
    """At the end of a request: commit a transaction that only read, instead of rolling it back."""
    from psycopg.pq import TransactionStatus

    from hromada.extensions import db

    if exc is not None:
        return
    session = db.session()
    if not session.in_transaction() or session.new or session.dirty or session.deleted:
        return
    connection = session.connection()
    if connection.info.get(WROTE, True):
        return
    if connection.connection.driver_connection.info.transaction_status != TransactionStatus.INTRANS:
        return  # idle, or failed: the usual rollback ends it
    try:
        session.commit()
    except SQLAlchemyError:
        session.rollback()  # the connection is gone: nothing was written, nothing is lost


def configure_postgresql(app: Flask) -> None:
    with app.app_context():
        from hromada.extensions import db

        engine = db.engine
    event.listen(engine, "begin", _note_begin)
    event.listen(engine, "before_cursor_execute", _note_writes)
    key = context_key(app)
    app.extensions["hromada.context_key"] = key

    @event.listens_for(engine, "connect")
    def _know_the_backend(dbapi_connection, connection_record):
        # The signature of the tenancy context names the connection's backend (hromada.tenancy.signing).
        connection_record.info[BACKEND_PID] = check_connection(dbapi_connection, key)

    # Registered after Flask-SQLAlchemy's own teardown, so it runs before the session is removed.
    app.teardown_appcontext(end_read_only_transaction)
