"""The main navigation, gathered from every plugin."""

from __future__ import annotations

from flask import current_app, g

from hromada.plugins import collect


def navigation_for(user=None) -> list:
    if "hromada_navigation" not in g:
        pm = current_app.extensions["hromada.plugins"]
        items = collect(pm, "hromada_navigation", user=user)
        g.hromada_navigation = sorted(items, key=lambda item: item.order)
    return g.hromada_navigation


def safe_next(target: str | None) -> str | None:
    """A path on this site to go back to; never an absolute or scheme-relative URL."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None
