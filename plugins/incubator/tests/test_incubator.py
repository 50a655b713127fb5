"""The incubator plugin: its stage type, its translations and its migration branch."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from alembic.util import to_tuple
from flask_babel import force_locale

import hromada_incubator
from hromada import create_app

KEY = "incubator"
TITLE = "Incubator: creating and preserving communities"


@pytest.fixture
def plugin_app(monkeypatch, tmp_path):
    # No data is needed: an in-memory database and this plugin alone.
    monkeypatch.setenv("HROMADA_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "HROMADA_PLUGINS": [KEY]})
    with app.app_context():
        yield app


def test_the_stage_type_is_registered_with_its_title_and_description(plugin_app):
    stage_type = plugin_app.extensions["hromada.stage_types"][KEY]
    with plugin_app.test_request_context():
        assert str(stage_type.title) == TITLE
        assert len(str(stage_type.description)) > 40


@pytest.mark.parametrize("locale", ["uk", "ru", "be"])
def test_the_stage_type_is_translated(plugin_app, locale):
    # Needs the compiled catalogs: `make translations`.
    stage_type = plugin_app.extensions["hromada.stage_types"][KEY]
    with plugin_app.test_request_context():
        english = str(stage_type.title), str(stage_type.description)
        with force_locale(locale):
            translated = str(stage_type.title), str(stage_type.description)
    assert translated[0] != english[0] and translated[1] != english[1]


def test_the_migration_branch_starts_in_this_package_after_the_core(plugin_app):
    script = ScriptDirectory.from_config(plugin_app.extensions["migrate"].migrate.get_config())
    # The branch's first revision: later ones inherit its label.
    (first,) = [r for r in script.walk_revisions() if KEY in r.branch_labels and r.down_revision is None]
    assert "core0001" in to_tuple(first.dependencies)
    assert Path(first.path).is_relative_to(Path(hromada_incubator.__file__).parent / "migrations" / "versions")
