"""What a plugin imports: the hook marker, the contribution types and helpers.

    from hromada.plugin_api import PackageResources, StageType, hookimpl
    from hromada.plugin_api import lazy_gettext as _l  # escaped on pages, unlike Flask-Babel's
"""

from __future__ import annotations

from importlib.resources import files

from hromada.authz import Principal, public, requires
from hromada.contributions import AccessRule, NavItem, StageType
from hromada.extensions import db
from hromada.hookspecs import hookimpl
from hromada.i18n import lazy_gettext
from hromada.jobs import job
from hromada.tenancy import SharedWithOrganisation, TenantOwned
from hromada.tenancy.rls import disable_row_level_security, enable_row_level_security

__all__ = [
    "AccessRule",
    "NavItem",
    "PackageResources",
    "Principal",
    "SharedWithOrganisation",
    "StageType",
    "TenantOwned",
    "db",
    "disable_row_level_security",
    "enable_row_level_security",
    "hookimpl",
    "job",
    "lazy_gettext",
    "public",
    "requires",
]


class PackageResources:
    """The folders every plugin package ships, offered as ready hook implementations.

    A plugin module binds the ones it has, so that no plugin repeats this code:

        resources = PackageResources(__package__)
        hromada_translation_folders = resources.hromada_translation_folders
        hromada_migration_folders = resources.hromada_migration_folders
    """

    def __init__(self, package: str):
        self.root = files(package)

    def path(self, *parts: str) -> str:
        return str(self.root.joinpath(*parts))

    @hookimpl
    def hromada_translation_folders(self) -> list[str]:
        return [self.path("translations")]

    @hookimpl
    def hromada_migration_folders(self) -> list[str]:
        return [self.path("migrations", "versions")]

    @hookimpl
    def hromada_template_folders(self) -> list[str]:
        return [self.path("templates")]
