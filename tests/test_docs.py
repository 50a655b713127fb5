"""docs/plugins.md documents every hook with its exact signature (as datasette's tests/test_docs.py does).

A hook added to hromada/hookspecs.py without documentation, or whose signature
changes, fails here; so does documentation of a hook that no longer exists.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from hromada import hookspecs

PLUGIN_DOCS = Path(__file__).resolve().parents[1] / "docs" / "plugins.md"


def hook_specs() -> dict:
    # pluggy marks each spec with a `<project>_spec` attribute.
    return {name: value for name, value in vars(hookspecs).items() if hasattr(value, "hromada_spec")}


def rendered_signature(function) -> str:
    """`name(param: Annotation) -> Return`, annotations as written in the source.

    The module uses `from __future__ import annotations`, so annotations are the
    source strings; `str(inspect.signature(...))` would quote them.
    """
    signature = inspect.signature(function)
    parameters = []
    for parameter in signature.parameters.values():
        text = parameter.name
        if parameter.annotation is not inspect.Parameter.empty:
            text += f": {parameter.annotation}"
        if parameter.default is not inspect.Parameter.empty:
            text += f" = {parameter.default!r}"
        parameters.append(text)
    returns = signature.return_annotation
    arrow = "" if returns is inspect.Signature.empty else f" -> {returns}"
    return f"{function.__name__}({', '.join(parameters)}){arrow}"


def documented_hooks() -> set[str]:
    hooks_section = PLUGIN_DOCS.read_text(encoding="utf-8").split("\n## Hooks\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^### (hromada_\w+)$", hooks_section, flags=re.MULTILINE))


def test_signatures_render_as_in_the_source():
    assert rendered_signature(hookspecs.hromada_navigation) == "hromada_navigation(user: Any) -> list[NavItem]"
    assert rendered_signature(hookspecs.hromada_app_ready) == "hromada_app_ready(app: Flask) -> None"


@pytest.mark.parametrize("name", sorted(hook_specs()))
def test_every_hook_is_documented_with_its_signature(name):
    signature = rendered_signature(hook_specs()[name])
    assert f"\n{signature}\n" in PLUGIN_DOCS.read_text(encoding="utf-8"), (
        f"docs/plugins.md must document {name} under '## Hooks' with its signature:\n{signature}"
    )


def test_the_hooks_section_has_one_heading_per_hook_and_no_more():
    assert documented_hooks() == set(hook_specs())
