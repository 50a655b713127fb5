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

from sqlalchemy import case, func, select

from hromada import memo, tenancy
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
from hromada.modules.programmes.stage_settings import stage_setting

SHARE_SETTING = "course_completion_share"
DEFAULT_SHARE = 70


def completion_share(stage: Any) -> int:
    """The stage's `course_completion_share` setting (added by this module), as a percent from 0 to 100."""
    value = stage_setting(stage, SHARE_SETTING)
    if value is None:  # no stage, or a stage type without courses
        value = DEFAULT_SHARE
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
    session_ids: tuple[int, ...] = ()
    lessons: int = 0

    @property
    def sessions(self) -> int:
        return len(self.session_ids)


@dataclass(frozen=True)
class CommunityCompletion:
    """Where one community stands in one course."""

    tenant_id: int
    course_id: int
    members: int
    completed: int
    complete: bool


def course_facts(course_ids: Iterable[int]) -> dict[int, CourseFacts]:
    """The sessions and the number of lessons of each course.

    One query for the sessions, one more for the lessons of courses without sessions
    (only those count lessons); none for courses already asked within a page's memo scope.
    """
    return memo.per_key("courses.facts", course_ids, _read_course_facts)


def _read_course_facts(ids: list[int]) -> dict[int, CourseFacts]:
    sessions: dict[int, list[int]] = {course_id: [] for course_id in ids}
    for session_id, course_id in db.session.execute(
        select(CourseSession.id, CourseSession.course_id).where(CourseSession.course_id.in_(ids))
        .order_by(CourseSession.id)
    ):
        sessions[course_id].append(session_id)
    without_sessions = [course_id for course_id in ids if not sessions[course_id]]
    lessons = dict(db.session.execute(
        select(CourseModule.course_id, func.count(Lesson.id)).join(Lesson, Lesson.module_id == CourseModule.id)
        .where(CourseModule.course_id.in_(without_sessions)).group_by(CourseModule.course_id)
    ).all()) if without_sessions else {}
    return {course_id: CourseFacts(tuple(sessions[course_id]), lessons.get(course_id, 0)) for course_id in ids}


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


def current_members(tenant_ids: Iterable[int]) -> dict[int, set[int]]:
    """community id -> the ids of its current members (one query; none for communities a page already asked)."""
    return memo.per_key("courses.members", tenant_ids, _read_current_members)


def _read_current_members(ids: list[int]) -> dict[int, set[int]]:
    members: dict[int, set[int]] = {tenant_id: set() for tenant_id in ids}
    for tenant_id, user_id in db.session.execute(
        select(CommunityMembership.tenant_id, CommunityMembership.user_id).where(CommunityMembership.tenant_id.in_(ids))
    ):
        members[tenant_id].add(user_id)
    return members


def completed_member_counts(
    courses: Iterable[Course], tenant_ids: Iterable[int], shares: dict[int, int], facts: dict[int, CourseFacts],
    members: dict[int, set[int]] | None = None,
) -> dict[tuple[int, int], int]:
    """(community id, course id) -> how many of its current members completed the course.

    `shares` maps each course's stage id to its `completion_share`; `members` are
    the communities' current members (read here when not given). At most two
    queries: one for courses with sessions, one for courses with lessons only.
    Each lists who completed what; only current members are then counted, here
    rather than through a join, which PostgreSQL plans badly under row-level security.
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
    if not tenants or not (by_sessions or by_lessons):
        return counts
    members = current_members(tenants) if members is None else members
    completions = []
    if by_sessions:
        # The sessions by id, not through a join: PostgreSQL then reads the attendance of just these
        # communities by its tenant index, instead of every attendance of each session.
        course_of = {session_id: course_id for course_id in by_sessions
                     for session_id in facts[course_id].session_ids}
        course = case(course_of, value=SessionAttendance.session_id)
        completions.append(
            select(SessionAttendance.tenant_id, course, SessionAttendance.user_id)
            .where(SessionAttendance.attended.is_(True), SessionAttendance.tenant_id.in_(tenants),
                   SessionAttendance.session_id.in_(sorted(course_of)))
            .group_by(SessionAttendance.tenant_id, course, SessionAttendance.user_id)
            .having(func.count() >= case(by_sessions, value=course, else_=None))
        )
    if by_lessons:
        completions.append(
            select(LessonCompletion.tenant_id, CourseModule.course_id, LessonCompletion.user_id)
            .join(Lesson, Lesson.id == LessonCompletion.lesson_id)
            .join(CourseModule, CourseModule.id == Lesson.module_id)
            .where(LessonCompletion.tenant_id.in_(tenants), CourseModule.course_id.in_(sorted(by_lessons)))
            .group_by(LessonCompletion.tenant_id, CourseModule.course_id, LessonCompletion.user_id)
            .having(func.count() >= case(by_lessons, value=CourseModule.course_id, else_=None))
        )
    for statement in completions:
        for tenant_id, course_id, user_id in db.session.execute(statement):
            if user_id in members.get(tenant_id, ()):
                counts[(tenant_id, course_id)] = counts.get((tenant_id, course_id), 0) + 1
    return counts


def is_complete(course: Course, members: int, completed: int) -> bool:
    if course.completion_rule == CompletionRule.COUNT:
        return completed >= max(course.completion_threshold, 1)
    return members > 0 and completed * 100 >= course.completion_threshold * members


def community_completion(
    courses: list[Course], enrolments: Iterable[Any], stages: Iterable[Any]
) -> dict[tuple[int, int], CommunityCompletion]:
    """(community id, course id) -> CommunityCompletion, for every course and enrolment given.

    `stages` are the stages of the courses (for their completion share). A
    community the current context may not read about is left out. Within a
    page's memo scope (`hromada.memo`) a community's figures are computed once:
    the cohort's column and its stage requirement, or the progress page's section
    and requirement, share them.
    """
    shares = {stage.id: completion_share(stage) for stage in stages}

    def key(tenant_id: int, course: Course) -> tuple[int, int, int]:
        return tenant_id, course.id, shares.get(course.stage_id, DEFAULT_SHARE)

    known = memo.store("courses.completion")
    with reading(enrolments) as tenants:
        if known is None:
            computed = _completion(courses, tenants, shares)
        else:  # only what the page has not asked yet: the tenants and courses with a pair missing
            pairs = [(tenant_id, course) for tenant_id in tenants for course in courses
                     if key(tenant_id, course) not in known]
            missing_tenants = sorted({tenant_id for tenant_id, _ in pairs})
            missing_courses = list({course.id: course for _, course in pairs}.values())
            computed = _completion(missing_courses, missing_tenants, shares) if pairs else {}
    if known is None:
        return computed
    by_id = {course.id: course for course in courses}
    known.update({key(tenant_id, by_id[course_id]): value for (tenant_id, course_id), value in computed.items()})
    return {(tenant_id, course.id): known[key(tenant_id, course)] for tenant_id in tenants for course in courses}


def _completion(courses: list[Course], tenants: list[int], shares: dict[int, int]
                ) -> dict[tuple[int, int], CommunityCompletion]:
    facts = course_facts(course.id for course in courses)
    members = current_members(tenants)
    completed = completed_member_counts(courses, tenants, shares, facts, members)
    result = {}
    for tenant_id in tenants:
        for course in courses:
            done = completed.get((tenant_id, course.id), 0)
            count = len(members.get(tenant_id, ()))
            result[(tenant_id, course.id)] = CommunityCompletion(
                tenant_id, course.id, count, done, is_complete(course, count, done)
            )
    return result
