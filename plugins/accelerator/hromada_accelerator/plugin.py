"""Registers the accelerator stage type and this package's folders with Hromada."""

from hromada.plugin_api import (
    CommunityLink,
    PackageResources,
    ProgressSection,
    StageType,
    current_principal,
    hookimpl,
    stage_reached,
)
from hromada.plugin_api import lazy_gettext as _l
from hromada_accelerator.settings import ACTIVITIES
# Scholarship calls: the artefacts applications link to, and who may apply (kept in their own module).
from hromada_accelerator.scholarships import hromada_artefact_kinds, hromada_scholarship_eligibility  # noqa: F401

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
            short_title=_l("Accelerator"),
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


# --- The charter (hromada_accelerator.charter) -------------------------------------------


@hookimpl
def hromada_models():
    from hromada_accelerator.charter import models
    from hromada_accelerator.manifesto.models import ManifestoComment, ManifestoRevision
    from hromada_accelerator.meeting.models import CoordinationMeeting
    from hromada_accelerator.strategy import models as strategy

    return [CoordinationMeeting, models.CharterValue, models.CharterPrinciple, models.CharterRule, models.CharterRuleValue,
            models.DecidingRule, models.CharterVersion, ManifestoRevision, ManifestoComment,
            strategy.StrategyDraft, strategy.StrategicGoal, strategy.StrategyComment, strategy.StrategyVersion]


@hookimpl
def hromada_blueprints():
    from hromada_accelerator.charter.views import bp as charter
    from hromada_accelerator.manifesto.views import bp as manifesto
    from hromada_accelerator.meeting.views import bp as meeting
    from hromada_accelerator.strategy.views import bp as strategy

    return [charter, manifesto, strategy, meeting]


@hookimpl
def hromada_access_rules():
    from hromada_accelerator.charter.access import ACCESS_RULES as CHARTER
    from hromada_accelerator.manifesto.access import ACCESS_RULES as MANIFESTO
    from hromada_accelerator.meeting.access import ACCESS_RULES as MEETING
    from hromada_accelerator.strategy.access import ACCESS_RULES as STRATEGY

    return CHARTER + MANIFESTO + STRATEGY + MEETING


@hookimpl
def hromada_audit_labels():
    from hromada_accelerator.charter.labels import AUDIT_LABELS

    return AUDIT_LABELS


@hookimpl
def hromada_decision_subjects():
    from hromada_accelerator.charter.subject import CHARTER
    from hromada_accelerator.manifesto.subject import MANIFESTO
    from hromada_accelerator.strategy.subject import STRATEGY

    return [CHARTER, MANIFESTO, STRATEGY]


@hookimpl
def hromada_stage_settings_fields(stage_type):
    from hromada_accelerator.requirements import settings_fields

    return settings_fields(stage_type)


@hookimpl
def hromada_stage_requirements(stage):
    from hromada_accelerator.requirements import requirements_for

    return requirements_for(stage)


@hookimpl
def hromada_cohort_columns(programme, enrolments):
    from hromada_accelerator.requirements import cohort_columns

    return cohort_columns(programme, enrolments)


@hookimpl
def hromada_decision_rule(community_id):
    from hromada_accelerator.charter.draft import deciding_rule

    return deciding_rule(community_id)


@hookimpl
def hromada_progress_sections(enrolment, stage, viewer):
    from hromada_accelerator.charter.draft import adopted_version
    from hromada_accelerator.manifesto import revisions
    from hromada_accelerator.meeting.requirement import meeting_section
    from hromada_accelerator.strategy.draft import adopted_version as adopted_strategy

    if stage is None or stage.stage_type != "accelerator":
        return []
    community_id = enrolment.tenant_id
    programmes = None if community_id in current_principal().memberships else [enrolment.programme_id]
    manifesto_state, proposal = revisions.states([community_id])[community_id]
    if programmes is not None and proposal is not None and proposal.programme_id not in programmes:
        manifesto_state, proposal = revisions.DRAFT, None  # a decision the members kept to themselves
    return [
        ProgressSection("accelerator.charter", _l("Charter"), "accelerator_charter/_progress.html",
                        {"adopted": adopted_version(community_id, programmes), "community_id": community_id}, order=25),
        ProgressSection("accelerator.strategy", _l("Strategy"), "accelerator_strategy/_progress.html",
                        {"adopted": adopted_strategy(community_id, programmes), "community_id": community_id},
                        order=26),
        meeting_section(enrolment),
        ProgressSection("accelerator.manifesto", _l("Manifesto"), "accelerator_manifesto/_progress.html",
                        {"state": manifesto_state, "proposal": proposal, "community_id": community_id,
                         # Nothing adopted at all: no query for the version in force.
                         "adopted": revisions.adopted(community_id, programmes)
                         if manifesto_state == revisions.ADOPTED else None}, order=27),
    ]


@hookimpl
def hromada_isolation_arguments(world, arguments):
    from hromada_accelerator.charter.testing import matrix_arguments as charter
    from hromada_accelerator.manifesto.testing import matrix_arguments as manifesto
    from hromada_accelerator.meeting.testing import matrix_arguments as meeting
    from hromada_accelerator.strategy.testing import matrix_arguments as strategy

    for found in (charter(world), manifesto(world), strategy(world), meeting(world)):
        for side, values in found.items():
            arguments[side].update(values)


@hookimpl
def hromada_demo_data(communities, people):
    from hromada_accelerator.charter.demo import seed_charter
    from hromada_accelerator.manifesto.demo import seed_manifestos
    from hromada_accelerator.meeting.demo import seed_meeting
    from hromada_accelerator.strategy.demo import seed_strategy

    seed_charter(communities, people)
    seed_strategy(communities, people)
    seed_meeting(communities, people)
    seed_manifestos(communities, people)


@hookimpl
def hromada_community_links(community_id):
    # The charter's rule of how the community decides holds in every stage; the rest is the accelerator's
    # work, linked once the community has reached the stage and kept after it moves on.
    links = [CommunityLink(_l("Charter"), "accelerator_charter.charter", order=50)]
    if stage_reached(community_id, "accelerator"):
        links += [CommunityLink(_l("Strategy"), "accelerator_strategy.strategy", order=51),
                  CommunityLink(_l("Coordination meeting"), "accelerator_meeting.meeting", order=52),
                  CommunityLink(_l("Manifesto"), "accelerator_manifesto.manifesto", order=53)]
    return links


@hookimpl
def hromada_export_tables():
    from hromada_accelerator.export import EXPORT_TABLES

    return EXPORT_TABLES


@hookimpl
def hromada_scale_data(scale):
    from hromada_accelerator.scale import seed_scale

    seed_scale(scale)
