"""A community's course pages: the courses of its current stages, a course with its sessions and
lessons, a lesson; its members join a course and mark lessons done.

Staff who support the community read the same pages (`@requires` lets them read it,
audited) but take no part: only members get the join and lesson-done buttons, and the
member's own progress.
"""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from hromada import authz
from hromada.clock import as_utc, now
from hromada.extensions import db
from hromada.modules.communities.models import Community, Enrolment
from hromada.modules.courses import participation
from hromada.modules.courses.completion import community_completion, completion_share, sessions_needed
from hromada.modules.courses.controllers.common import lesson_or_404, render
from hromada.modules.courses.forms import EmptyForm
from hromada.modules.courses.markdown import render_markdown
from hromada.modules.courses.models import (
    Course,
    CourseModule,
    CourseParticipant,
    CourseSession,
    Lesson,
    LessonCompletion,
    SessionAttendance,
)
from hromada.modules.courses.operations import Unchanged
from hromada.modules.courses.util import (
    community_enrolments,
    current_courses,
    is_current,
    reachable_course,
    upcoming_sessions,
)
from hromada.modules.programmes.models import Stage


def _reachable(community_id: int, course_id: int) -> tuple[Course, Enrolment]:
    found = reachable_course(community_id, course_id)
    if found is None:
        abort(404)
    return found


def _my_progress(tenant_id: int, courses: list[Course]) -> dict[int, dict]:
    """The signed-in member's own standing in each course: joined, sessions attended, lessons done."""
    ids = [course.id for course in courses]
    result = {course_id: {"joined": False, "attended": 0, "done": set()} for course_id in ids}
    if not ids or tenant_id not in authz.principal().memberships:
        return result
    user_id = current_user.id
    for (course_id,) in db.session.execute(
        select(CourseParticipant.course_id).where(CourseParticipant.tenant_id == tenant_id,
                                                 CourseParticipant.user_id == user_id,
                                                 CourseParticipant.course_id.in_(ids))
    ):
        result[course_id]["joined"] = True
    for course_id, count in db.session.execute(
        select(CourseSession.course_id, func.count())
        .join(SessionAttendance, SessionAttendance.session_id == CourseSession.id)
        .where(SessionAttendance.tenant_id == tenant_id, SessionAttendance.user_id == user_id,
               SessionAttendance.attended.is_(True), CourseSession.course_id.in_(ids))
        .group_by(CourseSession.course_id)
    ):
        result[course_id]["attended"] = count
    for course_id, lesson_id in db.session.execute(
        select(CourseModule.course_id, LessonCompletion.lesson_id)
        .join(Lesson, Lesson.id == LessonCompletion.lesson_id)
        .join(CourseModule, CourseModule.id == Lesson.module_id)
        .where(LessonCompletion.tenant_id == tenant_id, LessonCompletion.user_id == user_id,
               CourseModule.course_id.in_(ids))
    ):
        result[course_id]["done"].add(lesson_id)
    return result


def community_courses(community_id: int):
    community = db.get_or_404(Community, community_id)
    enrolments = community_enrolments(community.id)
    courses = current_courses(enrolments)
    stages = [e.current_stage for e in enrolments if e.current_stage is not None]
    completion = community_completion(courses, enrolments, stages) if courses else {}
    mine = _my_progress(community.id, courses)
    upcoming = upcoming_sessions(course.id for course in courses)
    return render(
        "courses/community_courses.html", community=community, enrolments=enrolments, courses=courses,
        completion=completion, mine=mine, upcoming=upcoming,
        can_participate=authz.can("courses.participate", community.id), form=EmptyForm(),
    )


def community_course(community_id: int, course_id: int):
    community = db.get_or_404(Community, community_id)
    course, enrolment = _reachable(community.id, course_id)
    modules = db.session.scalars(
        select(CourseModule).options(selectinload(CourseModule.lessons))
        .where(CourseModule.course_id == course.id).order_by(CourseModule.position, CourseModule.id)
    ).all()
    stage = db.session.get(Stage, course.stage_id)
    completion = community_completion([course], [enrolment], [stage]).get((community.id, course.id))
    mine = _my_progress(community.id, [course])[course.id]
    sessions = db.session.scalars(
        select(CourseSession).where(CourseSession.course_id == course.id).order_by(CourseSession.starts_at)
    ).all()
    share = completion_share(stage)
    moment = now()
    return render(
        "courses/community_course.html", community=community, course=course, stage=stage, modules=modules,
        completion=completion, mine=mine, sessions=[(s, as_utc(s.ends_at) < moment) for s in sessions],
        needed=sessions_needed(share, len(sessions)) if sessions else None,
        current=is_current(course, enrolment),
        can_participate=authz.can("courses.participate", community.id), form=EmptyForm(),
    )


def join_course(community_id: int, course_id: int):
    course, enrolment = _reachable(community_id, course_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        joined = participation.join_course(course, enrolment, current_user)
    except Unchanged as unchanged:
        flash(unchanged.message, "error")
    else:
        if joined:
            flash(_("You joined the course."), "info")
        else:
            flash(_("You are a participant of this course already."), "info")
    return redirect(url_for("courses.community_course", community_id=community_id, course_id=course.id))


def lesson(community_id: int, course_id: int, lesson_id: int):
    community = db.get_or_404(Community, community_id)
    course, enrolment = _reachable(community.id, course_id)
    lesson = lesson_or_404(course, lesson_id)
    module = db.session.get(CourseModule, lesson.module_id)
    done = False
    if community.id in authz.principal().memberships:
        done = db.session.scalar(
            select(LessonCompletion.id).where(LessonCompletion.tenant_id == community.id,
                                              LessonCompletion.lesson_id == lesson.id,
                                              LessonCompletion.user_id == current_user.id)
        ) is not None
    return render(
        "courses/lesson.html", community=community, course=course, module=module, lesson=lesson,
        content=render_markdown(lesson.content), done=done, current=is_current(course, enrolment),
        can_participate=authz.can("courses.participate", community.id), form=EmptyForm(),
    )


def lesson_done(community_id: int, course_id: int, lesson_id: int):
    course, enrolment = _reachable(community_id, course_id)
    lesson = lesson_or_404(course, lesson_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        participation.mark_lesson_done(course, enrolment, lesson, current_user)
    except Unchanged as unchanged:
        flash(unchanged.message, "error")
    else:
        flash(_("Lesson marked as done."), "info")
    return redirect(url_for("courses.lesson", community_id=community_id, course_id=course.id, lesson_id=lesson.id))
