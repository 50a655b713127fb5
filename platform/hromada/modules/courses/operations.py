"""Every change operators make to a programme's courses: the courses (from the catalogue or by
hand), their modules, lessons and sessions. (What communities do in a course, and the
attendance staff mark: `participation`.)

Plain functions of the objects and the person acting (`actor`), callable without a
request: the pages check the forms and permissions, then call one of these. Each one
saves its work with its audit entry (commits), or raises `Unchanged` having saved
nothing. (Reads they share with the pages are in `util`; copying a catalogue template
is `catalogue.instantiate`, which this module commits.)

A form sent twice changes once. Titles are unique within their parent (a stage's
courses, a course's modules, a module's lessons) and start times within a course, so
a second sending finds what the first saved; when two sendings meet at the same
moment, the table's unique key refuses one (`Conflict`). Operators write as their
organisation: the page has set it before calling.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.models import User
from hromada.modules.audit.log import record
from hromada.modules.courses import catalogue
from hromada.modules.courses.models import CompletionRule, Course, CourseModule, CourseSession, Lesson, SessionMode
from hromada.modules.courses.util import next_course_position
from hromada.modules.programmes.models import Programme, Stage

IN_STAGE_ALREADY = _l("This course is in the stage already.")
COURSE_TITLE_TAKEN = _l("A course with this title is in the stage already.")
OTHER_COURSE_HAS_TITLE = _l("Another course of this stage has this title.")
MODULE_TITLE_TAKEN = _l("The course has a module with this title already.")
OTHER_MODULE_HAS_TITLE = _l("Another module of this course has this title.")
LESSON_TITLE_TAKEN = _l("The module has a lesson with this title already.")
OTHER_LESSON_HAS_TITLE = _l("Another lesson of this module has this title.")
SESSION_TIME_TAKEN = _l("The course has a session at this time already.")
OTHER_SESSION_AT_TIME = _l("The course has another session at this time.")


class Unchanged(Exception):
    """Nothing was changed or saved; `message` tells the person why.

    `course_id`: the course that stands instead, when a course form sent twice finds the one its first sending made.
    """

    def __init__(self, message, course_id: int | None = None):
        super().__init__(str(message))
        self.message = message
        self.course_id = course_id


class Conflict(Unchanged):
    """Another request saved the same title (or start time) at the same moment: the unique key refused this one."""


@dataclass(frozen=True)
class CourseFields:
    """What the course form sets."""

    title: str
    description: str
    stage_id: int
    required: bool
    completion_rule: CompletionRule
    completion_threshold: int


@dataclass(frozen=True)
class SessionFields:
    """What the session form sets; the times in UTC (SQLite keeps no offset), `timezone` for showing them."""

    starts_at: datetime
    ends_at: datetime
    timezone: str
    mode: SessionMode
    link: str | None
    place: str | None
    capacity: int | None


def _flush_or_conflict(message) -> None:
    """Flush; on a unique-key conflict (the same thing saved at the same moment), undo all and raise `Conflict`."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(message) from None


def _title_taken(model, parent_column, parent_id: int, title: str, exclude_id: int | None = None) -> int | None:
    query = select(model.id).where(parent_column == parent_id, model.title == title)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    return db.session.scalar(query)


def _content_changed(course: Course, actor: User) -> None:
    record("courses.content_changed", actor=actor, organisation_id=course.organisation_id, course_id=course.id)
    db.session.commit()


# --- Courses -----------------------------------------------------------------------


def add_course_from_template(template, programme: Programme, stage: Stage, actor: User) -> Course:
    """Copy a catalogue template into the stage, once."""
    try:
        course = catalogue.instantiate(template, programme, stage)
    except catalogue.AlreadyInstantiated as already:
        raise Unchanged(IN_STAGE_ALREADY, already.course_id) from None
    record("courses.course_from_template", actor=actor, organisation_id=programme.organisation_id,
           programme_id=programme.id, stage_id=stage.id, course_id=course.id, template=course.template_key)
    db.session.commit()
    return course


def _fill_course(course: Course, fields: CourseFields) -> None:
    course.title = fields.title
    course.description = fields.description
    course.stage_id = fields.stage_id
    course.required = fields.required
    course.completion_rule = fields.completion_rule
    course.completion_threshold = fields.completion_threshold


def create_course(programme: Programme, fields: CourseFields, actor: User) -> Course:
    """A course made by hand, last in its stage; a stage's course titles are unique."""
    existing = _title_taken(Course, Course.stage_id, fields.stage_id, fields.title)
    if existing is not None:
        # A second submit of the same form (or the same title again): the course there is stands.
        raise Unchanged(COURSE_TITLE_TAKEN, existing)
    course = Course(organisation_id=programme.organisation_id, programme_id=programme.id)
    _fill_course(course, fields)
    course.position = next_course_position(course.stage_id)
    db.session.add(course)
    _flush_or_conflict(COURSE_TITLE_TAKEN)
    record("courses.course_created", actor=actor, organisation_id=programme.organisation_id,
           programme_id=programme.id, course_id=course.id)
    db.session.commit()
    return course


def change_course(course: Course, fields: CourseFields, actor: User) -> None:
    if _title_taken(Course, Course.stage_id, fields.stage_id, fields.title, exclude_id=course.id):
        raise Unchanged(OTHER_COURSE_HAS_TITLE)
    _fill_course(course, fields)
    _flush_or_conflict(OTHER_COURSE_HAS_TITLE)
    record("courses.course_changed", actor=actor, organisation_id=course.organisation_id,
           programme_id=course.programme_id, course_id=course.id)
    db.session.commit()


# --- Modules and lessons -----------------------------------------------------------


def add_module(course: Course, title: str, actor: User) -> CourseModule:
    """A module, last in the course; a course's module titles are unique."""
    if _title_taken(CourseModule, CourseModule.course_id, course.id, title) is not None:
        raise Unchanged(MODULE_TITLE_TAKEN)
    last = db.session.scalar(select(func.max(CourseModule.position)).where(CourseModule.course_id == course.id))
    module = CourseModule(course_id=course.id, title=title, position=0 if last is None else last + 1)
    db.session.add(module)
    _flush_or_conflict(MODULE_TITLE_TAKEN)
    _content_changed(course, actor)
    return module


def rename_module(course: Course, module: CourseModule, title: str, actor: User) -> None:
    if _title_taken(CourseModule, CourseModule.course_id, course.id, title, exclude_id=module.id):
        raise Unchanged(OTHER_MODULE_HAS_TITLE)
    module.title = title
    _flush_or_conflict(OTHER_MODULE_HAS_TITLE)
    _content_changed(course, actor)


def add_lesson(course: Course, module: CourseModule, actor: User, *, title: str, content: str) -> Lesson:
    """A lesson, last in its module; a module's lesson titles are unique."""
    if _title_taken(Lesson, Lesson.module_id, module.id, title) is not None:
        raise Unchanged(LESSON_TITLE_TAKEN)
    last = db.session.scalar(select(func.max(Lesson.position)).where(Lesson.module_id == module.id))
    lesson = Lesson(module_id=module.id, title=title, content=content, position=0 if last is None else last + 1)
    db.session.add(lesson)
    _flush_or_conflict(LESSON_TITLE_TAKEN)
    _content_changed(course, actor)
    return lesson


def change_lesson(course: Course, lesson: Lesson, actor: User, *, title: str, content: str) -> None:
    if _title_taken(Lesson, Lesson.module_id, lesson.module_id, title, exclude_id=lesson.id):
        raise Unchanged(OTHER_LESSON_HAS_TITLE)
    lesson.title, lesson.content = title, content
    _flush_or_conflict(OTHER_LESSON_HAS_TITLE)
    _content_changed(course, actor)


# --- Sessions ----------------------------------------------------------------------


def _fill_session(session: CourseSession, fields: SessionFields) -> None:
    session.starts_at, session.ends_at = fields.starts_at, fields.ends_at
    session.timezone = fields.timezone
    session.mode = fields.mode
    session.link = fields.link
    session.place = fields.place
    session.capacity = fields.capacity


def _starts_taken(course: Course, starts_at: datetime, exclude_id: int | None = None) -> int | None:
    query = select(CourseSession.id).where(CourseSession.course_id == course.id, CourseSession.starts_at == starts_at)
    if exclude_id is not None:
        query = query.where(CourseSession.id != exclude_id)
    return db.session.scalar(query)


def _session_saved(course: Course, session: CourseSession, actor: User) -> None:
    record("courses.session_saved", actor=actor, organisation_id=course.organisation_id, course_id=course.id,
           session_id=session.id)
    db.session.commit()


def add_session(course: Course, fields: SessionFields, actor: User) -> CourseSession:
    """A session of the course; two sessions of a course never start at the same time."""
    if _starts_taken(course, fields.starts_at) is not None:
        raise Unchanged(SESSION_TIME_TAKEN)
    session = CourseSession(course_id=course.id)
    _fill_session(session, fields)
    db.session.add(session)
    _flush_or_conflict(SESSION_TIME_TAKEN)
    _session_saved(course, session, actor)
    return session


def change_session(course: Course, session: CourseSession, fields: SessionFields, actor: User) -> None:
    if _starts_taken(course, fields.starts_at, exclude_id=session.id):
        raise Unchanged(OTHER_SESSION_AT_TIME)
    _fill_session(session, fields)
    _flush_or_conflict(OTHER_SESSION_AT_TIME)
    _session_saved(course, session, actor)
