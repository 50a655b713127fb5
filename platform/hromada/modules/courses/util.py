"""Reads that the course pages, the operations and the module's hooks share: what a community
reaches, what a staff member reaches, a programme's stages, a course's participants and sessions."""

from __future__ import annotations

from typing import Iterable

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased, joinedload

from hromada.clock import now
from hromada.extensions import db
from hromada.modules.accounts.models import StaffRole
from hromada.modules.communities.models import Enrolment
from hromada.modules.communities.visibility import enrolments_in_view
from hromada.modules.courses.models import Course, CourseParticipant, CourseSession, SessionAttendance
from hromada.modules.programmes.models import Programme, Stage
from hromada.modules.progress.standings.by_name import communities_by_name
from hromada.modules.progress.standings.model import CohortStanding
from hromada.paging import Page


def stages_of(programme: Programme) -> list[Stage]:
    return db.session.scalars(
        select(Stage).where(Stage.programme_id == programme.id).order_by(Stage.position)
    ).all()


def next_course_position(stage_id: int) -> int:
    """Where a new course of the stage goes: after the last one."""
    last = db.session.scalar(select(func.max(Course.position)).where(Course.stage_id == stage_id))
    return 0 if last is None else last + 1


# --- What a community reaches ----------------------------------------------------


def community_enrolments(tenant_id: int) -> list[Enrolment]:
    """The community's enrolments the person may see, with their current stages, in one query."""
    return db.session.scalars(
        select(Enrolment).options(joinedload(Enrolment.current_stage), joinedload(Enrolment.programme))
        .where(enrolments_in_view(tenant_id)).order_by(Enrolment.id)
    ).all()


def current_courses(enrolments: Iterable[Enrolment]) -> list[Course]:
    """The courses of the current stage of each enrolment, in stage order."""
    stage_ids = sorted({e.current_stage_id for e in enrolments if e.current_stage_id is not None})
    if not stage_ids:
        return []
    return db.session.scalars(
        select(Course).where(Course.stage_id.in_(stage_ids)).order_by(Course.stage_id, Course.position, Course.id)
    ).all()


def reachable_course(tenant_id: int, course_id: int) -> tuple[Course, Enrolment] | None:
    """A course the community may open: one of its programme, in its current or an earlier stage."""
    current_stage = aliased(Stage)
    row = db.session.execute(
        select(Course, Enrolment)
        .join(Enrolment, and_(Enrolment.programme_id == Course.programme_id,
                              Enrolment.organisation_id == Course.organisation_id))
        .join(Stage, Stage.id == Course.stage_id)
        .join(current_stage, current_stage.id == Enrolment.current_stage_id)
        .where(Course.id == course_id, Enrolment.tenant_id == tenant_id, Stage.position <= current_stage.position)
    ).first()
    return None if row is None else (row[0], row[1])


def is_current(course: Course, enrolment: Enrolment) -> bool:
    """Whether the course belongs to the community's current stage (an earlier stage's is read-only)."""
    return course.stage_id == enrolment.current_stage_id


def upcoming_sessions(course_ids: Iterable[int], limit_per_course: int = 3) -> dict[int, list[CourseSession]]:
    """The next sessions (not yet ended) of each course, in one query."""
    ids = sorted(set(course_ids))
    result: dict[int, list[CourseSession]] = {course_id: [] for course_id in ids}
    if not ids:
        return result
    for session in db.session.scalars(
        select(CourseSession).where(CourseSession.course_id.in_(ids), CourseSession.ends_at > now())
        .order_by(CourseSession.starts_at, CourseSession.id)
    ):
        if len(result[session.course_id]) < limit_per_course:
            result[session.course_id].append(session)
    return result


# --- What a staff member reaches -------------------------------------------------


PAGE_SIZE = 50
# The staff roles that mark attendance and follow courses in the communities they reach.
REACHING = frozenset({StaffRole.OPERATOR, StaffRole.FACILITATOR})


def reached_communities_page(programme: Programme, principal, number: int, *,
                             joined: Course | None = None) -> Page:
    """The enrolments of the programme's communities `principal` reaches as operator or facilitator, 50 a page
    by name (`Page.rows`); with `joined`, only those with someone in that course. Three queries whatever the
    size of the programme.

    The names and the order come from the cohort's read model (`communities_by_name`); an operator reaches
    every community of the organisation, a facilitator those assigned to them (a short list).
    """
    among = None
    if not principal.operates(programme.organisation_id):
        among = [community_id for community_id, by_organisation in principal.staff_reach().items()
                 if REACHING & by_organisation.get(programme.organisation_id, set())]
    where = None
    if joined is not None:
        where = select(CourseParticipant.id).where(
            CourseParticipant.course_id == joined.id, CourseParticipant.tenant_id == CohortStanding.tenant_id,
            CourseParticipant.organisation_id == joined.organisation_id).exists()
    page = communities_by_name(programme, number, PAGE_SIZE, among=among, where=where)
    ids = [row.enrolment_id for row in page.rows]
    found = {enrolment.id: enrolment for enrolment in db.session.scalars(
        select(Enrolment).where(Enrolment.id.in_(ids)))} if ids else {}
    return Page(rows=[found[i] for i in ids if i in found], number=page.number, pages=page.pages,
                matching=page.matching)


def participants_of(course: Course, tenant_ids: Iterable[int]) -> list[CourseParticipant]:
    ids = sorted(set(tenant_ids))
    if not ids:
        return []
    return db.session.scalars(
        select(CourseParticipant)
        .where(CourseParticipant.course_id == course.id, CourseParticipant.tenant_id.in_(ids),
               CourseParticipant.organisation_id == course.organisation_id)
        .order_by(CourseParticipant.tenant_id, CourseParticipant.id)
    ).all()


def attendance_of(session: CourseSession, tenant_ids: Iterable[int]) -> dict[tuple[int, int], bool]:
    """(community id, person id) -> attended, of the session's marks in these communities."""
    ids = sorted(set(tenant_ids))
    if not ids:
        return {}
    return {(tenant_id, user_id): attended for tenant_id, user_id, attended in db.session.execute(
        select(SessionAttendance.tenant_id, SessionAttendance.user_id, SessionAttendance.attended)
        .where(SessionAttendance.session_id == session.id, SessionAttendance.tenant_id.in_(ids)))}
