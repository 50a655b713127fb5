"""The core's import graph: the import-linter contracts in pyproject.toml are kept.

No package or module of the core imports another in a circle. The few imports the
contract ignores are named here too, so that none of them quietly becomes more than
it is allowed to be.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]


def test_lint_imports_keeps_every_contract():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


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
