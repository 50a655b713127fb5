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
