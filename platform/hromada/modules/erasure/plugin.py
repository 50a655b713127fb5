"""What the erasure module contributes to Hromada (hook implementations)."""

from __future__ import annotations

from hromada.contributions import CommunityLink, ExportTable
from hromada.hookspecs import hookimpl
from hromada.i18n import lazy_gettext as _l


@hookimpl
def hromada_models():
    from hromada.modules.erasure.models import EraseCertificate, EraseRequest

    return [EraseCertificate, EraseRequest]


@hookimpl
def hromada_blueprints():
    from hromada.modules.erasure.blueprint import bp

    return [bp]


@hookimpl
def hromada_jobs():
    from hromada.modules.erasure.jobs import run

    return [run]


@hookimpl
def hromada_cli_commands():
    from hromada.modules.erasure.jobs import erasure_group

    return [erasure_group]


@hookimpl
def hromada_access_rules():
    from hromada.modules.erasure.access import ACCESS_RULES

    return ACCESS_RULES


@hookimpl
def hromada_audit_labels():
    from hromada.modules.erasure.labels import AUDIT_LABELS

    return AUDIT_LABELS


@hookimpl
def hromada_export_tables():
    from hromada.modules.erasure.models import EraseRequest

    return [ExportTable(EraseRequest)]



@hookimpl
def hromada_isolation_arguments(world, arguments):
    from hromada.modules.erasure.testing import matrix_arguments

    for side, values in matrix_arguments(world).items():
        arguments[side].update(values)


@hookimpl
def hromada_community_links():
    return [CommunityLink(_l("Erase the community"), "erasure.index", order=91)]
