"""The fixtures: `app`, `client`, `runner` on each database backend, `redis_url` and `probe_plugin`.

Every test that asks for `app` runs twice, on SQLite and on PostgreSQL. The
schema comes from the real migrations (upgraded to heads once per session), and
each test starts from empty tables.
"""

from __future__ import annotations

import os
import shutil
import sys
import types
import uuid
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from hromada.testing import services
from hromada.testing.forms import csrf_token  # noqa: F401 (tests and plugins' tests import it from here)

FIRST_PARTY_PLUGINS = ["incubator", "accelerator", "civic_course"]

# One context key for every app and worker the tests make on PostgreSQL, whatever their SECRET_KEY: the
# migrations install it and the apps sign with it (hromada.tenancy.signing).
os.environ.setdefault("HROMADA_CONTEXT_KEY", "the-test-suite-context-key")
PROBE_PLUGIN = "probe"


def pytest_configure(config):
    config.addinivalue_line("markers", "probe(plugin=make): the plugin `probe_plugin` installs is make(folder)")
    # Every Redis key this test process makes starts with its own namespace (HROMADA_REDIS_NAMESPACE), the
    # worker's it runs included: two runs on one machine, or two xdist workers, share the test Redis
    # database without touching each other's queues, jobs or rate limits.
    os.environ["HROMADA_REDIS_NAMESPACE"] = f"hromada-test-{uuid.uuid4().hex[:12]}-"


def migrate_to_heads(database_url: str) -> None:
    """Apply every installed migration, as `flask --app hromada db upgrade heads` does."""
    from flask_migrate import upgrade

    from hromada import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "migrations", "HROMADA_PLUGINS": None})
    with app.app_context():
        upgrade(revision="heads")
        from hromada.extensions import db

        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
    migrate_to_heads(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_owner_database():
    """A migrated PostgreSQL database; yields (owner URL, application-role URL)."""
    reason = services.postgres_error()
    if reason:
        services.unavailable(reason)
    with services.scratch_postgres_database() as owner_url:
        app_url = services.ensure_application_role(owner_url)
        migrate_to_heads(owner_url)
        yield owner_url, app_url


@pytest.fixture(scope="session")
def postgres_database(postgres_owner_database):
    """The app connects as its own role, to which row-level security applies, as in production."""
    return postgres_owner_database[1]


def _empty_postgres_tables(owner_url: str) -> None:
    from hromada.extensions import db

    tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
    engine = create_engine(owner_url)
    with engine.begin() as connection:
        # As the owner, with triggers off: the audit log refuses TRUNCATE otherwise.
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path):
    """A migrated, empty database: a copy of the SQLite template, or the PostgreSQL one emptied."""
    if request.param == "sqlite":
        path = tmp_path / "hromada.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
    else:
        owner_url, app_url = request.getfixturevalue("postgres_owner_database")
        yield app_url
        _empty_postgres_tables(owner_url)


@pytest.fixture
def enabled_plugins() -> list[str]:
    """Which installed plugins the app loads; a test module may override this fixture."""
    return list(FIRST_PARTY_PLUGINS)


@pytest.fixture
def probe_plugin(request, monkeypatch, tmp_path, database_url) -> str:
    """A plugin made for one test, installed as if a distribution declared it; returns its name, "probe".

    The test names it with `@pytest.mark.probe(plugin=make)`: `make(folder)` returns the plugin, an
    object (or module) whose methods marked `hookimpl` are its hook implementations, `folder`
    an empty folder for the files it ships. Add the name to `enabled_plugins`, so that `app`
    loads it. Installed after the session's databases are migrated (`database_url`): the
    migrations load every installed plugin.
    """
    from hromada import plugins

    marker = request.node.get_closest_marker("probe")
    assert marker is not None, "say which probe with @pytest.mark.probe(plugin=make)"
    folder = tmp_path / "probe"
    folder.mkdir()
    module = types.ModuleType("hromada_probe")
    module.plugin = marker.kwargs["plugin"](folder)
    monkeypatch.setitem(sys.modules, module.__name__, module)
    entry_point = EntryPoint(name=PROBE_PLUGIN, value=f"{module.__name__}:plugin", group=plugins.ENTRY_POINT_GROUP)
    installed = sorted([*plugins.installed_plugins(), entry_point], key=lambda ep: ep.name)
    monkeypatch.setattr(plugins, "installed_plugins", lambda: installed)
    return PROBE_PLUGIN


@pytest.fixture
def app_config(database_url, enabled_plugins, tmp_path) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "HROMADA_PLUGINS": enabled_plugins,
        "REDIS_URL": None,
        # Argon2 at full cost would make each sign-in in a test take a third of a second.
        "HROMADA_PASSWORD_PROFILE": "fast",
    }


class OneAppContextPerRequest(FlaskClient):
    """Each request in a fresh app context, as in production.

    The `app` fixture keeps an app context open for the test's own code; Flask
    would reuse it for every request, so `g` (the signed-in user, the tenant,
    the locale) and the database session would outlive a request.
    """

    def open(self, *args, **kwargs):
        # Buffered: a streamed response (the cohort's CSV) is read while its context is still there.
        kwargs.setdefault("buffered", True)
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(app_config, monkeypatch, tmp_path):
    from hromada import create_app
    from hromada.extensions import db

    monkeypatch.setenv("HROMADA_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(app_config)
    app.test_client_class = OneAppContextPerRequest
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def world(app):
    """`build_world()`: two organisations with a person in every role, then a fresh session,
    as each request has (nothing loaded while building is cached in it)."""
    from hromada.extensions import db
    from hromada.testing.factories import build_world

    built = build_world()
    db.session.remove()
    return built


def delete_own_redis_keys(connection) -> None:
    """Delete the keys of this test process's namespace, and no other: the database is shared."""
    namespace = os.environ["HROMADA_REDIS_NAMESPACE"]
    keys = list(connection.scan_iter(match=f"*{namespace}*", count=500))
    if keys:
        connection.delete(*keys)
    # RQ lists every queue it has seen in one set of its own: take out this run's queues only.
    queues = [queue for queue in connection.smembers("rq:queues") if namespace.encode() in queue]
    if queues:
        connection.srem("rq:queues", *queues)


@pytest.fixture
def redis_url():
    """The test Redis database, without any key of this run's namespace before and after the test."""
    from redis import Redis

    reason = services.redis_error()
    if reason:
        services.unavailable(reason)
    url = services.redis_url()
    connection = Redis.from_url(url)
    delete_own_redis_keys(connection)
    yield url
    delete_own_redis_keys(connection)
    connection.close()

