"""A test's writes rolled back at its end: every session joins one transaction, each in a savepoint of it.

The sessions of a test (its own, and each request's, in an app context of its own) share
one connection on which one transaction stays open. Each session begins with a SAVEPOINT,
its commit is RELEASE SAVEPOINT and its rollback ROLLBACK TO SAVEPOINT; at the end of the
test the transaction is rolled back, and the next test finds empty tables without the cost
of emptying them.

Savepoints nest where transactions would not: a request's session commits inside the
savepoint the test's own session holds open. When that outer session then ends without
committing, rolling back to its savepoint would undo the request's commit too. The ledger
below keeps the difference honest: a savepoint whose session wrote nothing itself is
released instead (what it held is only what others committed); one whose session wrote
and must be rolled back over someone else's commit cannot be told apart, and the test
fails with a request to mark it `real_commits`. A released savepoint also keeps the
tenancy context its session set (`set_config(..., true)` lasts until the outer
transaction ends): the ledger sets the enclosing session's context again, which a
separate transaction would never have changed.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.pool import Pool
from sqlalchemy.sql.compiler import SQLCompiler

from hromada.tenancy import EMPTY
from hromada.tenancy.orm import _APPLIED as APPLIED
from hromada.tenancy.orm import _apply as apply_context

# What a statement's first word must be for it to change nothing.
_READS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "SHOW")


@dataclass
class _Savepoint:
    name: str
    # The tenancy context the enclosing transaction had set (hromada.tenancy.orm): a separate
    # transaction's settings would never have reached it, so it gets them back when this one ends.
    enclosing_context: object = None
    wrote: bool = False  # its own session wrote while it was the innermost savepoint, or a statement failed
    holds_commits: bool = False  # a session inside it committed (released its savepoint)


class SavepointLedger:
    """Which savepoints are open on the test's connection, and what each holds."""

    def __init__(self, dialect):
        self.dialect = dialect
        self.open: list[_Savepoint] = []

    # The dialect's three savepoint operations, on this test's connection.
    def do_savepoint(self, connection, name):
        type(self.dialect).do_savepoint(self.dialect, connection, name)
        self.open.append(_Savepoint(name, enclosing_context=connection.info.get(APPLIED, EMPTY)))

    def do_release_savepoint(self, connection, name):
        type(self.dialect).do_release_savepoint(self.dialect, connection, name)
        savepoint = self._close(name)
        if self.open:
            # What the released savepoint held is now committed work inside its parent.
            self.open[-1].holds_commits = True
        # A released savepoint keeps its transaction-local settings: give the enclosing one its own back.
        apply_context(connection, savepoint.enclosing_context)
        connection.info[APPLIED] = savepoint.enclosing_context

    def do_rollback_to_savepoint(self, connection, name):
        savepoint = self._find(name)
        if _failed(connection):
            savepoint.wrote = True  # a failed statement leaves a savepoint that can only be rolled back
        if savepoint.holds_commits and not savepoint.wrote:
            # Nothing of its own to undo, and undoing would take others' commits with it.
            self.do_release_savepoint(connection, name)
            return
        if savepoint.holds_commits:
            raise AssertionError(
                "a session rolls back its own writes over another session's commit, which one transaction "
                "with savepoints cannot show as separate transactions would: mark the test `real_commits`"
            )
        type(self.dialect).do_rollback_to_savepoint(self.dialect, connection, name)
        # PostgreSQL undid the savepoint's settings with its writes.
        connection.info[APPLIED] = self._close(name).enclosing_context

    def note_statement(self, _connection, _cursor, statement, _parameters, context, _executemany):
        if self.open and _writes(statement, context):
            self.open[-1].wrote = True

    def _find(self, name: str) -> _Savepoint:
        return next(savepoint for savepoint in self.open if savepoint.name == name)

    def _close(self, name: str) -> _Savepoint:
        savepoint = self._find(name)
        del self.open[self.open.index(savepoint):]
        return savepoint


def _failed(connection) -> bool:
    from psycopg.pq import TransactionStatus

    return connection.connection.driver_connection.info.transaction_status == TransactionStatus.INERROR


def _writes(statement: str, context) -> bool:
    compiled = getattr(context, "compiled", None)
    if isinstance(compiled, SQLCompiler) and not compiled.isplaintext:
        return bool(context.isinsert or context.isupdate or context.isdelete)
    return statement.lstrip()[:8].split(" ")[0].upper() not in _READS


@contextmanager
def rolled_back(engine, session_factory_options: dict, session_class):
    """Every session on `engine`'s database joins one transaction, each in a savepoint; rolled back at the end.

    Sessions of any app on the same database join it too (a second app a test builds, with other
    keys), so that they see the test's data. A test that opens another connection to the database
    would not see it: it fails, and says to mark the test `real_commits`.
    """
    connection = engine.connect()
    outer = connection.begin()
    connection.info[APPLIED] = EMPTY  # a new transaction's settings are empty
    ledger = SavepointLedger(engine.dialect)
    find_bind = session_class.get_bind

    def get_bind(self, *args, **kwargs):
        bind = find_bind(self, *args, **kwargs)
        return connection if bind is not connection and bind.url == engine.url else bind

    database = engine.url.database

    def refuse_another_connection(dbapi_connection, _record, _proxy):
        info = getattr(dbapi_connection, "info", None)
        if getattr(info, "dbname", None) == database:
            raise AssertionError(
                "this test opened another connection to its database, which cannot see the writes its "
                "savepoints hold: mark it `real_commits`"
            )

    patched = {name: getattr(ledger, name) for name in ("do_savepoint", "do_release_savepoint",
                                                         "do_rollback_to_savepoint")}
    for name, method in patched.items():
        setattr(engine.dialect, name, method)
    event.listen(connection, "before_cursor_execute", ledger.note_statement)
    session_factory_options["join_transaction_mode"] = "create_savepoint"
    session_class.get_bind = get_bind
    event.listen(Pool, "checkout", refuse_another_connection)
    try:
        yield connection
    finally:
        event.remove(Pool, "checkout", refuse_another_connection)
        session_class.get_bind = find_bind
        del session_factory_options["join_transaction_mode"]
        for name in patched:
            delattr(engine.dialect, name)
        outer.rollback()
        connection.close()
