"""The demo's courses: the first catalogue course of Riverside Yard Circle's stage, with two sessions held
(attendance marked) and two coming, its two people joined and some lessons read. Dates relative to today,
sessions at 18:00 on Kyiv's clock."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from hromada.clock import now, today
from hromada.extensions import db
from hromada.modules.communities.models import Enrolment
from hromada.modules.courses import catalogue
from hromada.modules.courses.models import (
    Course, CourseParticipant, CourseSession, LessonCompletion, SessionAttendance, SessionMode,
)
from hromada.modules.programmes.models import Programme, Stage

SESSION_DAYS = (-21, -7, 5, 19)
ZONE = "Europe/Kyiv"
# handle: (sessions attended of those held, lessons read)
PARTICIPANTS = {"sova": (2, 3), "lys": (1, 1)}


def add_demo_courses(communities: dict, people: dict) -> None:
    riverside = communities.get("Riverside Yard Circle")
    enrolment = riverside and db.session.scalar(select(Enrolment).where(Enrolment.tenant_id == riverside.id))
    operator = people.get("olena-operator")
    if enrolment is None or enrolment.current_stage_id is None or operator is None:
        return
    programme, stage = db.session.get(Programme, enrolment.programme_id), db.session.get(Stage, enrolment.current_stage_id)
    templates = catalogue.templates_for(stage.stage_type)
    if not templates:
        return
    try:
        course = catalogue.instantiate(templates[0], programme, stage)
    except catalogue.AlreadyInstantiated as already:
        course = db.session.get(Course, already.course_id)
    if course is None or db.session.scalar(select(CourseSession.id).where(CourseSession.course_id == course.id)):
        return
    shared = {"tenant_id": riverside.id, "organisation_id": enrolment.organisation_id}
    sessions = []
    for number, days in enumerate(SESSION_DAYS):
        starts = datetime.combine(today() + timedelta(days=days), time(18, 0), ZoneInfo(ZONE)).astimezone(ZoneInfo("UTC"))
        sessions.append(CourseSession(
            course_id=course.id, starts_at=starts, ends_at=starts + timedelta(hours=2), timezone=ZONE,
            mode=SessionMode.ONLINE, link=f"https://meet.example.org/riverside-course-{number + 1}", capacity=30,
        ))
    db.session.add_all(sessions)
    db.session.flush()
    held = [session for session in sessions if session.starts_at < now()]
    lessons = [lesson for module in course.modules for lesson in module.lessons]
    for handle, (attended, read) in PARTICIPANTS.items():
        user = people[handle]
        db.session.add(CourseParticipant(course_id=course.id, user_id=user.id,
                                         joined_at=now() - timedelta(days=30), **shared))
        for index, session in enumerate(held):
            db.session.add(SessionAttendance(session_id=session.id, user_id=user.id, attended=index < attended,
                                             marked_by_id=operator.id, marked_at=session.ends_at, **shared))
        for lesson in lessons[:read]:
            db.session.add(LessonCompletion(lesson_id=lesson.id, user_id=user.id, **shared))
    db.session.flush()
