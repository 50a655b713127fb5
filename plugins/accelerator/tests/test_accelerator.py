"""The accelerator plugin: its stage type, its translations and its migration branch."""

from __future__ import annotations

import pytest

import hromada_accelerator
from hromada.testing import stage_plugin

KEY = "accelerator"
TITLE = "Accelerator: strategic development of communities and initiatives"


@pytest.fixture
def plugin_app(monkeypatch, tmp_path):
    app = stage_plugin.plugin_app(monkeypatch, tmp_path, KEY)
    with app.app_context():
        yield app


def test_the_stage_type_is_registered_with_its_title_and_description(plugin_app):
    stage_plugin.assert_stage_type(plugin_app, KEY, TITLE)


@pytest.mark.parametrize("locale", ["uk", "ru", "be"])
def test_the_stage_type_is_translated(plugin_app, locale):
    stage_plugin.assert_stage_type_translated(plugin_app, KEY, locale)


def test_the_migration_branch_starts_in_this_package_after_the_core(plugin_app):
    stage_plugin.assert_migration_branch(plugin_app, KEY, hromada_accelerator)
