"""What the courses module contributes to Hromada (hook implementations)."""

from __future__ import annotations

from sqlalchemy import select

from hromada import memo
from hromada.contributions import (
    CommunityLink,
    CohortColumn,
    NavItem,
    Outcome,
    ProgrammeLink,
    ProgressSection,
    Requirement,
    StageSetting,
)
from hromada.extensions import db
from hromada.hookspecs import hookimpl
from hromada.i18n import lazy_gettext as _l

REQUIREMENT_KEY = "courses.required"
WHOLE_NUMBER = _l("Enter a whole number.")


@hookimpl
def hromada_models():
    from hromada.modules.courses.models import (
        Course,
        CourseModule,
        CourseParticipant,
        CourseSession,
        Lesson,
        LessonCompletion,
        SessionAttendance,
    )

    return [Course, CourseModule, Lesson, CourseSession, CourseParticipant, SessionAttendance, LessonCompletion]


@hookimpl
def hromada_blueprints():
    from hromada.modules.courses.blueprint import bp

    return [bp]


@hookimpl
def hromada_jobs():
    from hromada.modules.courses.jobs import session_reminders

    return [session_reminders]


@hookimpl
def hromada_cli_commands():
    from hromada.modules.courses.jobs import courses_group

    return [courses_group]


@hookimpl
def hromada_stage_settings_fields(stage_type):
    # The share applies to every stage type that offers courses; this module is what reads it.
    if not any(activity.kind == "course" for activity in stage_type.activities):
        return []
    from wtforms import IntegerField
    from wtforms.validators import InputRequired, NumberRange

    from hromada.modules.courses.completion import DEFAULT_SHARE, SHARE_SETTING

    return [StageSetting(SHARE_SETTING, IntegerField(
        _l("Share of members who complete the courses (percent)"),
        description=_l("The stage's courses count as completed when this share of the community's members "
                       "has finished them."),
        default=DEFAULT_SHARE,
        validators=[InputRequired(message=WHOLE_NUMBER), NumberRange(min=0, max=100, message=_l("Between 0 and 100."))],
        invalid_value_message=WHOLE_NUMBER,
    ))]


def _stage_courses(stage_ids) -> list:
    """Every course of these stages, in their order; one query, shared within a page's memo scope."""
    by_stage = memo.per_key("courses.of_stage", stage_ids, _read_stage_courses)
    return sorted((course for courses in by_stage.values() for course in courses),
                  key=lambda course: (course.position, course.id))


def _read_stage_courses(stage_ids: list[int]) -> dict[int, list]:
    from hromada.modules.courses.models import Course

    found: dict[int, list] = {stage_id: [] for stage_id in stage_ids}
    for course in db.session.scalars(select(Course).where(Course.stage_id.in_(stage_ids))):
        found[course.stage_id].append(course)
    return found


def _required_courses(stage_ids) -> list:
    return [course for course in _stage_courses(stage_ids) if course.required]


def evaluate_required_courses(stage, enrolments) -> dict[int, Outcome]:
    """Met when the community completed every required course of the stage (see `courses.completion`)."""
    from hromada.modules.courses.completion import community_completion

    courses = _required_courses([stage.id])
    completion = community_completion(courses, enrolments, [stage]) if courses and enrolments else {}
    outcomes = {}
    for enrolment in enrolments:
        still_open = [
            course.title for course in courses
            if not getattr(completion.get((enrolment.tenant_id, course.id)), "complete", False)
        ]
        outcomes[enrolment.id] = (
            Outcome(met=True) if not still_open
            else Outcome(met=False, reason=_l("Courses still open: %(courses)s", courses=", ".join(still_open)))
        )
    return outcomes


@hookimpl
def hromada_stage_requirements(stage):
    if not _required_courses([stage.id]):
        return []  # a stage without required courses asks nothing of communities here
    return [Requirement(key=REQUIREMENT_KEY, label=_l("Required courses completed"),
                        evaluate=evaluate_required_courses)]


def cohort_completion(enrolments) -> dict[int, int | None]:
    """Enrolment id -> percent of its current stage's required courses the community completed.

    None when the enrolment has no current stage, or its stage no required course.
    A fixed number of queries, whatever the number of enrolments.
    """
    from hromada.modules.courses.completion import community_completion
    from hromada.modules.programmes.models import Stage

    stage_ids = sorted({e.current_stage_id for e in enrolments if e.current_stage_id is not None})
    courses = _required_courses(stage_ids)
    values: dict[int, int | None] = {e.id: None for e in enrolments}
    if not courses:
        return values
    # The stages are in the session already on the cohort page (no query then).
    stages = [stage for stage_id in stage_ids if (stage := db.session.get(Stage, stage_id)) is not None]
    completion = community_completion(courses, enrolments, stages)
    by_stage: dict[int, list] = {}
    for course in courses:
        by_stage.setdefault(course.stage_id, []).append(course)
    for enrolment in enrolments:
        stage_courses = by_stage.get(enrolment.current_stage_id)
        if not stage_courses:
            continue
        done = sum(
            1 for course in stage_courses
            if getattr(completion.get((enrolment.tenant_id, course.id)), "complete", False)
        )
        values[enrolment.id] = round(100 * done / len(stage_courses))
    return values


@hookimpl
def hromada_cohort_columns(programme, enrolments):
    return [CohortColumn(key="courses.completion", label=_l("Course completion"),
                         values=cohort_completion(list(enrolments)), kind="percent")]


@hookimpl
def hromada_progress_sections(enrolment, stage, viewer):
    """The community's courses in its current stage, its completion and the next sessions."""
    from hromada import authz
    from hromada.modules.courses.completion import community_completion
    from hromada.modules.courses.display import session_time
    from hromada.modules.courses.models import CourseParticipant
    from hromada.modules.courses.util import upcoming_sessions

    if stage is None:
        return []
    courses = _stage_courses([stage.id])
    if not courses:
        return []
    completion = community_completion(courses, [enrolment], [stage])
    joined: set[int] = set()
    user_id = getattr(viewer, "id", None)
    if user_id is not None and enrolment.tenant_id in authz.principal().memberships:
        joined = set(db.session.scalars(
            select(CourseParticipant.course_id).where(
                CourseParticipant.tenant_id == enrolment.tenant_id, CourseParticipant.user_id == user_id,
                CourseParticipant.course_id.in_([course.id for course in courses]))
        ))
    return [ProgressSection(
        key="courses", title=_l("Courses"), template="courses/_progress.html", order=30,
        context={
            "courses": courses, "completion": completion, "joined": joined, "community_id": enrolment.tenant_id,
            "upcoming": upcoming_sessions(course.id for course in courses), "session_time": session_time,
        },
    )]


@hookimpl
def hromada_navigation(user):
    from hromada import authz
    from hromada.modules.accounts.models import StaffRole

    if user is None or not user.is_authenticated:
        return []
    principal = authz.principal()
    items = [
        NavItem(label=_l("Courses"), endpoint="courses.organisation_courses", order=40,
                values={"organisation_id": organisation_id})
        for organisation_id, roles in sorted(principal.staff.items())
        if roles & {StaffRole.OPERATOR, StaffRole.FACILITATOR}
    ]
    if len(principal.memberships) == 1 and not items:
        (community_id,) = principal.memberships
        items.append(NavItem(label=_l("Courses"), endpoint="courses.community_courses", order=15,
                             values={"community_id": community_id}))
    return items


@hookimpl
def hromada_programme_links():
    return [ProgrammeLink(_l("Courses"), "courses.programme_courses", "courses.mark_attendance", order=20)]


@hookimpl
def hromada_access_rules():
    from hromada.modules.courses.access import ACCESS_RULES

    return ACCESS_RULES


@hookimpl
def hromada_audit_labels():
    from hromada.modules.courses.labels import AUDIT_LABELS

    return AUDIT_LABELS


@hookimpl
def hromada_isolation_arguments(world, arguments):
    from hromada.modules.courses.testing import matrix_arguments

    for side, values in matrix_arguments(world).items():
        arguments[side].update(values)


@hookimpl
def hromada_community_links():
    return [CommunityLink(_l("Courses"), "courses.community_courses", order=20)]


@hookimpl
def hromada_export_tables():
    from hromada.contributions import ExportTable
    from hromada.modules.courses.models import CourseParticipant, LessonCompletion, SessionAttendance

    return [ExportTable(CourseParticipant), ExportTable(SessionAttendance), ExportTable(LessonCompletion)]


@hookimpl
def hromada_demo_data(communities, people):
    from hromada.modules.courses.demo import add_demo_courses

    add_demo_courses(communities, people)
