"""Registers the incubator stage type and this package's folders with Hromada."""

from hromada.plugin_api import CommunityLink, PackageResources, StageType, hookimpl, stage_reached
from hromada.plugin_api import lazy_gettext as _l
from hromada_incubator.settings import ACTIVITIES

resources = PackageResources(__package__)
hromada_translation_folders = resources.hromada_translation_folders
hromada_migration_folders = resources.hromada_migration_folders
hromada_template_folders = resources.hromada_template_folders


@hookimpl
def hromada_stage_types():
    return [
        StageType(
            key="incubator",
            title=_l("Incubator: creating and preserving communities"),
            short_title=_l("Incubator"),
            description=_l(
                'Courses on soft skills and emotional resilience and on what a community is, networking between participants, psychological-support and security consultations, and a security audit of the community.'
            ),
            activities=ACTIVITIES,
        )
    ]


@hookimpl
def hromada_course_templates():
    from hromada_incubator.catalogue import COURSE_TEMPLATES

    return list(COURSE_TEMPLATES)


@hookimpl
def hromada_consultation_topics():
    from hromada_incubator.topics import CONSULTATION_TOPICS

    return list(CONSULTATION_TOPICS)


# --- The security audit (hromada_incubator.audit) ----------------------------------------


@hookimpl
def hromada_models():
    from hromada_incubator.audit.models import AuditFinding, SecurityAudit

    return [SecurityAudit, AuditFinding]


@hookimpl
def hromada_blueprints():
    from hromada_incubator.audit.views import bp

    return [bp]


@hookimpl
def hromada_access_rules():
    from hromada_incubator.audit.access import ACCESS_RULES

    return ACCESS_RULES


@hookimpl
def hromada_stage_requirements(stage):
    from hromada_incubator.audit.requirement import requirements_for

    return requirements_for(stage)


@hookimpl
def hromada_progress_sections(enrolment, stage, viewer):
    from hromada_incubator.audit.requirement import progress_sections

    return progress_sections(enrolment, stage)


@hookimpl
def hromada_audit_labels():
    from hromada_incubator.audit.labels import AUDIT_LABELS

    return AUDIT_LABELS


@hookimpl(trylast=True)  # the audit hangs off a consultation the consultations module made
def hromada_isolation_arguments(world, arguments):
    from hromada_incubator.audit.testing import add_audit_to

    add_audit_to(arguments["foreign"]["consultation_id"], marker="secret-b1",
                 expert_id=world.b.people["expert"].id)
    add_audit_to(arguments["unreachable"]["consultation_id"], marker="secret-a2",
                 expert_id=world.a.people["expert"].id)


@hookimpl
def hromada_community_links(community_id):
    if not stage_reached(community_id, "incubator"):
        return []
    return [CommunityLink(_l("Security audit"), "incubator_audit.index", order=45)]


@hookimpl
def hromada_export_tables():
    from hromada_incubator.export import EXPORT_TABLES

    return EXPORT_TABLES


@hookimpl(trylast=True)  # the audit hangs off a security consultation the consultations module's demo made
def hromada_demo_data(communities, people):
    from hromada_incubator.demo import add_demo_audit

    add_demo_audit(communities, people)
