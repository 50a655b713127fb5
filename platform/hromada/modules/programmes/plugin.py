"""The programmes module's contributions: tables, pages and navigation entries."""

from __future__ import annotations

from hromada.hookspecs import hookimpl
from hromada.modules.programmes.models import Application, ApplicationQuestion, Programme, Stage


@hookimpl
def hromada_models():
    return [Programme, Stage, ApplicationQuestion, Application]


@hookimpl
def hromada_blueprints():
    from hromada.modules.programmes.blueprint import bp

    return [bp]


@hookimpl
def hromada_navigation(user):
    from hromada.modules.programmes.navigation import entries_for

    return entries_for(user)
