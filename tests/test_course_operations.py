"""Course operations called directly, without a page: a form sent twice changes once, a change that
cannot happen says why and leaves what was there. (The pages' flows, permissions and messages are in
test_courses.py.)"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.communities.models import Enrolment
from hromada.modules.courses import operations, participation
from hromada.modules.courses.models import (
    CompletionRule,
    Course,
    CourseParticipant,
    CourseSession,
    Lesson,
    LessonCompletion,
    SessionAttendance,
)
from hromada.modules.courses.operations import CourseFields, Unchanged
from hromada.modules.courses.testing import build_course
from hromada.modules.programmes.models import Programme, Stage


def rows(model, *criteria) -> list:
    with tenancy.system_scope():
        found = db.session.scalars(select(model).where(*criteria).order_by(model.id)).all()
        db.session.expunge_all()
    return found


def count(model) -> int:
    with tenancy.system_scope():
        return db.session.scalar(select(func.count()).select_from(model))


def course_of(side, **values) -> int:
    with tenancy.system_scope():
        course = build_course(side, **values)
        db.session.commit()
        return course.id


def marks(attendance) -> list[tuple]:
    return [(row.tenant_id, row.user_id, row.attended, row.marked_at) for row in attendance]


def fields(stage_id: int, title: str = "Neighbourhood walks") -> CourseFields:
    return CourseFields(title=title, description="Walk and talk.", stage_id=stage_id, required=True,
                        completion_rule=CompletionRule.SHARE, completion_threshold=70)


def test_a_course_form_sent_twice_makes_one_course_and_finds_it_again(app, world):
    operator = world.a.people["operator"]
    with app.test_request_context():
        tenancy.set_organisation(world.a.organisation.id)
        programme = db.session.get(Programme, world.a.programme.id)
        stage_id = db.session.scalar(select(Stage.id).where(Stage.programme_id == programme.id))
        first = operations.create_course(programme, fields(stage_id), operator)
        with pytest.raises(Unchanged) as again:
            operations.create_course(programme, fields(stage_id), operator)
        second = operations.create_course(programme, fields(stage_id, "Street maps"), operator)
        with pytest.raises(Unchanged) as renamed:  # an edit to a title the stage has already
            operations.change_course(second, fields(stage_id, "Neighbourhood walks"), operator)
        first_id, second_id = first.id, second.id
    assert (again.value.message, again.value.course_id) == (operations.COURSE_TITLE_TAKEN, first_id)
    assert renamed.value.message == operations.OTHER_COURSE_HAS_TITLE
    assert [(course.id, course.title, course.position) for course in rows(Course)] == [
        (first_id, "Neighbourhood walks", 0), (second_id, "Street maps", 1)]


def test_joining_and_marking_a_lesson_done_twice_change_once(app, world):
    course_id = course_of(world.a, sessions=0, lessons=1)
    a1, member = world.a.communities[0].id, world.a.people["member"]
    with app.test_request_context():
        tenancy.set_tenant(a1)
        course = db.session.get(Course, course_id)
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.tenant_id == a1))
        lesson = db.session.scalar(select(Lesson))
        joined = [participation.join_course(course, enrolment, member) for _ in range(2)]
        done = [participation.mark_lesson_done(course, enrolment, lesson, member) for _ in range(2)]
    assert (joined, done) == ([True, False], [True, False])
    assert [(row.tenant_id, row.user_id) for row in rows(CourseParticipant)] == [(a1, member.id)]
    assert [(row.tenant_id, row.user_id) for row in rows(LessonCompletion)] == [(a1, member.id)]


def test_a_course_of_an_earlier_stage_can_no_longer_be_joined_or_marked(app, world):
    course_id = course_of(world.a, sessions=0, lessons=1)
    a1, member = world.a.communities[0].id, world.a.people["member"]
    with tenancy.system_scope():
        later = Stage(programme_id=world.a.programme.id, position=1, stage_type="accelerator")
        db.session.add(later)
        db.session.flush()
        db.session.scalar(select(Enrolment).where(Enrolment.tenant_id == a1)).current_stage_id = later.id
        db.session.commit()
    with app.test_request_context():
        tenancy.set_tenant(a1)
        course = db.session.get(Course, course_id)
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.tenant_id == a1))
        lesson = db.session.scalar(select(Lesson))
        with pytest.raises(Unchanged) as join:
            participation.join_course(course, enrolment, member)
        with pytest.raises(Unchanged) as mark:
            participation.mark_lesson_done(course, enrolment, lesson, member)
    assert (join.value.message, mark.value.message) == (participation.EARLIER_STAGE_JOIN,
                                                        participation.EARLIER_STAGE_LESSON)
    assert count(CourseParticipant) == count(LessonCompletion) == 0


def test_attendance_marked_twice_leaves_the_same_rows(app, world):
    course_id = course_of(world.a, sessions=1)
    a1, a2 = (community.id for community in world.a.communities)
    operator = world.a.people["operator"]
    with tenancy.system_scope():
        for tenant_id, person in ((a1, "member"), (a1, "coordinator"), (a2, "operator")):
            db.session.add(CourseParticipant(tenant_id=tenant_id, organisation_id=world.a.organisation.id,
                                             course_id=course_id, user_id=world.a.people[person].id))
        db.session.commit()
    with app.test_request_context():
        tenancy.set_organisation(world.a.organisation.id)
        tenancy.allow_reading({a1, a2})
        course = db.session.get(Course, course_id)
        session = db.session.scalar(select(CourseSession))
        shown = db.session.scalars(select(CourseParticipant).order_by(CourseParticipant.id)).all()
        present = {shown[0].id, shown[2].id}
        first = participation.mark_attendance(course, session, shown, present, operator)
        marked = marks(db.session.scalars(select(SessionAttendance).order_by(SessionAttendance.id)))
        second = participation.mark_attendance(course, session, shown, present, operator)
    assert first == second == {a1: 1, a2: 1}
    # The same form again: the same rows, with the same values and the same times.
    assert marks(rows(SessionAttendance)) == marked
    assert sorted(attended for _, _, attended, _ in marked) == [False, True, True]
