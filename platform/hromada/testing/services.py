"""Finding the PostgreSQL and Redis servers the tests run against.

A test that needs a server which cannot be reached is skipped with the reason,
unless HROMADA_REQUIRE_SERVICES=1, which turns that skip into a failure (CI).
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


def services_required() -> bool:
    return os.environ.get("HROMADA_REQUIRE_SERVICES") == "1"


def unavailable(reason: str):
    if services_required():
        pytest.fail(f"{reason} (HROMADA_REQUIRE_SERVICES=1: a missing service is a failure)")
    pytest.skip(reason)


def postgres_url() -> str:
    from hromada.config import normalise_database_url

    return normalise_database_url(os.environ.get("HROMADA_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))


def redis_url() -> str:
    return os.environ.get("HROMADA_TEST_REDIS_URL", DEFAULT_REDIS_URL)


def postgres_error() -> str | None:
    """Why PostgreSQL cannot be used, or None when it can."""
    try:
        engine = create_engine(postgres_url(), connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # any failure to connect means: no server for these tests
        return f"PostgreSQL at {make_url(postgres_url()).render_as_string()} is unreachable: {exc.__class__.__name__}"
    return None


def redis_error() -> str | None:
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        Redis.from_url(redis_url(), socket_connect_timeout=3).ping()
    except RedisError as exc:
        return f"Redis at {redis_url()} is unreachable: {exc.__class__.__name__}"
    return None


APP_ROLE = "hromada_app"


def ensure_application_role(database_url: str) -> str:
    """Create the role the app connects as (no ownership, no superuser, no BYPASSRLS).

    Grants it data rights in this database, including on the tables that
    migrations run by the owner create later. Returns the app's database URL.
    """
    from hromada.tenancy.rls import grant_application_role_sql

    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection, _server_wide_lock():
        owner = connection.execute(text("SELECT current_user")).scalar_one()
        connection.execute(
            text(
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :role) THEN "
                f'CREATE ROLE "{APP_ROLE}" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; '
                "END IF; END $$".replace(":role", f"'{APP_ROLE}'")
            )
        )
        for statement in grant_application_role_sql(APP_ROLE, owner):
            connection.execute(text(statement))
    engine.dispose()
    return make_url(database_url).set(username=APP_ROLE, password=None).render_as_string(hide_password=False)


# Any number, the same in every test process: the role is the server's, shared by parallel workers and runs.
ROLE_LOCK = 4_802_117


@contextmanager
def _server_wide_lock():
    """Held while creating and granting the application role: two xdist workers must not do it at once.

    Advisory locks belong to a database; every test process takes this one on the server's own test database.
    """
    engine = create_engine(postgres_url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ROLE_LOCK})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ROLE_LOCK})
    engine.dispose()


@contextmanager
def scratch_postgres_database(prefix: str = "hromada_test"):
    """Create an empty database on the test server; drop it afterwards. Yields its URL."""
    server = make_url(postgres_url())
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
