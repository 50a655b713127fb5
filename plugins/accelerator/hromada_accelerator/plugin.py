"""Registers the accelerator stage type and this package's folders with Hromada."""

from hromada.plugin_api import PackageResources, StageType, hookimpl
from hromada.plugin_api import lazy_gettext as _l
from hromada_accelerator.settings import ACTIVITIES

resources = PackageResources(__package__)
hromada_translation_folders = resources.hromada_translation_folders
hromada_migration_folders = resources.hromada_migration_folders
hromada_template_folders = resources.hromada_template_folders


@hookimpl
def hromada_stage_types():
    return [
        StageType(
            key="accelerator",
            title=_l("Accelerator: strategic development of communities and initiatives"),
            description=_l(
                'A school of community-development facilitators; values, vision, mission and strategic goals worked out with a facilitator; a funded coordination meeting that produces the operational plan; the course "Politics for communities"; expert consultations, scholarships and the community\'s manifesto.'
            ),
            activities=ACTIVITIES,
        )
    ]


@hookimpl
def hromada_course_templates():
    from hromada_accelerator.catalogue import COURSE_TEMPLATES

    return list(COURSE_TEMPLATES)


@hookimpl
def hromada_consultation_topics():
    from hromada_accelerator.topics import CONSULTATION_TOPICS

    return list(CONSULTATION_TOPICS)
