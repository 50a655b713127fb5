"""The architecture, checked rather than reviewed: the import-linter contracts in pyproject.toml.

They keep the plugins (and the example) to `hromada.plugin_api`, the core away from
every plugin, and the core's packages and modules free of import circles. Plugins'
`tests/` folders are not packages, so import-linter does not see them: their import
lines are read here. The few imports the circle contract ignores are checked too, so
that none of them quietly becomes more than it is allowed to be.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import grimp
import pytest

import hromada.plugin_api

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PLUGIN_FOLDERS = sorted([*ROOT.glob("plugins/*"), *ROOT.glob("examples/*")])
# What a plugin's tests may import from the core, besides the plugin API.
TEST_SURFACE = ("hromada.plugin_api", "hromada.testing")


def lint_imports(config: Path, cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    environment = None if pythonpath is None else {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run([str(LINT_IMPORTS), "--config", str(config), "--no-cache"], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_the_contracts_hold():
    result = lint_imports(ROOT / "pyproject.toml", ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_plugin_that_imports_the_core_breaks_the_contract(tmp_path):
    """The contract as written in pyproject.toml, applied to a plugin that reaches into a module."""
    rogue = tmp_path / "hromada_rogue"
    rogue.mkdir()
    (rogue / "__init__.py").write_text("")
    (rogue / "fine.py").write_text("from hromada.plugin_api import StageType\n")
    (rogue / "plugin.py").write_text("from hromada.modules.courses.models import Course\n")
    contract = next(c for c in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
                    if c["id"] == "plugins-use-plugin-api")
    config = tmp_path / "contracts.toml"
    config.write_text(textwrap.dedent(f"""\
        [tool.importlinter]
        root_packages = ["hromada", "hromada_rogue"]

        [[tool.importlinter.contracts]]
        name = "rogue"
        type = "{contract['type']}"
        source_modules = ["hromada_rogue"]
        forbidden_modules = {contract['forbidden_modules']!r}
        allow_indirect_imports = {str(contract['allow_indirect_imports']).lower()}
        ignore_imports = ["hromada_rogue.** -> hromada.plugin_api"]
        """).replace("'", '"'))
    result = lint_imports(config, tmp_path, pythonpath=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "hromada_rogue.plugin -> hromada.modules.courses.models" in result.stdout
    assert "hromada_rogue.fine" not in result.stdout


def core_imports(path: Path) -> list[str]:
    """Every `hromada...` module a file imports, wherever the import statement stands."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return [name for name in found if name == "hromada" or name.startswith("hromada.")]


@pytest.mark.parametrize("folder", PLUGIN_FOLDERS, ids=lambda folder: folder.name)
def test_plugins_tests_import_only_the_plugin_api_and_the_testing_helpers(folder):
    test_files = sorted((folder / "tests").glob("**/*.py"))
    assert test_files, f"{folder} has no tests"
    outside = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in test_files
        for name in core_imports(path)
        if not any(name == allowed or name.startswith(allowed + ".") for allowed in TEST_SURFACE)
    }
    assert not outside, sorted(outside)


def test_every_name_of_the_plugin_api_is_documented():
    documented = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    missing = [name for name in hromada.plugin_api.__all__ if f"`{name}`" not in documented]
    assert not missing, f"docs/plugins.md does not document {missing}"


def test_models_named_across_modules_are_imported_for_type_checking_only():
    """A model may name a model of a module that builds on its own (a relationship), never import it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    ignored = [line for contract in config["contracts"] for line in contract.get("ignore_imports", [])]
    between_models = [line.split(" -> ") for line in ignored if line.startswith("hromada.modules.")]
    assert between_models and all(importer.endswith(".models") for importer, _ in between_models)

    run_time = grimp.build_graph("hromada", exclude_type_checking_imports=True, cache_dir=None)
    imported_when_run = [(importer, imported) for importer, imported in between_models
                         if run_time.direct_import_exists(importer=importer, imported=imported)]
    assert imported_when_run == []
