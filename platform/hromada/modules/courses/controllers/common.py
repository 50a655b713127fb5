"""What the course pages share: rendering with the course helpers, finding a course and its parts
(or 404), and reading the names of the communities a staff member reaches."""

from __future__ import annotations

from flask import abort, render_template, url_for
from sqlalchemy import select

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.audit.log import record
from hromada.modules.communities.models import Community
from hromada.modules.courses.display import session_time, stage_name
from hromada.modules.courses.models import Course, CourseModule, CourseSession, Lesson

HELPERS = {"session_time": session_time, "stage_name": stage_name}


def render(template: str, status: int = 200, **context):
    return render_template(template, **HELPERS, **context), status


def render_read(template: str, status: int = 200, **context):
    """Render a page that read communities' data, then commit the audit entry of that read."""
    page = render(template, status, **context)
    db.session.commit()
    return page


def course_url(course: Course, endpoint: str = "courses.course", **values) -> str:
    return url_for(endpoint, organisation_id=course.organisation_id, programme_id=course.programme_id,
                   course_id=course.id, **values)


# --- Loading organisation data, always through the organisation ------------------


def course_or_404(organisation_id: int, programme_id: int, course_id: int) -> Course:
    course = db.session.scalar(
        select(Course).where(Course.id == course_id, Course.organisation_id == organisation_id,
                             Course.programme_id == programme_id)
    )
    if course is None:
        abort(404)
    return course


def module_or_404(course: Course, module_id: int) -> CourseModule:
    module = db.session.scalar(
        select(CourseModule).where(CourseModule.id == module_id, CourseModule.course_id == course.id)
    )
    if module is None:
        abort(404)
    return module


def lesson_or_404(course: Course, lesson_id: int) -> Lesson:
    lesson = db.session.scalar(
        select(Lesson).join(CourseModule, CourseModule.id == Lesson.module_id)
        .where(Lesson.id == lesson_id, CourseModule.course_id == course.id)
    )
    if lesson is None:
        abort(404)
    return lesson


def session_or_404(course: Course, session_id: int) -> CourseSession:
    session = db.session.scalar(
        select(CourseSession).where(CourseSession.id == session_id, CourseSession.course_id == course.id)
    )
    if session is None:
        abort(404)
    return session


def community_names(tenant_ids: list[int], organisation_id: int, action: str, **details) -> dict[int, str]:
    """Names of communities this staff member reaches, read as the organisation: audited.

    The audit entry is committed by `render_read` once the page is rendered: a
    commit here would expire every loaded object, and reloading them one by one
    would cost a query per community.
    """
    if not tenant_ids:
        return {}
    tenancy.allow_reading(set(tenancy.current().reader_tenants) | set(tenant_ids))
    record(action, organisation_id=organisation_id, communities=sorted(tenant_ids), **details)
    return dict(db.session.execute(select(Community.id, Community.name).where(Community.id.in_(tenant_ids))).all())
