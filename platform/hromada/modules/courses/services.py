"""What changes courses: instantiating a template, joining, lessons done, attendance.

Each write that a double submit could repeat is an insert that does nothing (or
an upsert) on the table's unique key, so that running it twice, or twice at
once, leaves the same rows as running it once. Nothing here commits.
"""

from __future__ import annotations

from typing import Any, Iterable

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload

from hromada import tenancy
from hromada.clock import now
from hromada.extensions import db
from hromada.i18n import LANGUAGE_NAMES
from hromada.modules.communities.activity import record_activity
from hromada.modules.communities.models import Enrolment
from hromada.modules.communities.visibility import enrolments_in_view
from hromada.modules.courses.models import (
    Course,
    CourseModule,
    CourseParticipant,
    CourseSession,
    Lesson,
    LessonCompletion,
    SessionAttendance,
)
from hromada.modules.programmes.models import Programme, Stage
from hromada.plugins import collect


def _insert(model):
    """A Core INSERT into the model's table that understands ON CONFLICT, on PostgreSQL and SQLite.

    Core, not ORM: the row's tenant and organisation are given explicitly (from the
    context and the course), and `rowcount` says whether a row was added.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model.__table__)


# --- The catalogue ---------------------------------------------------------------


def templates_for(stage_type: str) -> list:
    """The course templates that plugins offer for a stage type, in the order they come."""
    return [
        template
        for template in collect(current_app.extensions["hromada.plugins"], "hromada_course_templates")
        if template.stage_type == stage_type
    ]


def programme_language(programme: Programme) -> str:
    """The programme's first language (colleagues add `Programme.languages`), else English."""
    languages = getattr(programme, "languages", None) or []
    return languages[0] if languages and languages[0] in LANGUAGE_NAMES else "en"


class AlreadyInstantiated(Exception):
    """The template is already a course of this stage."""

    def __init__(self, course_id: int | None):
        super().__init__(course_id)
        self.course_id = course_id


def next_position(stage_id: int) -> int:
    last = db.session.scalar(select(func.max(Course.position)).where(Course.stage_id == stage_id))
    return 0 if last is None else last + 1


def distinct_titles(titles: Iterable[str]) -> list[str]:
    """Titles cut to 200 characters, a repeated one numbered: titles are unique within their parent."""
    seen: set[str] = set()
    result = []
    for title in titles:
        candidate, number = title[:200], 2
        while candidate in seen:
            candidate, number = f"{title[:190]} ({number})", number + 1
        seen.add(candidate)
        result.append(candidate)
    return result


def instantiate(template, programme: Programme, stage: Stage) -> Course:
    """Copy a template into `stage` as a course, its texts in the programme's first language.

    Raises `AlreadyInstantiated` when the stage has the course already (the
    unique key stage + template decides, so two submits at once make one course).
    """
    with force_locale(programme_language(programme)):
        title = str(template.title)[:200]
        existing = db.session.scalar(
            select(Course.id).where(Course.stage_id == stage.id,
                                    or_(Course.template_key == template.key, Course.title == title))
        )
        if existing is not None:
            raise AlreadyInstantiated(existing)
        course = Course(
            organisation_id=programme.organisation_id, programme_id=programme.id, stage_id=stage.id,
            template_key=template.key, title=title, description=str(template.description),
            position=next_position(stage.id),
        )
        module_titles = distinct_titles(str(module.title) for module in template.modules)
        for position, (module_template, module_title) in enumerate(zip(template.modules, module_titles)):
            module = CourseModule(title=module_title, position=position)
            lesson_titles = distinct_titles(str(lesson.title) for lesson in module_template.lessons)
            module.lessons = [
                Lesson(title=lesson_title, content=str(lesson.content), position=number)
                for number, (lesson, lesson_title) in enumerate(zip(module_template.lessons, lesson_titles))
            ]
            course.modules.append(module)
    db.session.add(course)
    try:
        db.session.flush()
    except IntegrityError:
        # The same template, instantiated at the same moment by another request.
        db.session.rollback()
        raise AlreadyInstantiated(None) from None
    return course


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
    return course.stage_id == enrolment.current_stage_id


# --- What members do ---------------------------------------------------------------


def join(course: Course, user_id: int) -> bool:
    """Make the person a participant of the course in the current community; True if new."""
    tenant_id = tenancy.current().tenant_id
    result = db.session.execute(
        _insert(CourseParticipant)
        .values(tenant_id=tenant_id, organisation_id=course.organisation_id, course_id=course.id, user_id=user_id,
                joined_at=now())
        .on_conflict_do_nothing(index_elements=["tenant_id", "course_id", "user_id"])
    )
    return bool(result.rowcount)


def mark_lesson_done(course: Course, lesson: Lesson, user_id: int) -> bool:
    """Record the lesson done (joining the course if needed); True the first time."""
    join(course, user_id)
    tenant_id = tenancy.current().tenant_id
    result = db.session.execute(
        _insert(LessonCompletion)
        .values(tenant_id=tenant_id, organisation_id=course.organisation_id, lesson_id=lesson.id, user_id=user_id,
                completed_at=now())
        .on_conflict_do_nothing(index_elements=["tenant_id", "lesson_id", "user_id"])
    )
    if result.rowcount:
        record_activity(tenant_id)
    return bool(result.rowcount)


def mark_attendance(session: CourseSession, participants: Iterable[CourseParticipant], attended: set[int],
                    marked_by_id: int) -> dict[int, int]:
    """Set, for each participant shown on the form, whether they attended `session`.

    `attended` holds the ids of the participants ticked. An upsert on the
    unique key (community, session, person): marking twice leaves one row each,
    and a row changes (with who marked it and when) only when its value does.
    Returns {community id: number of people marked present}.
    """
    moment = now()
    rows = [
        dict(tenant_id=p.tenant_id, organisation_id=p.organisation_id, session_id=session.id, user_id=p.user_id,
             attended=p.id in attended, marked_by_id=marked_by_id, marked_at=moment)
        for p in participants
    ]
    present: dict[int, int] = {}
    if not rows:
        return present
    statement = _insert(SessionAttendance).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=["tenant_id", "session_id", "user_id"],
        set_={"attended": statement.excluded.attended, "marked_by_id": statement.excluded.marked_by_id,
              "marked_at": statement.excluded.marked_at},
        where=statement.table.c.attended != statement.excluded.attended,
    )
    db.session.execute(statement)
    for row in rows:
        if row["attended"]:
            present[row["tenant_id"]] = present.get(row["tenant_id"], 0) + 1
    for tenant_id in sorted(present):
        # The community did something: it attended (the organisation writes on its behalf).
        record_activity(tenant_id)
    return present


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


def attendance_of(session: CourseSession) -> dict[tuple[int, int], bool]:
    return {
        (row.tenant_id, row.user_id): row.attended
        for row in db.session.scalars(select(SessionAttendance).where(SessionAttendance.session_id == session.id))
    }


def staff_enrolments(programme: Programme, organisation_reach: dict[int, Any]) -> list[Enrolment]:
    """The programme's enrolments that the person reaches as operator or facilitator."""
    from hromada.modules.accounts.models import StaffRole

    enrolments = db.session.scalars(
        select(Enrolment).where(Enrolment.programme_id == programme.id,
                                Enrolment.organisation_id == programme.organisation_id).order_by(Enrolment.id)
    ).all()
    allowed = {StaffRole.OPERATOR, StaffRole.FACILITATOR}
    return [
        e for e in enrolments
        if allowed & organisation_reach.get(e.tenant_id, {}).get(programme.organisation_id, set())
    ]


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
