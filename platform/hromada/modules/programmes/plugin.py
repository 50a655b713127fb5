"""The programmes module's contributions: tables, pages and navigation entries."""

from __future__ import annotations

from hromada.hookspecs import hookimpl
from hromada.modules.programmes.models import Application, Programme, Stage


@hookimpl
def hromada_models():
    return [Programme, Stage, Application]


@hookimpl
def hromada_blueprints():
    from hromada.modules.programmes.blueprint import bp

    return [bp]


@hookimpl
def hromada_navigation(user):
    from hromada.modules.programmes.navigation import entries_for

    return entries_for(user)


@hookimpl
def hromada_access_rules():
    from hromada.modules.programmes.access import ACCESS_RULES

    return ACCESS_RULES


@hookimpl
def hromada_audit_labels():
    from hromada.modules.programmes.labels import AUDIT_LABELS

    return AUDIT_LABELS


@hookimpl
def hromada_app_ready(app):
    from hromada.modules.programmes.stage_settings import compose_stage_settings
    from hromada.modules.questionnaires.texts import shown

    app.extensions["hromada.stage_settings"] = compose_stage_settings(app)
    # A programme's title, description or call text in the reader's language, as questions are shown.
    app.jinja_env.globals.update(programme_text=shown)


@hookimpl
def hromada_isolation_arguments(world, arguments):
    from hromada.modules.programmes.testing import matrix_arguments

    for side, values in matrix_arguments(world).items():
        arguments[side].update(values)


@hookimpl
def hromada_export_tables():
    from hromada.contributions import ExportTable
    from hromada.modules.programmes.models import Application

    return [ExportTable(Application)]
