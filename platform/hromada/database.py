"""Database set-up that depends on the backend."""

from __future__ import annotations

import logging
import time

from flask import Flask, g, has_request_context, request
from sqlalchemy import Enum, event
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.sql.compiler import SQLCompiler

from hromada.i18n import lazy_gettext as _l
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


log = logging.getLogger(__name__)


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


# --- A database restart: reads retried once, writes told plainly -----------------------------

# A request that met a lost connection and may be run once more (set by the error handler, read by the
# WSGI wrapper around the app).
RETRY_READ = "hromada.retry_read"
RETRIED = "hromada.retried"
COMMITTED = "hromada_committed"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# PostgreSQL restarts in a second or two; a person waits that long rather than see an error page.
RETRY_WAIT_SECONDS = 3.0


def connection_lost(error: BaseException) -> bool:
    """The database went away (a restart, a killed backend) or could not be reached, rather than refusing the SQL."""
    return isinstance(error, DBAPIError) and (error.connection_invalidated or isinstance(error, OperationalError))


class RetryReadsOnLostConnection:
    """WSGI wrapper: a read-only request that met a lost connection runs once more, on a fresh one.

    The first run's response is held back, never sent. Pooled connections are checked before use
    (`pool_pre_ping`), and SQLAlchemy drops the whole pool once one connection is found dead, so the
    second run connects anew. Only GET, HEAD and OPTIONS, which change nothing, are run twice.
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") not in SAFE_METHODS:
            return self.wsgi_app(environ, start_response)
        held: list = []

        def hold(status, headers, exc_info=None):
            held[:] = [status, headers, exc_info]
            return lambda data: None

        body = self.wsgi_app(environ, hold)
        if not environ.pop(RETRY_READ, False):
            start_response(*held)
            return body
        if hasattr(body, "close"):
            body.close()
        environ[RETRIED] = True
        return self.wsgi_app(environ, start_response)


def database_answers(engine, seconds: float = RETRY_WAIT_SECONDS) -> bool:
    """Wait up to `seconds` for a new connection to answer; False if it never did."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
            return True
        except DBAPIError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.2)


def _note_commit(_session) -> None:
    if has_request_context():
        g.setdefault(COMMITTED, True)


def configure_connection_faults(app: Flask) -> None:
    from hromada.errors import render_error
    from hromada.extensions import db

    app.wsgi_app = RetryReadsOnLostConnection(app.wsgi_app)
    event.listen(db.session, "after_commit", _note_commit)

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError):
        try:
            db.session.rollback()
        except SQLAlchemyError:
            pass  # the connection is gone: there is nothing to roll back
        if not connection_lost(error):
            app.log_exception((type(error), error, error.__traceback__))
            return render_error(500)
        # A restart refuses connections for a second or two: the read is run again once the database answers.
        retry = request.method in SAFE_METHODS and not request.environ.get(RETRIED) and database_answers(db.engine)
        # The endpoint, not the address or the statement: neither the query string nor the SQL's values reach the log.
        log.warning("The database connection was lost during %s %s (%s); %s.", request.method, request.endpoint,
                    type(error.orig).__name__, "running it once more" if retry else "answered 503")
        if retry:
            request.environ[RETRY_READ] = True
            return "", 503  # never sent: the wrapper runs the request again
        headers = {"Retry-After": "5"}
        if request.method in SAFE_METHODS:
            message = _l("The database did not answer. Please try again in a moment.")
        elif g.get(COMMITTED):
            message = _l("The connection to the database was lost. Part of what you sent may have been saved: "
                         "please check before you send it again.")
        else:
            message = _l("The connection to the database was lost and nothing was saved. "
                         "Please try again in a moment.")
        body, code = render_error(503, message)
        return body, code, headers
