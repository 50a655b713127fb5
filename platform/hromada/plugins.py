"""Loads the core's own plugins and the installed ones into a pluggy manager.

Built-in features register through the same manager as outside plugins (as in
datasette and pytest), so there is one way to contribute a page, a model or a job.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from itertools import chain
from typing import Any, Iterable

import pluggy

from hromada import hookspecs

ENTRY_POINT_GROUP = "hromada"

# The core's features that have the shape of a plugin.
DEFAULT_PLUGINS = (
    "hromada.modules.home.plugin",
    "hromada.modules.accounts.plugin",
    "hromada.modules.audit.plugin",
    "hromada.modules.organisations.plugin",
    "hromada.modules.questionnaires.plugin",
    "hromada.modules.programmes.plugin",
    "hromada.modules.communities.plugin",
    "hromada.modules.notifications.plugin",
    "hromada.modules.progress.plugin",
    "hromada.modules.courses.plugin",
    "hromada.modules.events.plugin",
    "hromada.modules.confidential.plugin",
    "hromada.modules.consultations.plugin",
    "hromada.modules.decisions.plugin",
    "hromada.modules.action_plans.plugin",
    "hromada.modules.export.plugin",
    "hromada.modules.erasure.plugin",
    "hromada.modules.scholarships.plugin",
    "hromada.modules.factors.plugin",
    "hromada.modules.recovery.plugin",
    "hromada.modules.health.plugin",
    "hromada.jobs.plugin",
    "hromada.demo.plugin",
)


class PluginLoadError(RuntimeError):
    """A plugin could not be loaded; the app must not start without it."""


def installed_plugins() -> list:
    """Entry points of every installed plugin, sorted by name."""
    return sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)


def make_plugin_manager(allow: Iterable[str] | None = None) -> pluggy.PluginManager:
    """Build a manager with the core's plugins and the installed ones.

    `allow` is an allow-list of plugin names (`HROMADA_PLUGINS`); `None` loads
    every installed plugin. A name on the list that is not installed, a plugin
    that raises on import and a hook implementation that matches no spec all
    raise `PluginLoadError` with a message that says which plugin and why.
    """
    pm = pluggy.PluginManager("hromada")
    pm.add_hookspecs(hookspecs)
    for module_name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(module_name), name=module_name)

    allowed = None if allow is None else set(allow)
    for entry_point in installed_plugins():
        if allowed is not None and entry_point.name not in allowed:
            continue
        try:
            plugin = entry_point.load()
        except Exception as exc:  # any import error stops the app, with its cause
            raise PluginLoadError(
                f"Plugin {entry_point.name!r} ({entry_point.value}) failed to load: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        pm.register(plugin, name=entry_point.name)

    if allowed is not None:
        missing = sorted(allowed - {ep.name for ep in installed_plugins()})
        if missing:
            raise PluginLoadError(
                "HROMADA_PLUGINS names plugins that are not installed: " + ", ".join(missing)
            )
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginLoadError(f"Plugin {pm.get_name(exc.plugin)!r} implements an unknown hook: {exc}") from exc
    return pm


def collect(pm: pluggy.PluginManager, hook_name: str, **kwargs: Any) -> list:
    """Call a list-collecting hook and flatten what every plugin returned."""
    results = getattr(pm.hook, hook_name)(**kwargs)
    return list(chain.from_iterable(result or () for result in reversed(results)))

