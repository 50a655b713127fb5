"""The migrations build the schema the models describe, can be undone, and the CLI runs them.

Each check starts from an EMPTY database (not the migrated template the `app`
fixture copies), on SQLite and on PostgreSQL, and goes through Flask-Migrate as
`flask --app hromada db upgrade heads` does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata, produce_migrations, render_python_code
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import column, create_engine, func, inspect, select, table

from hromada import create_app
from hromada.demo import COMMUNITIES, ORGANISATION
from hromada.extensions import db
from hromada.testing import services

FLASK = Path(sys.executable).parent / "flask"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    reason = services.postgres_error()
    if reason:
        services.unavailable(reason)
    with services.scratch_postgres_database("hromada_migrations") as url:
        yield url


@pytest.fixture
def migration_app(empty_database_url, monkeypatch, tmp_path):
    """The app with every installed plugin, as the migration commands see it."""
    monkeypatch.setenv("HROMADA_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x", "HROMADA_PLUGINS": None})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def tables_defined_in_tests() -> set[str]:
    tables: set[str] = set()
    for mapper in db.Model.registry.mappers:
        # pytest names a test module after its path: tests.test_x, plugins.incubator.tests.conftest.
        module = mapper.class_.__module__.split(".")
        if any(part in {"tests", "conftest"} or part.startswith("test_") for part in module):
            tables.update(table.name for table in mapper.tables)
    return tables


def assert_models_match_migrations() -> None:
    """Fail, showing the revision autogenerate would write, unless models and migrations agree."""
    # A model that a test module defines on the shared metadata has no migration, and must
    # not make this check depend on which tests ran before it.
    test_tables = tables_defined_in_tests()

    def include_object(obj, name, type_, reflected, compare_to):
        return not (type_ == "table" and not reflected and name in test_tables)

    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object}
        )
        differences = compare_metadata(context, db.metadata)
        if differences:
            missing_revision = render_python_code(
                produce_migrations(context, db.metadata).upgrade_ops, migration_context=context
            )
    assert not differences, (
        "The models and the migrations disagree. A revision "
        "(`flask --app hromada db migrate -m ...`) would need:\n" + missing_revision
    )


def applied_revisions() -> set[str]:
    with db.engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def script_directory(app) -> ScriptDirectory:
    return ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())


def test_upgrading_an_empty_database_to_heads_builds_the_models_schema(migration_app):
    upgrade(revision="heads")
    assert applied_revisions(), "no revision was applied"
    assert_models_match_migrations()


def test_the_last_revision_of_every_branch_can_be_undone_and_redone(migration_app):
    upgrade(revision="heads")
    at_heads = applied_revisions()
    heads = script_directory(migration_app).get_heads()  # the core's and each plugin's branch
    assert heads
    for head in heads:
        # "<revision>@-1": one step down from that head, whichever branch it is on.
        downgrade(revision=f"{head}@-1")
        assert head not in applied_revisions(), f"{head} is still applied"
        upgrade(revision="heads")
        assert applied_revisions() == at_heads
    assert_models_match_migrations()


def flask_command(*args: str, database_url: str, instance: Path) -> subprocess.CompletedProcess:
    """Run `flask --app hromada ...` as an operator would, in a clean environment."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("HROMADA_", "FLASK_")) and key not in {"DATABASE_URL", "SECRET_KEY", "REDIS_URL"}
    }
    environ.update(DATABASE_URL=database_url, HROMADA_INSTANCE_PATH=str(instance))
    return subprocess.run(
        [str(FLASK), "--app", "hromada", *args],
        cwd=instance.parent,  # not the repository: nothing may depend on where it is run
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def row_counts(database_url: str) -> dict[str, int]:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        counts = {
            name: connection.scalar(select(func.count()).select_from(table(name)))
            for name in inspect(connection).get_table_names()
        }
    engine.dispose()
    return counts


def test_the_cli_upgrades_a_fresh_database_and_loads_the_demo_idempotently(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'hromada.sqlite3'}"
    instance = tmp_path / "instance"

    upgraded = flask_command("db", "upgrade", "heads", database_url=database_url, instance=instance)
    assert upgraded.returncode == 0, upgraded.stderr

    first = flask_command("demo", database_url=database_url, instance=instance)
    assert first.returncode == 0, first.stderr
    after_first = row_counts(database_url)
    second = flask_command("demo", database_url=database_url, instance=instance)
    assert second.returncode == 0, second.stderr

    assert row_counts(database_url) == after_first
    assert after_first["communities"] == len(COMMUNITIES)
    for run in (first, second):
        assert f"Demo ready: {ORGANISATION['name']}" in run.stdout
        assert f"{len(COMMUNITIES)} communities" in run.stdout


def test_a_plugin_left_off_the_allow_list_keeps_its_tables_when_migrations_are_compared(sqlite_template, tmp_path):
    """Its revisions are applied and its tables exist, so autogenerate must not propose to drop them."""
    database = tmp_path / "hromada.sqlite3"
    database.write_bytes(sqlite_template.read_bytes())  # every installed plugin's migrations applied
    environment = {**os.environ, "HROMADA_PLUGINS": "incubator,accelerator,civic_course"}
    result = subprocess.run(
        [str(FLASK), "--app", "hromada", "db", "check"], cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={**{k: v for k, v in environment.items() if k not in {"DATABASE_URL", "FLASK_APP"}},
             "DATABASE_URL": f"sqlite:///{database}", "HROMADA_INSTANCE_PATH": str(tmp_path / "instance")},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "study_visits" not in result.stdout + result.stderr


def consultation_starts(database_url: str) -> dict[int, str]:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(select(table("consultations", column("id"), column("starts_at")))).all()
    engine.dispose()
    return {row_id: str(starts_at) for row_id, starts_at in rows if starts_at is not None}


def test_consultation_times_typed_before_time_zones_are_read_on_the_platforms_clock(tmp_path):
    """cns0002: a start typed as "18:00" and saved as if UTC is the moment 18:00 in Kyiv, 16:00 UTC in winter."""
    database_url = f"sqlite:///{tmp_path / 'hromada.sqlite3'}"
    instance = tmp_path / "instance"
    assert flask_command("db", "upgrade", "heads", database_url=database_url, instance=instance).returncode == 0
    assert flask_command("demo", database_url=database_url, instance=instance).returncode == 0
    moments = consultation_starts(database_url)
    assert moments, "the demo has scheduled consultations"

    # Back to before the revision: each start is its wall clock in Kyiv again, labelled UTC, as the old
    # forms saved it; upgrading reads it on the platform's clock and gives back the very same moments.
    undone = flask_command("db", "downgrade", "cns0001", database_url=database_url, instance=instance)
    assert undone.returncode == 0, undone.stderr
    typed = consultation_starts(database_url)
    kyiv = ZoneInfo("Europe/Kyiv")
    for row_id, moment in moments.items():
        wall = datetime.fromisoformat(moment).replace(tzinfo=timezone.utc).astimezone(kyiv)
        assert datetime.fromisoformat(typed[row_id]).replace(tzinfo=None) == wall.replace(tzinfo=None)
    redone = flask_command("db", "upgrade", "heads", database_url=database_url, instance=instance)
    assert redone.returncode == 0, redone.stderr
    assert consultation_starts(database_url) == moments
