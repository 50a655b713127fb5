"""What the export module contributes to Hromada (hook implementations)."""

from __future__ import annotations

from hromada.contributions import CommunityLink, ExportTable
from hromada.hookspecs import hookimpl
from hromada.i18n import lazy_gettext as _l


@hookimpl
def hromada_blueprints():
    from hromada.modules.export.blueprint import bp

    return [bp]


@hookimpl
def hromada_app_ready(app):
    from hromada.modules.export.tables import registered_tables

    app.extensions["hromada.export_tables"] = registered_tables(app)


@hookimpl
def hromada_access_rules():
    from hromada.modules.export.access import ACCESS_RULES

    return ACCESS_RULES


@hookimpl
def hromada_audit_labels():
    from hromada.modules.export.labels import AUDIT_LABELS

    return AUDIT_LABELS


@hookimpl
def hromada_export_tables():
    # The community's own row (its name) is its tenant row: it is named by `id`.
    from hromada.modules.communities.models import Community

    return [ExportTable(Community, tenant_column="id")]



@hookimpl
def hromada_community_links():
    return [CommunityLink(_l("The community's data"), "export.index", order=90)]
