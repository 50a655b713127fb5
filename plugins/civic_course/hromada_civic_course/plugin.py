"""Registers the civic course stage type and this package's folders with Hromada."""

from hromada.plugin_api import CommunityLink, PackageResources, StageType, hookimpl, stage_reached
from hromada.plugin_api import lazy_gettext as _l
from hromada_civic_course.settings import ACTIVITIES
# Scholarship calls: the artefacts applications link to, and who may apply (kept in their own module).
from hromada_civic_course.scholarships import hromada_artefact_kinds, hromada_scholarship_eligibility  # noqa: F401

resources = PackageResources(__package__)
hromada_translation_folders = resources.hromada_translation_folders
hromada_migration_folders = resources.hromada_migration_folders
hromada_template_folders = resources.hromada_template_folders


@hookimpl
def hromada_stage_types():
    return [
        StageType(
            key="civic_course",
            title=_l("Civic course: becoming a political actor"),
            short_title=_l("Civic course"),
            description=_l(
                'Lectures on how groups change states; meetings that find the problems of a town or region and produce change maps with action plans; strategic sessions, scholarships, legal and electoral consultations, and internships abroad.'
            ),
            activities=ACTIVITIES,
        )
    ]


@hookimpl
def hromada_course_templates():
    from hromada_civic_course.catalogue import COURSE_TEMPLATES

    return list(COURSE_TEMPLATES)


@hookimpl
def hromada_consultation_topics():
    from hromada_civic_course.topics import CONSULTATION_TOPICS

    return list(CONSULTATION_TOPICS)


# --- Problem-finding meetings and change maps ---------------------------------------------


@hookimpl
def hromada_models():
    from hromada_civic_course.maps.models import ChangeMap, ChangeMapVersion, MapComment, MapShare, Stakeholder
    from hromada_civic_course.meetings.models import Problem, ProblemDots, ProblemMeeting
    from hromada_civic_course.internships.models import (
        HostOrganisation,
        InternshipApplication,
        LogbookEntry,
        Placement,
    )
    from hromada_civic_course.sessions.models import SessionOutcome, StrategicSession

    return [ProblemMeeting, Problem, ProblemDots, ChangeMap, Stakeholder, ChangeMapVersion, StrategicSession,
            SessionOutcome, HostOrganisation, Placement, InternshipApplication, LogbookEntry, MapComment, MapShare]


@hookimpl
def hromada_blueprints():
    from hromada_civic_course.maps.sharing_views import bp as cohort
    from hromada_civic_course.maps.views import bp as maps
    from hromada_civic_course.meetings.views import bp as meetings
    from hromada_civic_course.internships.community_views import bp as internships
    from hromada_civic_course.internships.operator_views import bp as placements
    from hromada_civic_course.sessions.views import bp as sessions

    return [meetings, maps, cohort, sessions, internships, placements]


@hookimpl
def hromada_access_rules():
    from hromada_civic_course.access import ACCESS_RULES

    return list(ACCESS_RULES)


@hookimpl
def hromada_progress_sections(enrolment, stage, viewer):
    from hromada_civic_course.progress import civic_section

    return civic_section(enrolment, stage)


@hookimpl(trylast=True)  # B's programme gains a civic course stage: after the modules that read its stages
def hromada_isolation_arguments(world, arguments):
    from hromada_civic_course.testing import matrix_arguments

    for side, values in matrix_arguments(world).items():
        arguments[side].update(values)


@hookimpl
def hromada_decision_subjects():
    from hromada_civic_course.maps.versions import CHANGE_MAP

    return [CHANGE_MAP]


@hookimpl
def hromada_audit_labels():
    from hromada_civic_course.maps.sharing import AUDIT_LABELS as SHARING
    from hromada_civic_course.maps.versions import AUDIT_LABELS as MAPS
    from hromada_civic_course.internships.operations import AUDIT_LABELS as INTERNSHIPS
    from hromada_civic_course.meetings.views import AUDIT_LABELS as MEETINGS
    from hromada_civic_course.sessions.views import AUDIT_LABELS as SESSIONS

    return {**MEETINGS, **MAPS, **SHARING, **SESSIONS, **INTERNSHIPS}


@hookimpl
def hromada_programme_links(programme):
    from hromada_civic_course.internships.links import programme_links

    return programme_links(programme)


@hookimpl
def hromada_stage_settings_fields(stage_type):
    from hromada_civic_course.requirements import settings_fields

    return settings_fields(stage_type)


@hookimpl
def hromada_stage_requirements(stage):
    from hromada_civic_course.requirements import requirements_for

    return requirements_for(stage)


@hookimpl
def hromada_cohort_columns(programme, enrolments):
    from hromada_civic_course.requirements import cohort_columns

    return cohort_columns(programme, enrolments)


@hookimpl
def hromada_demo_data(communities, people):
    from hromada_civic_course.demo import seed_civic_course

    seed_civic_course(communities, people)


@hookimpl
def hromada_community_links(community_id):
    from hromada_civic_course.maps.sharing import cohort_programmes

    # The cohort's shared maps: for every community of a programme with a civic course stage, whatever its stage.
    cohort = [CommunityLink(_l("Change maps shared in the cohort"), "civic_cohort.cohort", order=64)]
    if not stage_reached(community_id, "civic_course"):
        return cohort if cohort_programmes(community_id) else []
    return cohort + [CommunityLink(_l("Problem-finding meetings"), "civic_meetings.meetings", order=60),
            CommunityLink(_l("Change maps"), "civic_maps.maps", order=61),
            CommunityLink(_l("Strategic sessions"), "civic_sessions.sessions", order=62),
            CommunityLink(_l("Internships abroad"), "civic_internships.internships", order=63)]


@hookimpl
def hromada_export_tables():
    from hromada_civic_course.export import EXPORT_TABLES

    return EXPORT_TABLES


@hookimpl
def hromada_scale_data(scale):
    from hromada_civic_course.scale import seed_scale

    seed_scale(scale)
