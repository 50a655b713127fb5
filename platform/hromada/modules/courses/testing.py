"""Courses in the isolation matrix: a course of side B, with everything under it.

Side B's member joins the course, is marked present and marks the lesson done,
so that a page that leaked B's participants would show "member-b" or B's
community name ("secret-b1").
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.courses.models import (
    Course,
    CourseModule,
    CourseParticipant,
    CourseSession,
    Lesson,
    LessonCompletion,
    SessionAttendance,
    SessionMode,
)
from hromada.modules.programmes.models import Stage


def build_course(side, *, title: str = "Course of side", sessions: int = 1, lessons: int = 1) -> Course:
    """A course in the first stage of `side`'s programme, with one module; not committed."""
    stage = db.session.scalar(select(Stage).where(Stage.programme_id == side.programme.id).order_by(Stage.position))
    course = Course(organisation_id=side.organisation.id, programme_id=side.programme.id, stage_id=stage.id,
                    title=f"{title} {side.organisation.slug}", description="", position=0)
    module = CourseModule(title="Module one", position=0)
    module.lessons = [Lesson(title=f"Lesson {n}", content=f"Text of lesson {n}.", position=n) for n in range(lessons)]
    course.modules.append(module)
    start = datetime.now(timezone.utc) + timedelta(hours=2)
    for n in range(sessions):
        course.sessions.append(CourseSession(
            starts_at=start + timedelta(days=n), ends_at=start + timedelta(days=n, hours=2), timezone="UTC",
            mode=SessionMode.ONLINE, link=f"https://meet.example.org/secret-{side.organisation.slug[-1]}1-room",
        ))
    db.session.add(course)
    db.session.flush()
    return course


def matrix_arguments(world) -> dict:
    with tenancy.system_scope():
        side = world.b
        course = build_course(side)
        module = course.modules[0]
        lesson, session = module.lessons[0], course.sessions[0]
        community, member = side.communities[0], side.people["member"]
        shared = dict(tenant_id=community.id, organisation_id=side.organisation.id, user_id=member.id)
        db.session.add_all([
            CourseParticipant(course_id=course.id, **shared),
            SessionAttendance(session_id=session.id, attended=True, marked_at=datetime.now(timezone.utc), **shared),
            LessonCompletion(lesson_id=lesson.id, **shared),
        ])
        db.session.commit()
        stage_id = course.stage_id
        arguments = {
            "course_id": course.id, "course_module_id": module.id, "lesson_id": lesson.id,
            "course_session_id": session.id, "programme_id": side.programme.id, "stage_id": stage_id,
        }
    return {"foreign": arguments, "unreachable": {}}
