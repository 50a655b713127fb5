"""The database context is signed, so SQL an attacker slips in cannot claim a context it was not given.

The row-level security policies read the tenancy context from transaction-local settings
(`app.current_tenant`, `app.system`, ...). Any SQL that runs as the app's role can set
those, SQL injected into a query included. So the app also sets `app.context_signature`:
an HMAC-SHA256, under the **context key**, of the values and of the connection's backend
process id. Every policy first reads `valid` from the view `hromada_context`, which runs
with its owner's rights and recomputes the HMAC with the key kept in
`hromada_private.context_keys`, a table the app's role can neither read nor even see. A setting changed by injected SQL
no longer matches its signature, and then the policies show and accept nothing at all;
a signature copied to another connection fails on the process id; the key never passes
through SQL the app runs.

The key is derived from `SECRET_KEY` (or given as `HROMADA_CONTEXT_KEY`), so the web
processes and the workers already hold it; `flask --app hromada db upgrade heads`, run as
the owner with the same environment, installs it into the database (README, Deployment).
"""

from __future__ import annotations

import hashlib
import hmac

from flask import Flask
from sqlalchemy import text

KEY_PURPOSE = b"hromada.database-context"
# Where each pooled connection keeps its backend process id (connection.info).
BACKEND_PID = "hromada_backend_pid"


def context_key(app: Flask) -> bytes:
    secret = app.config.get("HROMADA_CONTEXT_KEY") or app.secret_key
    material = secret if isinstance(secret, bytes) else str(secret).encode()
    return hmac.new(material, KEY_PURPOSE, hashlib.sha256).digest()


def fingerprint(key: bytes) -> str:
    """Names a key without revealing it: the database is asked whether it knows this one."""
    return hashlib.sha256(b"fingerprint:" + key).hexdigest()[:16]


def sign(key: bytes, settings: dict[str, str], backend_pid: int) -> str:
    """The signature the view `hromada_context` recomputes: the same fields, in the same order."""
    message = "|".join((str(backend_pid), settings["tenant"], settings["readers"], settings["organisation"],
                        settings["user"], settings["system"], settings["platform_admin"],
                        settings["credential_user"]))
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def install_context_key(connection, app: Flask) -> None:
    """As the owner, after migrating: the database learns this environment's context key."""
    if connection.dialect.name != "postgresql":
        return
    if connection.execute(text("SELECT to_regclass('hromada_private.context_keys')")).scalar() is None:
        return  # migrated down below the revision that made it
    key = context_key(app)
    connection.execute(
        text("INSERT INTO hromada_private.context_keys (fingerprint, key) VALUES (:fingerprint, :key)"
             " ON CONFLICT (fingerprint) DO NOTHING"),
        {"fingerprint": fingerprint(key), "key": key},
    )


class ContextKeyUnknown(RuntimeError):
    """The database does not know this environment's context key: every query would see nothing."""


def check_connection(dbapi_connection, key: bytes) -> int:
    """On each new connection: its backend process id, after checking the database knows the key."""
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid(), to_regprocedure('public.hromada_context_key_known(text)')"
                       " IS NOT NULL")
        backend_pid, can_check = cursor.fetchone()
        if can_check:
            cursor.execute("SELECT public.hromada_context_key_known(%s)", (fingerprint(key),))
            if not cursor.fetchone()[0]:
                raise ContextKeyUnknown(
                    "The database does not know this environment's context key (derived from SECRET_KEY, or "
                    "HROMADA_CONTEXT_KEY): run `flask --app hromada db upgrade heads` as the owner with the same "
                    "environment as the web processes and workers."
                )
    dbapi_connection.commit()  # psycopg opened a transaction for the checks: end it, settings and all
    return backend_pid
