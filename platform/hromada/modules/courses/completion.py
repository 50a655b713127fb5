"""Who completed a course: each member, and each community.

The rule (also shown to operators on the course form):

- **A member** of a community completes a course that has sessions when they
  attended at least the stage's share of its sessions: the stage setting
  `course_completion_share` (percent, default 70), rounded up to a whole
  number of sessions and at least one. With 4 sessions and 70 %, that is 3.
  A course without sessions is completed by a member who marked every one of
  its lessons done. A course with neither sessions nor lessons is completed by
  nobody (an operator adds content, or makes the course optional).
- **A community** completes a course by its `completion_rule`:
  "share": the members who completed it make at least `completion_threshold`
  percent of the community's members (its `CommunityMembership` rows; a
  community without members completes nothing); "count": at least
  `completion_threshold` of its members completed it.

Only current members count: attendance of a person who has left the community
no longer counts for it.

Everything is computed for many communities and courses at once, with a fixed
number of grouped queries (never one per member, community or course).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

from sqlalchemy import and_, case, func, select

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.accounts.models import CommunityMembership
from hromada.modules.courses.models import (
    CompletionRule,
    Course,
    CourseModule,
    CourseSession,
    Lesson,
    LessonCompletion,
    SessionAttendance,
)

DEFAULT_SHARE = 70


def completion_share(stage: Any) -> int:
    """The stage's `course_completion_share` setting, as a percent from 0 to 100."""
    value = (getattr(stage, "settings", None) or {}).get("course_completion_share", DEFAULT_SHARE)
    try:
        value = int(value)
    except (TypeError, ValueError):
        value = DEFAULT_SHARE
    return min(max(value, 0), 100)


def sessions_needed(share: int, sessions: int) -> int:
    """How many of `sessions` a member attends to complete the course."""
    return max(1, math.ceil(share * sessions / 100))


@dataclass(frozen=True)
class CourseFacts:
    sessions: int = 0
    lessons: int = 0


@dataclass(frozen=True)
class CommunityCompletion:
    """Where one community stands in one course."""

    tenant_id: int
    course_id: int
    members: int
    completed: int
    complete: bool


def course_facts(course_ids: Iterable[int]) -> dict[int, CourseFacts]:
    """Number of sessions and of lessons of each course: two grouped queries."""
    ids = sorted(set(course_ids))
    if not ids:
        return {}
    sessions = dict(db.session.execute(
        select(CourseSession.course_id, func.count()).where(CourseSession.course_id.in_(ids))
        .group_by(CourseSession.course_id)
    ).all())
    lessons = dict(db.session.execute(
        select(CourseModule.course_id, func.count(Lesson.id)).join(Lesson, Lesson.module_id == CourseModule.id)
        .where(CourseModule.course_id.in_(ids)).group_by(CourseModule.course_id)
    ).all())
    return {course_id: CourseFacts(sessions.get(course_id, 0), lessons.get(course_id, 0)) for course_id in ids}


@contextmanager
def reading(enrolments: Iterable[Any]) -> Iterator[list[int]]:
    """Read the membership and progress rows of the communities of `enrolments`.

    Yields the ids of those communities the current context may read about:
    its own tenant or readers, and the communities enrolled with the current
    organisation. Only aggregates are read with it (counts, never names).
    """
    context = tenancy.current()
    readable = set(context.readable_tenants())
    tenants = sorted({
        enrolment.tenant_id
        for enrolment in enrolments
        if context.system
        or enrolment.tenant_id in readable
        or (context.organisation_id is not None and enrolment.organisation_id == context.organisation_id)
    })
    if set(tenants) <= readable or context.system:
        yield tenants
        return
    with tenancy.scope(reader_tenants=frozenset(context.reader_tenants | set(tenants))):
        yield tenants


def member_counts(tenant_ids: Iterable[int]) -> dict[int, int]:
    ids = sorted(set(tenant_ids))
    if not ids:
        return {}
    return dict(db.session.execute(
        select(CommunityMembership.tenant_id, func.count()).where(CommunityMembership.tenant_id.in_(ids))
        .group_by(CommunityMembership.tenant_id)
    ).all())


def _is_member():
    return and_(CommunityMembership.tenant_id == SessionAttendance.tenant_id,
                CommunityMembership.user_id == SessionAttendance.user_id)


def completed_member_counts(
    courses: Iterable[Course], tenant_ids: Iterable[int], shares: dict[int, int], facts: dict[int, CourseFacts]
) -> dict[tuple[int, int], int]:
    """(community id, course id) -> how many of its current members completed the course.

    `shares` maps each course's stage id to its `completion_share`. At most two
    queries: one for courses with sessions, one for courses with lessons only.
    """
    tenants = sorted(set(tenant_ids))
    by_sessions: dict[int, int] = {}
    by_lessons: dict[int, int] = {}
    for course in courses:
        fact = facts.get(course.id, CourseFacts())
        if fact.sessions:
            by_sessions[course.id] = sessions_needed(shares.get(course.stage_id, DEFAULT_SHARE), fact.sessions)
        elif fact.lessons:
            by_lessons[course.id] = fact.lessons
    counts: dict[tuple[int, int], int] = {}
    if not tenants:
        return counts
    if by_sessions:
        per_member = (
            select(SessionAttendance.tenant_id, CourseSession.course_id, SessionAttendance.user_id)
            .join(CourseSession, CourseSession.id == SessionAttendance.session_id)
            .join(CommunityMembership, _is_member())
            .where(
                SessionAttendance.attended.is_(True),
                SessionAttendance.tenant_id.in_(tenants),
                CourseSession.course_id.in_(sorted(by_sessions)),
            )
            .group_by(SessionAttendance.tenant_id, CourseSession.course_id, SessionAttendance.user_id)
            .having(func.count() >= case(by_sessions, value=CourseSession.course_id, else_=None))
            .subquery()
        )
        counts.update(_count_per_course(per_member))
    if by_lessons:
        per_member = (
            select(LessonCompletion.tenant_id, CourseModule.course_id, LessonCompletion.user_id)
            .join(Lesson, Lesson.id == LessonCompletion.lesson_id)
            .join(CourseModule, CourseModule.id == Lesson.module_id)
            .join(CommunityMembership, and_(CommunityMembership.tenant_id == LessonCompletion.tenant_id,
                                            CommunityMembership.user_id == LessonCompletion.user_id))
            .where(LessonCompletion.tenant_id.in_(tenants), CourseModule.course_id.in_(sorted(by_lessons)))
            .group_by(LessonCompletion.tenant_id, CourseModule.course_id, LessonCompletion.user_id)
            .having(func.count() >= case(by_lessons, value=CourseModule.course_id, else_=None))
            .subquery()
        )
        counts.update(_count_per_course(per_member))
    return counts


def _count_per_course(per_member) -> dict[tuple[int, int], int]:
    rows = db.session.execute(
        select(per_member.c.tenant_id, per_member.c.course_id, func.count())
        .group_by(per_member.c.tenant_id, per_member.c.course_id)
    )
    return {(tenant_id, course_id): count for tenant_id, course_id, count in rows}


def is_complete(course: Course, members: int, completed: int) -> bool:
    if course.completion_rule == CompletionRule.COUNT:
        return completed >= max(course.completion_threshold, 1)
    return members > 0 and completed * 100 >= course.completion_threshold * members


def community_completion(
    courses: list[Course], enrolments: Iterable[Any], stages: Iterable[Any]
) -> dict[tuple[int, int], CommunityCompletion]:
    """(community id, course id) -> CommunityCompletion, for every course and enrolment given.

    `stages` are the stages of the courses (for their completion share). A
    community the current context may not read about is left out.
    """
    shares = {stage.id: completion_share(stage) for stage in stages}
    facts = course_facts(course.id for course in courses)
    with reading(enrolments) as tenants:
        members = member_counts(tenants)
        completed = completed_member_counts(courses, tenants, shares, facts)
    result = {}
    for tenant_id in tenants:
        for course in courses:
            done = completed.get((tenant_id, course.id), 0)
            count = members.get(tenant_id, 0)
            result[(tenant_id, course.id)] = CommunityCompletion(
                tenant_id, course.id, count, done, is_complete(course, count, done)
            )
    return result
