"""What communities do in a course, and the attendance staff mark: the community's own rows.

Plain functions of the objects and the person acting (`actor`), callable without a
request, as in `operations`: each saves its work (commits) or raises `Unchanged` having
saved nothing. Each write is an insert that does nothing, or an upsert, on the table's
unique key (community, course or lesson or session, person), so that a form sent twice,
or twice at once, leaves the rows that sending it once leaves. Members write as their
community; staff mark attendance as their organisation, which the rows are shared with.
"""

from __future__ import annotations

from typing import Iterable

from hromada import tenancy
from hromada.clock import now
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.models import User
from hromada.modules.audit.log import record
from hromada.modules.communities.activity import record_activity
from hromada.modules.communities.models import Enrolment
from hromada.modules.courses.models import (
    Course,
    CourseParticipant,
    CourseSession,
    Lesson,
    LessonCompletion,
    SessionAttendance,
)
from hromada.modules.courses.operations import Unchanged
from hromada.modules.courses.util import is_current

EARLIER_STAGE_JOIN = _l("This course belongs to an earlier stage; it can no longer be joined.")
EARLIER_STAGE_LESSON = _l("This course belongs to an earlier stage; its lessons can no longer be marked.")


def _insert(model):
    """A Core INSERT into the model's table that understands ON CONFLICT, on PostgreSQL and SQLite.

    Core, not ORM: the row's tenant and organisation are given explicitly (from the
    context and the course), and `_inserted` says whether a row was added.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model.__table__)


def _inserted(statement) -> bool:
    """Run an INSERT ... ON CONFLICT DO NOTHING; True when it added the row.

    RETURNING says so: psycopg reports no row count for it on PostgreSQL (-1), which
    read as "added" every time.
    """
    return db.session.execute(statement.returning(statement.table.c.id)).first() is not None


# --- Attendance --------------------------------------------------------------------


def mark_attendance(course: Course, session: CourseSession, shown: list[CourseParticipant], present: set[int],
                    actor: User) -> dict[int, int]:
    """Set, for each participant the form showed, whether they attended `session`.

    `present` holds the ids of the participants ticked. An upsert on the unique key
    (community, session, person): marking twice leaves one row each, and a row
    changes (with who marked it and when) only when its value does. Returns
    {community id: number of people marked present}.
    """
    present_by_community = _upsert_attendance(session, shown, present, actor.id)
    record("courses.attendance_marked", actor=actor, organisation_id=course.organisation_id, course_id=course.id,
           session_id=session.id, marked=len(shown), present=sum(present_by_community.values()))
    db.session.commit()
    return present_by_community


def _upsert_attendance(session: CourseSession, participants: Iterable[CourseParticipant], attended: set[int],
                       marked_by_id: int) -> dict[int, int]:
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


# --- What members do ---------------------------------------------------------------


def _join(course: Course, user_id: int) -> bool:
    """Make the person a participant of the course in the current community; True if new."""
    tenant_id = tenancy.current().tenant_id
    return _inserted(
        _insert(CourseParticipant)
        .values(tenant_id=tenant_id, organisation_id=course.organisation_id, course_id=course.id, user_id=user_id,
                joined_at=now())
        .on_conflict_do_nothing(index_elements=["tenant_id", "course_id", "user_id"])
    )


def join_course(course: Course, enrolment: Enrolment, actor: User) -> bool:
    """The member joins a course of the community's current stage; False: they had joined already."""
    if not is_current(course, enrolment):
        raise Unchanged(EARLIER_STAGE_JOIN)
    if not _join(course, actor.id):
        return False  # the insert did nothing: there is nothing to save
    db.session.commit()
    return True


def mark_lesson_done(course: Course, enrolment: Enrolment, lesson: Lesson, actor: User) -> bool:
    """The member marks a lesson of a current course done, joining the course if needed; True the first time."""
    if not is_current(course, enrolment):
        raise Unchanged(EARLIER_STAGE_LESSON)
    _join(course, actor.id)
    tenant_id = tenancy.current().tenant_id
    first_time = _inserted(
        _insert(LessonCompletion)
        .values(tenant_id=tenant_id, organisation_id=course.organisation_id, lesson_id=lesson.id, user_id=actor.id,
                completed_at=now())
        .on_conflict_do_nothing(index_elements=["tenant_id", "lesson_id", "user_id"])
    )
    if first_time:
        record_activity(tenant_id)
    db.session.commit()
    return first_time
