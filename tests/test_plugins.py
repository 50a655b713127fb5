"""Finding and loading plugins: what an operator and a plugin author see when it goes right or wrong.

These tests need no data, so each builds its app on an in-memory SQLite database
instead of running on both backends.
"""

from __future__ import annotations

import subprocess
import sys
import types
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

import pytest

from hromada import create_app
from hromada.contributions import StageType
from hromada.hookspecs import hookimpl
from hromada.plugins import PluginLoadError

REPOSITORY = Path(__file__).resolve().parents[1]
FIRST_PARTY_TITLES = {
    "incubator": "Incubator: creating and preserving communities",
    "accelerator": "Accelerator: strategic development of communities and initiatives",
    "civic_course": "Civic course: becoming a political actor",
}


@pytest.fixture
def make_app(monkeypatch, tmp_path):
    monkeypatch.setenv("HROMADA_INSTANCE_PATH", str(tmp_path))

    def make(plugins):
        return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "HROMADA_PLUGINS": plugins})

    return make


@pytest.fixture
def install(monkeypatch):
    """Make `module` look installed under entry point `name`, beside the real plugins."""
    import hromada.plugins

    real = hromada.plugins.installed_plugins()

    def install(name: str, module: types.ModuleType | None = None, value: str | None = None) -> None:
        if module is not None:
            monkeypatch.setitem(sys.modules, module.__name__, module)
        entry_point = EntryPoint(name=name, value=value or module.__name__, group="hromada")
        real.append(entry_point)
        monkeypatch.setattr(hromada.plugins, "installed_plugins", lambda: sorted(real, key=lambda ep: ep.name))

    return install


def plugin_module(name: str, **hooks) -> types.ModuleType:
    module = types.ModuleType(name)
    for hook_name, function in hooks.items():
        setattr(module, hook_name, hookimpl(function))
    return module


def test_first_party_plugins_are_found_by_their_entry_points():
    names = {entry_point.name for entry_point in entry_points(group="hromada")}
    assert {"incubator", "accelerator", "civic_course"} <= names


def test_each_first_party_stage_type_is_registered_with_its_title(make_app):
    app = make_app(list(FIRST_PARTY_TITLES))
    stage_types = app.extensions["hromada.stage_types"]
    with app.test_request_context():
        assert {key: str(stage_types[key].title) for key in FIRST_PARTY_TITLES} == FIRST_PARTY_TITLES


def test_the_allow_list_limits_what_loads(make_app):
    app = make_app(["incubator"])
    pm = app.extensions["hromada.plugins"]
    assert pm.has_plugin("incubator") and not pm.has_plugin("accelerator")
    stage_types = app.extensions["hromada.stage_types"]
    assert "incubator" in stage_types and "accelerator" not in stage_types


def test_an_allowed_plugin_that_is_not_installed_stops_the_app(make_app):
    with pytest.raises(PluginLoadError, match="not installed: no_such_plugin"):
        make_app(["incubator", "no_such_plugin"])


def test_a_plugin_that_fails_to_import_stops_the_app(make_app, install):
    install("broken", value="no_such_module_xyz")
    with pytest.raises(PluginLoadError, match=r"'broken' \(no_such_module_xyz\) failed to load: ModuleNotFoundError"):
        make_app(["broken"])


def test_a_misspelt_hook_stops_the_app(make_app, install):
    install("misspelt", plugin_module("misspelt_plugin", hromada_stage_type=lambda: []))
    with pytest.raises(PluginLoadError, match="implements an unknown hook") as failure:
        make_app(["misspelt"])
    assert "hromada_stage_type" in str(failure.value)


def test_two_plugins_with_the_same_stage_type_stop_the_app(make_app, install):
    copy = StageType(key="incubator", title="Another incubator", description="")
    install("copycat", plugin_module("copycat_plugin", hromada_stage_types=lambda: [copy]))
    with pytest.raises(PluginLoadError, match="Two plugins define the stage type 'incubator'"):
        make_app(["incubator", "copycat"])


def test_the_platform_folder_does_not_shadow_the_standard_library():
    # The repository's platform/ sits where `python -c` looks first; `import platform` must still be the stdlib's.
    result = subprocess.run(
        [sys.executable, "-c", "import platform; print(platform.system())"],
        cwd=REPOSITORY, capture_output=True, text=True, timeout=60,
    )
    assert result.stdout.strip() == "Linux", result.stderr
