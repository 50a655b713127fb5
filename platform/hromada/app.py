"""The app factory: `create_app` is a sequence of small `configure_*` steps."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

from flask import Flask, current_app
from flask_babel import Babel, get_locale
from jinja2 import ChoiceLoader, FileSystemLoader
from werkzeug.routing import IntegerConverter

from hromada import config as settings
from hromada.database import configure_connection_faults
from hromada.errors import configure_errors
from hromada.extensions import csrf, db, limiter, migrate
from hromada.i18n import LANGUAGE_NAMES, TranslatedRequest, select_locale
from hromada.migrations import MIGRATIONS_DIR, version_folders
from hromada.plugins import PluginLoadError, collect, make_plugin_manager
from hromada.logs import configure_logging
from hromada.security import configure_security_headers

PACKAGE_DIR = Path(__file__).resolve().parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Hromada app. `config` overrides what the environment says."""
    instance_path = Path(os.environ.get("HROMADA_INSTANCE_PATH", Path.cwd() / "instance")).resolve()
    app = Flask("hromada", instance_path=str(instance_path))
    configure_settings(app, config or {})
    configure_plugins(app)
    configure_database(app)
    configure_accounts(app)
    configure_i18n(app)
    configure_templates(app)
    configure_blueprints(app)
    configure_jobs(app)
    configure_cli(app)
    configure_errors(app)
    configure_security_headers(app)
    configure_logging(app)
    app.extensions["hromada.plugins"].hook.hromada_app_ready(app=app)
    return app


def configure_settings(app: Flask, overrides: Mapping[str, Any]) -> None:
    app.config.update(settings.DEFAULTS)
    environ = dict(os.environ)
    # Values given to create_app win over the environment, including the secrets it requires.
    for key in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "HROMADA_MASTER_KEY"):
        if key in overrides and overrides[key]:
            environ[key] = overrides[key]
    app.config.update(settings.from_environment(Path(app.instance_path), environ))
    app.config.update(overrides)
    if "SQLALCHEMY_DATABASE_URI" in overrides:
        app.config["SQLALCHEMY_DATABASE_URI"] = settings.normalise_database_url(
            overrides["SQLALCHEMY_DATABASE_URI"]
        )


def configure_plugins(app: Flask) -> None:
    pm = make_plugin_manager(app.config["HROMADA_PLUGINS"])
    app.extensions["hromada.plugins"] = pm
    for model in collect(pm, "hromada_models"):
        # Listing a model imported it; nothing else to do but check it is ours.
        if model.metadata is not db.metadata:
            raise PluginLoadError(f"Model {model.__name__} is not declared on hromada.extensions.db.")
    stage_types: dict = {}
    for stage_type in collect(pm, "hromada_stage_types"):
        if stage_type.key in stage_types:
            raise PluginLoadError(f"Two plugins define the stage type {stage_type.key!r}.")
        stage_types[stage_type.key] = stage_type
    app.extensions["hromada.stage_types"] = stage_types
    app.extensions["hromada.access_rules"] = _access_rules(pm)


def _access_rules(pm) -> dict:
    """The one policy: every module's and plugin's rules, each action defined once."""
    rules: dict = {}
    for rule in collect(pm, "hromada_access_rules"):
        if rule.action in rules:
            raise PluginLoadError(f"The access rule {rule.action!r} is defined twice.")
        rules[rule.action] = rule.check
    return rules


def configure_database(app: Flask) -> None:
    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from hromada.database import configure_sqlite

        configure_sqlite(app)
    elif app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        from hromada.database import configure_postgresql

        configure_postgresql(app)
    configure_connection_faults(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), compare_type=True)


def configure_accounts(app: Flask) -> None:
    """Sign-in sessions, rate limits, tenant isolation and default-deny access."""
    from hromada import authz
    from hromada.modules.accounts.sessions import login_manager
    from hromada.caching import versions
    from hromada.tenancy import orm

    if app.config["HROMADA_PROXY_COUNT"]:
        # Behind N trusted proxies: take the client address they report, for rate limits.
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["HROMADA_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    orm.install()
    versions.install()
    login_manager.init_app(app)
    limiter.init_app(app)
    app.before_request(authz.enforce_declared_access)


def configure_i18n(app: Flask) -> None:
    pm = app.extensions["hromada.plugins"]
    folders = [str(PACKAGE_DIR / "translations"), *collect(pm, "hromada_translation_folders")]
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(folders)
    # One Babel per app: Flask-Babel caches the merged catalogs on its object,
    # and each app may load different plugins' catalogs.
    from hromada.times import select_timezone

    Babel(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.request_class = TranslatedRequest
    app.jinja_env.globals.update(LANGUAGE_NAMES=LANGUAGE_NAMES, get_locale=get_locale)


def configure_templates(app: Flask) -> None:
    pm = app.extensions["hromada.plugins"]
    folders = [str(PACKAGE_DIR / "templates"), *collect(pm, "hromada_template_folders")]
    app.jinja_loader = ChoiceLoader([FileSystemLoader(folder) for folder in folders])

    from hromada import times
    from hromada.money import format_money
    from hromada.navigation import navigation_for

    app.jinja_env.globals["navigation"] = navigation_for
    app.jinja_env.filters["money"] = format_money
    times.configure(app)


class DatabaseIdConverter(IntegerConverter):
    """`<int:…>` in every route: an id no database column can hold is simply not found (404)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)  # PostgreSQL's integer
        super().__init__(url_map, *args, **kwargs)


def configure_blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseIdConverter
    csrf.init_app(app)
    for blueprint in collect(app.extensions["hromada.plugins"], "hromada_blueprints"):
        app.register_blueprint(blueprint)


def configure_jobs(app: Flask) -> None:
    from hromada.jobs import JobQueue

    definitions = {}
    for definition in collect(app.extensions["hromada.plugins"], "hromada_jobs"):
        if definition.name in definitions:
            raise PluginLoadError(f"Two plugins define the job {definition.name!r}.")
        definitions[definition.name] = definition
    app.extensions["hromada.jobs"] = JobQueue(app, definitions)


def configure_cli(app: Flask) -> None:
    for command in collect(app.extensions["hromada.plugins"], "hromada_cli_commands"):
        app.cli.add_command(command)


@migrate.configure
def _add_plugin_migrations(alembic_config):
    """Let Alembic find the revisions of every installed plugin, enabled or not."""
    folders = version_folders(current_app)
    alembic_config.set_main_option("version_locations", os.pathsep.join(folders))
    return alembic_config
