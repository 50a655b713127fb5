"""The plugin module named by the `hromada` entry point: one hook implementation each."""

from hromada.plugin_api import AccessRule, ExportTable, NavItem, PackageResources, StageType, can, hookimpl
from hromada.plugin_api import lazy_gettext as _l

# The translation and migration folders of this package, as ready hook implementations.
resources = PackageResources(__package__)
hromada_translation_folders = resources.hromada_translation_folders
hromada_migration_folders = resources.hromada_migration_folders


@hookimpl
def hromada_stage_types():
    return [
        StageType(
            key="study_visit",
            title=_l("Study visit"),
            description=_l(
                "Communities visit another community to learn from it: how it is organised, "
                "how it makes decisions and how it works with its town. Each visit ends with a report."
            ),
        )
    ]


@hookimpl
def hromada_models():
    from hromada_study_visits.models import StudyVisit

    return [StudyVisit]


@hookimpl
def hromada_blueprints():
    from hromada_study_visits.blueprint import bp

    return [bp]


@hookimpl
def hromada_jobs():
    from hromada_study_visits.jobs import count_report_words

    return [count_report_words]


@hookimpl
def hromada_access_rules():
    # Members of a community see their communities' visits; nobody else has any to see.
    return [AccessRule("study_visits.view", lambda principal, _target: bool(principal.memberships))]


@hookimpl
def hromada_navigation(user):
    if user is not None and user.is_authenticated and can("study_visits.view"):
        return [NavItem(label=_l("Study visits"), endpoint="study_visits.index", order=50)]
    return []


@hookimpl
def hromada_export_tables():
    from hromada_study_visits.models import StudyVisit

    return [ExportTable(StudyVisit)]
