"""The fixtures: `app`, `client`, `runner` on each database backend, `redis_url` and `probe_plugin`.

Every test that asks for `app` runs twice, on SQLite and on PostgreSQL. The
schema comes from the real migrations (upgraded to heads once per session, and
once per xdist worker, each on databases of its own), and each test starts from
empty tables.

What makes that fast: one app per configuration (plugins, database, settings) is
built once and kept for the run (`AppCache`); a test gets it with fresh rate
limits and page caches, and its settings as built. On PostgreSQL a test's writes
are rolled back at its end: every session of the test joins one transaction on
one connection, each session in a savepoint of it. A test whose data another
process or thread must see (a worker, the live server), or which checks what a
transaction-local setting does (`set_config(..., true)` lasts until the outer
transaction ends), is marked `real_commits` (`browser` and `redis` imply it):
its writes are committed and the tables emptied afterwards. On SQLite each test
starts from a fresh copy of the migrated file.
"""

from __future__ import annotations

import copy
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
# Markers of tests whose writes are committed for real: another thread (the live server) or process (the
# worker) must see them. `real_commits` says so for any other test, with the reason next to it.
REAL_COMMIT_MARKERS = ("real_commits", "browser", "redis")


def pytest_configure(config):
    config.addinivalue_line("markers", "probe(plugin=make): the plugin `probe_plugin` installs is make(folder)")
    config.addinivalue_line(
        "markers",
        "real_commits: the test's writes are committed and the tables emptied after it, instead of rolled back "
        "to a savepoint (another process must see them, or it checks what lasts until a transaction ends)",
    )
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


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory) -> Path:
    """The one SQLite file of this process's tests, so that its apps can be kept; a copy of the template."""
    return tmp_path_factory.mktemp("sqlite-tests") / "hromada.sqlite3"


def commits_for_real(node) -> bool:
    return any(node.get_closest_marker(name) is not None for name in REAL_COMMIT_MARKERS)


ROLLED_BACK = pytest.StashKey[bool]()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request):
    """A migrated, empty database: a fresh copy of the SQLite template, or the PostgreSQL one.

    After the test, PostgreSQL's tables are emptied unless the `app` fixture rolled the test's writes back.
    """
    if request.param == "sqlite":
        path = request.getfixturevalue("sqlite_database")
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
    else:
        owner_url, app_url = request.getfixturevalue("postgres_owner_database")
        yield app_url
        if not request.node.stash.get(ROLLED_BACK, False):
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


# Tests only: published here, so never a real installation's.
TEST_MASTER_KEY = "dGVzdC1tYXN0ZXIta2V5LW5vdC1mb3ItcHJvZC11c2U"


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
        # One master key for every app a test makes: staff's authenticator secrets, sealed under it when the
        # world is built, open in a second app of the same test (a worker, an app with Redis down).
        "HROMADA_MASTER_KEY": TEST_MASTER_KEY,
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


class AppCache:
    """One app per configuration, built once and kept for the run.

    Building an app takes little; what a fresh app costs each test is everything it
    learns on first use: compiled templates, merged translation catalogs, the database
    pool's connections and PostgreSQL's prepared statements. A kept app is handed out
    as a fresh one would be: with empty rate-limit counters and page caches, and with
    the settings and extensions it was built with (a test's changes are undone). Its
    plugins and routes must never change: a test that changes them asks for `own_app`
    (`probe_plugin` does) and gets an app of its own.
    """

    def __init__(self, instance_root: Path):
        self.instance_root = instance_root
        self._apps: dict[str, tuple] = {}

    def get(self, config: dict):
        from hromada import create_app
        from hromada.extensions import limiter

        key = repr(sorted(config.items()))
        if key not in self._apps:
            instance = self.instance_root / f"app-{len(self._apps)}"
            previous = os.environ.get("HROMADA_INSTANCE_PATH")
            os.environ["HROMADA_INSTANCE_PATH"] = str(instance)
            try:
                app = create_app(config)
            finally:
                if previous is None:
                    del os.environ["HROMADA_INSTANCE_PATH"]
                else:
                    os.environ["HROMADA_INSTANCE_PATH"] = previous
            app.test_client_class = OneAppContextPerRequest
            plugins = _plugins_and_routes(app)
            # The registries (stage types, access rules, ...) by their contents too: a test may add to one.
            registries = {name: dict(value) for name, value in app.extensions.items() if isinstance(value, dict)}
            self._apps[key] = (app, copy.deepcopy(dict(app.config)), dict(app.extensions), registries, plugins)
        app, settings, extensions, registries, _plugins = self._apps[key]
        if dict(app.config) != settings:
            app.config.clear()
            app.config.update(copy.deepcopy(settings))
        # What the last test added (rendered pages, fragments) goes; what it replaced or changed comes back.
        app.extensions.clear()
        app.extensions.update(extensions)
        for name, contents in registries.items():
            if extensions[name] != contents:
                extensions[name].clear()
                extensions[name].update(contents)
        # Rate limits counted afresh, as a new app's are (Flask-Limiter keeps one storage per init_app).
        limiter.init_app(app)
        return app

    def check_unchanged(self, app) -> None:
        """After a test: its kept app has the plugins and routes it was built with, or is dropped."""
        for key, (kept, *_rest, plugins) in list(self._apps.items()):
            if kept is app and _plugins_and_routes(app) != plugins:
                del self._apps[key]
                pytest.fail(
                    "the test registered a plugin or a route on a kept app: ask for `own_app` "
                    "(or `probe_plugin`), which builds an app for the test alone"
                )

    def close(self) -> None:
        from hromada.extensions import db

        for app, *_ in self._apps.values():
            with app.app_context():
                db.engine.dispose()
        self._apps.clear()


def _plugins_and_routes(app) -> tuple[frozenset, frozenset]:
    return frozenset(app.extensions["hromada.plugins"].list_name_plugin()), frozenset(app.view_functions)


@pytest.fixture
def own_app() -> None:
    """Asked for by a test or fixture that changes its app (registers a plugin, adds a route):
    `app` is then built for this test alone instead of kept for every test with its configuration."""


@pytest.fixture(scope="session")
def app_cache(tmp_path_factory):
    cache = AppCache(tmp_path_factory.mktemp("instances"))
    yield cache
    cache.close()


@pytest.fixture
def app(request, app_config, monkeypatch, tmp_path):
    from flask_sqlalchemy.session import Session

    from hromada import create_app
    from hromada.extensions import db
    from hromada.testing.savepoints import rolled_back

    monkeypatch.setenv("HROMADA_INSTANCE_PATH", str(tmp_path / "instance"))
    # A test that changes its app (the probe's plugin, a route of its own) gets an app for itself alone.
    own = "probe_plugin" in request.fixturenames or "own_app" in request.fixturenames
    if own:
        app = create_app(app_config)
        app.test_client_class = OneAppContextPerRequest
    else:
        cache = request.getfixturevalue("app_cache")
        app = cache.get(app_config)
    with app.app_context():
        if db.engine.dialect.name == "postgresql" and not commits_for_real(request.node):
            request.node.stash[ROLLED_BACK] = True
            with rolled_back(db.engine, db.session.session_factory.kw, Session):
                yield app
                _check_read_model()
        else:
            yield app
            _check_read_model()
        if own or db.engine.dialect.name == "sqlite":
            # The next test's SQLite file is a new copy: no connection may stay open on this one.
            db.engine.dispose()
    if not own:
        cache.check_unchanged(app)


def _check_read_model() -> None:
    """After every test: the cohort's read model agrees with the tables, whatever the test wrote."""
    from sqlalchemy.exc import SQLAlchemyError

    from hromada.extensions import db
    from hromada.modules.progress.standings.testing import disagreements

    db.session.remove()  # what the test did not commit is not part of the check
    try:
        found = disagreements()
    except SQLAlchemyError:
        found = []  # the test left the database unusable: its own failure says why
    finally:
        db.session.remove()
    if found:
        pytest.fail("The cohort's read model disagrees with the tables:\n" + "\n".join(found), pytrace=False)


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

