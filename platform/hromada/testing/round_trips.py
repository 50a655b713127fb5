"""What a request sends to PostgreSQL, counted in round trips: the measure of a page's fixed cost.

SQLAlchemy's statement events miss what goes straight through the driver (the tenancy context's
`set_config`, psycopg's own BEGIN and COMMIT, the pool's ping); libpq's trace of the connection sees
everything. A round trip is a message the client then waits on: a simple query (BEGIN, COMMIT, the
ping, several statements in one text) or an extended query up to its Sync.
"""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import event


class Trace:
    """libpq's trace of the connections an engine opens, read as round trips."""

    def __init__(self, file):
        self._file = file

    def restart(self) -> None:
        """Forget what was traced so far (a warm-up request's connection and first statements)."""
        self._file.seek(0)
        self._file.truncate()

    def round_trips(self) -> list[str]:
        self._file.seek(0)
        return named_round_trips(self._file.read())


@contextmanager
def traced(engine) -> Iterator[Trace]:
    """Trace every connection the engine opens in the block. The pool is emptied first, so that each
    connection used is opened, and traced, anew."""
    pgconns: list = []
    with tempfile.TemporaryFile("w+") as file:
        def trace_it(connection):
            from psycopg import pq

            pgconn = connection.connection.driver_connection.pgconn
            if any(pgconn is traced_pgconn for traced_pgconn in pgconns):
                return
            pgconn.trace(file.fileno())
            pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
            pgconns.append(pgconn)

        engine.pool.dispose()
        event.listen(engine, "engine_connect", trace_it)
        try:
            yield Trace(file)
        finally:
            event.remove(engine, "engine_connect", trace_it)
            for pgconn in pgconns:
                pgconn.untrace()


def named_round_trips(trace: str) -> list[str]:
    """Each round trip of a libpq trace, named by the text it sends or the prepared statement it runs."""
    names, pending = [], ""
    for line in trace.splitlines():
        fields = line.split("\t")
        if len(fields) < 3 or fields[0] != "F":
            continue
        content = fields[3].strip() if len(fields) > 3 else ""
        if fields[2] == "Query":
            names.append("query " + content)
        elif fields[2] == "Parse":
            pending = "parse " + content.partition(" ")[2]
        elif fields[2] == "Bind" and not pending:
            pending = "prepared " + content.split(" ")[1]
        elif fields[2] == "Sync":
            names.append(pending or "sync")
            pending = ""
    return names
