"""The course engine, on SQLite and PostgreSQL: building courses, taking them, attendance,
completion on concrete numbers, the stage requirement, the cohort column, reminders,
safe Markdown, bad input, and queries that do not grow with the number of communities."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, func, select

from hromada import tenancy
from hromada.contributions import LessonTemplate, ModuleTemplate
from hromada.contributions import CourseTemplate
from hromada.extensions import db
from hromada.hookspecs import hookimpl
from hromada.jobs.models import JobRun
from hromada.modules.accounts.models import CommunityMembership, CommunityRole
from hromada.modules.audit.models import AuditEvent
from hromada.modules.communities.models import Community, Enrolment
from hromada.modules.courses.catalogue import instantiate
from hromada.modules.courses.markdown import render_markdown
from hromada.modules.courses.models import (
    CompletionRule,
    Course,
    CourseModule,
    CourseParticipant,
    CourseSession,
    Lesson,
    LessonCompletion,
    SessionAttendance,
)
from hromada.modules.courses.plugin import cohort_completion, evaluate_required_courses
from hromada.modules.courses.testing import build_course
from hromada.modules.notifications.models import Notification
from hromada.modules.notifications.service import render
from hromada.modules.programmes.models import Stage
from hromada.plugins import collect
from hromada.testing.factories import make_user, sign_in
from hromada.testing.fixtures import csrf_token

TINY = CourseTemplate(
    key="test.tiny",
    stage_type="incubator",
    title=_l("Tiny course"),
    description=_l("A course for the tests."),
    modules=(
        ModuleTemplate(_l("First steps"), (LessonTemplate(_l("Hello"), _l("Some **bold** text.")),
                                           LessonTemplate(_l("Again"), _l("More text.")))),
        ModuleTemplate(_l("Next steps"), (LessonTemplate(_l("Onwards"), _l("Even more.")),)),
    ),
)
OTHER_STAGE_TYPE = CourseTemplate(key="test.accelerator_only", stage_type="accelerator", title=_l("Later course"),
                                  description=_l("Not for the incubator."))


class TestCatalogue:
    """A plugin object that offers the test templates, registered for one test."""

    @hookimpl
    def hromada_course_templates(self):
        return [TINY, OTHER_STAGE_TYPE]


@pytest.fixture
def catalogue(own_app, app):  # registers a plugin: an app for the test alone
    app.extensions["hromada.plugins"].register(TestCatalogue(), name="test-course-catalogue")



def client_of(app, handle):
    client = app.test_client()
    assert sign_in(client, handle).status_code == 302, handle
    return client


def post(client, path, data=None, **kwargs):
    token = csrf_token(client)
    return client.post(path, data={"csrf_token": token, **(data or {})}, **kwargs)


def body(response) -> str:
    return response.get_data(as_text=True)


def course_url(course_or_ids, suffix=""):
    organisation_id, programme_id, course_id = course_or_ids
    return f"/organisations/{organisation_id}/programmes/{programme_id}/courses/{course_id}{suffix}"


@contextmanager
def system():
    with tenancy.system_scope():
        yield
        db.session.commit()


def new_course(side, **values) -> tuple[int, int, int]:
    """A course of `side`'s first stage (one module, lessons, sessions); returns its URL ids."""
    with system():
        rules = {key: values.pop(key) for key in ("completion_rule", "completion_threshold", "required") if key in values}
        course = build_course(side, **values)
        for key, value in rules.items():
            setattr(course, key, value)
        ids = (course.organisation_id, course.programme_id, course.id)
    return ids


def text(lazy) -> str:
    """A lazy string in English, as a page would show it."""
    from flask import current_app

    with current_app.test_request_context("/"):
        return str(lazy)


def count(model, *criteria) -> int:
    with tenancy.system_scope():
        return db.session.scalar(select(func.count()).select_from(model).where(*criteria))


def add_members(community_id: int, number: int, prefix: str) -> list[int]:
    with system():
        ids = []
        for n in range(number):
            user = make_user(f"{prefix}-{n}")
            db.session.add(CommunityMembership(tenant_id=community_id, user_id=user.id, role=CommunityRole.MEMBER))
            ids.append(user.id)
    return ids


def attend(course_id: int, community_id: int, organisation_id: int, attendance: dict[int, int]) -> None:
    """`attendance`: user id -> number of the course's sessions (in order) the person attended."""
    with system():
        sessions = db.session.scalars(
            select(CourseSession.id).where(CourseSession.course_id == course_id).order_by(CourseSession.starts_at)
        ).all()
        for user_id, attended in attendance.items():
            db.session.add(CourseParticipant(tenant_id=community_id, organisation_id=organisation_id,
                                             course_id=course_id, user_id=user_id))
            for number, session_id in enumerate(sessions):
                db.session.add(SessionAttendance(
                    tenant_id=community_id, organisation_id=organisation_id, session_id=session_id, user_id=user_id,
                    attended=number < attended, marked_at=datetime.now(timezone.utc),
                ))


def completion_of(course_id: int, community_id: int):
    from hromada.modules.courses.completion import community_completion

    with tenancy.system_scope():
        course = db.session.get(Course, course_id)
        stage = db.session.get(Stage, course.stage_id)
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.tenant_id == community_id))
        return community_completion([course], [enrolment], [stage])[(community_id, course_id)]


# --- Markdown ----------------------------------------------------------------------------


MALICIOUS = (
    "# Title\n\n<script>alert(1)</script>\n\n[click](javascript:alert(1)) [fine](https://example.org)\n\n"
    "![tracker](https://evil.example/pixel.png) ![also](//evil.example/x.png) ![ours](/static/favicon.svg)\n\n"
    '<img src="https://evil.example/raw.png" onerror="alert(1)"> <a href="javascript:alert(2)">raw</a>'
)

# A real tag, not its escaped text (which may show as "&lt;a href=...").
JAVASCRIPT_LINK = re.compile(r'<a\s[^>]*href\s*=\s*"?\s*javascript:', re.IGNORECASE)


def test_markdown_is_rendered_without_scripts_javascript_links_or_foreign_images():
    html = str(render_markdown(MALICIOUS))
    assert "<script" not in html
    assert not re.search(r"<[^>]+\son\w+=", html)  # no event handler on any tag
    assert not JAVASCRIPT_LINK.search(html)
    assert not re.search(r"<img[^>]+evil\.example", html)
    assert '<img src="/static/favicon.svg" alt="ours">' in html
    assert '<a href="https://example.org" rel="noopener noreferrer">fine</a>' in html
    assert "<h2>Title</h2>" in html  # one level below the page's own <h1>
    assert "tracker" in html  # a foreign image leaves its description


def test_a_lesson_page_never_carries_a_script_a_javascript_link_or_a_foreign_image(app, world):
    ids = new_course(world.a)
    with system():
        lesson = db.session.scalar(select(Lesson).join(CourseModule).where(CourseModule.course_id == ids[2]))
        lesson.content = MALICIOUS
        lesson_id = lesson.id
    member = client_of(app, "member-a")
    page = body(member.get(f"/communities/{world.a.communities[0].id}/courses/{ids[2]}/lessons/{lesson_id}"))
    assert "<script" not in page
    assert not JAVASCRIPT_LINK.search(page)
    assert not re.search(r"<img[^>]+evil\.example", page)
    assert '<img src="/static/favicon.svg" alt="ours">' in page
    # The operator's preview is sanitised the same way.
    operator = client_of(app, "operator-a")
    preview = body(operator.get(course_url(ids, f"/lessons/{lesson_id}/edit")))
    assert not re.search(r"<img[^>]+evil\.example", preview) and not JAVASCRIPT_LINK.search(preview)


# --- Operators build courses --------------------------------------------------------------


def stage_of(side) -> Stage:
    with tenancy.system_scope():
        return db.session.scalar(select(Stage).where(Stage.programme_id == side.programme.id))


def test_an_operator_adds_a_course_from_the_catalogue_once(app, world, catalogue):
    stage = stage_of(world.a)
    operator = client_of(app, "operator-a")
    base = f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}"
    page = body(operator.get(f"{base}/courses"))
    assert "Tiny course" in page and "Later course" not in page  # only templates of the stage's type

    response = post(operator, f"{base}/stages/{stage.id}/courses/from-template", {f"stage-{stage.id}-template_key": "test.tiny"})
    assert response.status_code == 302
    course = db.session.scalar(select(Course).where(Course.template_key == "test.tiny"))
    assert (course.title, course.organisation_id, course.stage_id) == ("Tiny course", world.a.organisation.id, stage.id)
    assert [m.title for m in course.modules] == ["First steps", "Next steps"]
    assert [lesson.title for lesson in course.modules[0].lessons] == ["Hello", "Again"]
    assert course.modules[0].lessons[0].content == "Some **bold** text."
    assert count(AuditEvent, AuditEvent.action == "courses.course_from_template") == 1

    again = post(operator, f"{base}/stages/{stage.id}/courses/from-template", {f"stage-{stage.id}-template_key": "test.tiny"},
                 follow_redirects=True)
    assert again.status_code == 200 and "This course is in the stage already." in body(again)
    assert count(Course) == 1 and count(Lesson) == 3


def test_a_template_is_copied_in_the_programmes_first_language(app, world):
    class LocaleProbe:
        def __str__(self):
            return f"written in {get_locale()}"

    probe = CourseTemplate(key="test.probe", stage_type="incubator", title=LocaleProbe(), description=LocaleProbe(),
                           modules=(ModuleTemplate(LocaleProbe(), (LessonTemplate(LocaleProbe(), LocaleProbe()),)),))
    with tenancy.system_scope():
        from hromada.modules.programmes.models import Programme

        programme = db.session.get(Programme, world.a.programme.id)
        stage = db.session.scalar(select(Stage).where(Stage.programme_id == programme.id))
        programme.languages = ["uk", "en"]  # the programmes module stores the chosen languages in this order
        course = instantiate(probe, programme, stage)
        assert course.title == "written in uk"
        assert course.modules[0].lessons[0].content == "written in uk"
        programme.languages = []
        other_stage = Stage(programme_id=programme.id, position=1, stage_type="incubator")
        db.session.add(other_stage)
        db.session.flush()
        assert instantiate(probe, programme, other_stage).title == "written in en"
        db.session.rollback()


def test_choosing_a_template_that_is_not_offered_is_a_400_and_saves_nothing(app, world, catalogue):
    stage = stage_of(world.a)
    operator = client_of(app, "operator-a")
    base = f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}"
    for key in ("test.accelerator_only", "no-such-template", ""):
        response = post(operator, f"{base}/stages/{stage.id}/courses/from-template", {f"stage-{stage.id}-template_key": key})
        assert response.status_code == 400, key
        assert "Choose a course of the catalogue for this stage." in body(response)
    assert count(Course) == 0


def test_an_operator_builds_a_course_by_hand(app, world):
    stage = stage_of(world.a)
    operator = client_of(app, "operator-a")
    base = f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}/courses"
    response = post(operator, f"{base}/new", {"title": "Neighbourhood walks", "description": "Walk and talk.",
                                              "stage_id": stage.id, "required": "y", "completion_rule": "count",
                                              "completion_threshold": "2"})
    assert response.status_code == 302
    course = db.session.scalar(select(Course))
    ids = (course.organisation_id, course.programme_id, course.id)
    assert (course.completion_rule, course.completion_threshold, course.required) == (CompletionRule.COUNT, 2, True)

    # A double submit of the same form finds the course there is.
    again = post(operator, f"{base}/new", {"title": "Neighbourhood walks", "stage_id": stage.id,
                                           "completion_rule": "share", "completion_threshold": "70"})
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/courses/{course.id}")
    assert count(Course) == 1

    assert post(operator, course_url(ids, "/modules/new"), {"title": "Routes"}).status_code == 302
    assert post(operator, course_url(ids, "/modules/new"), {"title": "Routes"}).status_code == 302
    module = db.session.scalar(select(CourseModule))
    assert count(CourseModule) == 1
    assert post(operator, course_url(ids, f"/modules/{module.id}/lessons/new"),
                {"title": "Mapping the street", "content": "Draw *your* street."}).status_code == 302
    assert post(operator, course_url(ids, f"/modules/{module.id}/lessons/new"),
                {"title": "Mapping the street", "content": "Draw *your* street."}).status_code == 302
    assert count(Lesson) == 1

    session = {"starts_at": "2027-03-05T18:00", "ends_at": "2027-03-05T20:00", "timezone": "Europe/Kyiv",
               "mode": "online", "link": "https://meet.example.org/walks"}
    assert post(operator, course_url(ids, "/sessions/new"), session).status_code == 302
    assert post(operator, course_url(ids, "/sessions/new"), session).status_code == 302  # double submit
    assert count(CourseSession) == 1
    stored = db.session.scalar(select(CourseSession))
    starts = stored.starts_at if stored.starts_at.tzinfo else stored.starts_at.replace(tzinfo=timezone.utc)
    assert starts == datetime(2027, 3, 5, 16, 0, tzinfo=timezone.utc)  # 18:00 in Kyiv is 16:00 UTC in March

    page = body(operator.get(course_url(ids)))
    assert "Neighbourhood walks" in page and "Mapping the street" in page and "6:00\u202fPM" in page and "(Kyiv time)" in page

    edit = post(operator, course_url(ids, f"/sessions/{stored.id}/edit"),
                {**session, "mode": "offline", "link": "", "place": "Library, room 2", "capacity": "12"})
    assert edit.status_code == 302
    db.session.expire_all()
    stored = db.session.scalar(select(CourseSession))
    assert (stored.mode.value, stored.place, stored.link, stored.capacity) == ("offline", "Library, room 2", None, 12)
    assert count(AuditEvent, AuditEvent.action.like("courses.%")) >= 5


BAD_COURSES = [
    ({"title": "", "completion_rule": "share", "completion_threshold": "70"}, "Enter a title."),
    ({"title": "x" * 201, "completion_rule": "share", "completion_threshold": "70"}, "At most 200 characters."),
    ({"title": "Walks", "completion_rule": "share", "completion_threshold": "150"}, "A share is at most 100 percent."),
    ({"title": "Walks", "completion_rule": "share", "completion_threshold": "many"}, "Enter a whole number."),
    ({"title": "Walks", "completion_rule": "always", "completion_threshold": "5"}, "Choose one of the options."),
    ({"title": "Walks", "completion_rule": "count", "completion_threshold": "0"}, "Enter a number from 1 to 1000."),
]


@pytest.mark.parametrize("data, message", BAD_COURSES)
def test_a_bad_course_form_is_a_400_with_its_message_and_saves_nothing(app, world, data, message):
    stage = stage_of(world.a)
    operator = client_of(app, "operator-a")
    base = f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}/courses"
    response = post(operator, f"{base}/new", {"stage_id": stage.id, **data})
    assert response.status_code == 400
    assert message in body(response)
    assert count(Course) == 0


def test_a_stage_of_another_programme_or_garbage_is_refused(app, world):
    operator = client_of(app, "operator-a")
    base = f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}/courses"
    for stage_id in (stage_of(world.b).id, "abc"):
        response = post(operator, f"{base}/new", {"title": "Walks", "stage_id": stage_id, "completion_rule": "share",
                                                  "completion_threshold": "70"})
        assert response.status_code == 400 and "Choose one of the options." in body(response)
    assert count(Course) == 0


BAD_SESSIONS = [
    ({"starts_at": "tomorrow", "ends_at": "2027-03-05T20:00"}, "Enter a date and time, such as 2027-03-05 18:00."),
    ({"starts_at": "2027-03-05T18:00", "ends_at": "2027-03-05T17:00"}, "The session must end after it starts."),
    ({"starts_at": "0001-01-01T00:00", "ends_at": "0001-01-01T01:00", "timezone": "Europe/Kyiv"},
     "Enter a date between the years 2000 and 2100."),
    ({"link": "http://meet.example.org/x"}, "Enter an address that starts with https://."),
    ({"link": "javascript:alert(1)"}, "Enter an address that starts with https://."),
    ({"link": ""}, "An online session needs a link."),
    ({"mode": "offline", "link": "", "place": ""}, "A session in person needs a place."),
    ({"capacity": "-3"}, "Enter a number from 1 to 10000."),
    ({"capacity": "lots"}, "Enter a whole number."),
    ({"timezone": "Mars/Olympus"}, "Choose a time zone from the list."),
    ({"timezone": "US/Eastern"}, "Choose a time zone from the list."),  # an alias: the list has the zone's own name
]


@pytest.mark.parametrize("data, message", BAD_SESSIONS)
def test_a_bad_session_form_is_a_400_with_its_message_and_saves_nothing(app, world, data, message):
    ids = new_course(world.a, sessions=0)
    operator = client_of(app, "operator-a")
    good = {"starts_at": "2027-03-05T18:00", "ends_at": "2027-03-05T20:00", "timezone": "UTC", "mode": "online",
            "link": "https://meet.example.org/x"}
    response = post(operator, course_url(ids, "/sessions/new"), {**good, **data})
    assert response.status_code == 400
    assert message in body(response)
    assert count(CourseSession) == 0


def test_a_lesson_that_is_too_long_is_a_400_and_saves_nothing(app, world):
    ids = new_course(world.a, lessons=0)
    module_id = db.session.scalar(select(CourseModule.id))
    operator = client_of(app, "operator-a")
    response = post(operator, course_url(ids, f"/modules/{module_id}/lessons/new"), {"title": "Long", "content": "x" * 20001})
    assert response.status_code == 400 and "At most 20000 characters." in body(response)
    assert count(Lesson) == 0


def test_operators_reach_only_their_organisations_courses(app, world):
    a_ids, b_ids = new_course(world.a), new_course(world.b)
    operator = client_of(app, "operator-a")
    assert operator.get(course_url(a_ids)).status_code == 200
    # B's course under A's organisation and programme, or A's course under B's programme: not found.
    assert operator.get(course_url((a_ids[0], a_ids[1], b_ids[2]))).status_code == 404
    assert operator.get(course_url((a_ids[0], b_ids[1], b_ids[2]))).status_code == 404
    assert operator.get(course_url(b_ids)).status_code == 404
    # Facilitators see the course and mark attendance, but do not edit it.
    facilitator = client_of(app, "facilitator-a")
    assert facilitator.get(course_url(a_ids)).status_code == 200
    assert facilitator.get(course_url(a_ids, "/edit")).status_code == 403
    assert client_of(app, "mentor-a").get(course_url(a_ids)).status_code == 403
    # An id past the database's integers is not found either (SQLite would otherwise raise).
    assert operator.get(course_url((a_ids[0], a_ids[1], 10**30))).status_code == 404
    member = client_of(app, "member-a")
    assert member.get(f"/communities/{world.a.communities[0].id}/courses/{10**30}").status_code == 404


# --- Communities take courses ---------------------------------------------------------------


def test_members_join_read_and_mark_lessons_done_once(app, world):
    ids = new_course(world.a, sessions=2, lessons=2)
    a1 = world.a.communities[0].id
    member = client_of(app, "member-a")
    page = body(member.get(f"/communities/{a1}/courses"))
    assert "Course of side org-a" in page and "Join the course" in page
    assert "meet.example.org" not in page  # the link is for participants only

    for _ in range(2):
        assert post(member, f"/communities/{a1}/courses/{ids[2]}/join").status_code == 302
    assert count(CourseParticipant) == 1
    page = body(member.get(f"/communities/{a1}/courses/{ids[2]}"))
    assert "meet.example.org" in page and "You take part in this course" in page

    lesson_id = db.session.scalar(select(Lesson.id).order_by(Lesson.position))
    for _ in range(2):
        assert post(member, f"/communities/{a1}/courses/{ids[2]}/lessons/{lesson_id}/done").status_code == 302
    assert count(LessonCompletion) == 1
    with tenancy.system_scope():
        completion = db.session.scalar(select(LessonCompletion))
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.tenant_id == a1))
        assert (completion.tenant_id, completion.organisation_id) == (a1, world.a.organisation.id)
        assert enrolment.last_activity_at is not None  # the community did something
    assert "You marked this lesson done." in body(
        member.get(f"/communities/{a1}/courses/{ids[2]}/lessons/{lesson_id}"))


def test_staff_read_a_communitys_courses_but_do_not_take_part(app, world):
    ids = new_course(world.a)
    a1 = world.a.communities[0].id
    mentor = client_of(app, "mentor-a")
    page = mentor.get(f"/communities/{a1}/courses")
    assert page.status_code == 200 and "Course of side org-a" in body(page) and "Join the course" not in body(page)
    assert post(mentor, f"/communities/{a1}/courses/{ids[2]}/join").status_code == 403
    assert count(CourseParticipant) == 0


def test_a_community_reaches_only_courses_of_its_programme_up_to_its_current_stage(app, world):
    a_ids, b_ids = new_course(world.a), new_course(world.b)
    a1 = world.a.communities[0].id
    with system():
        later = Stage(programme_id=world.a.programme.id, position=5, stage_type="accelerator")
        db.session.add(later)
        db.session.flush()
        future = Course(organisation_id=world.a.organisation.id, programme_id=world.a.programme.id,
                        stage_id=later.id, title="Future course", position=0)
        db.session.add(future)
        db.session.flush()
        future_id = future.id
        b_lesson = db.session.scalar(select(Lesson.id).join(CourseModule).where(CourseModule.course_id == b_ids[2]))
    member = client_of(app, "member-a")
    assert member.get(f"/communities/{a1}/courses/{a_ids[2]}").status_code == 200
    assert member.get(f"/communities/{a1}/courses/{b_ids[2]}").status_code == 404
    assert member.get(f"/communities/{a1}/courses/{future_id}").status_code == 404
    assert member.get(f"/communities/{a1}/courses/{a_ids[2]}/lessons/{b_lesson}").status_code == 404
    assert post(member, f"/communities/{a1}/courses/{b_ids[2]}/join").status_code == 404
    assert "Future course" not in body(member.get(f"/communities/{a1}/courses"))
    assert count(CourseParticipant) == 0


# --- Attendance ------------------------------------------------------------------------------


def participants(world, course_id):
    """Both members of A1 and a new member of A2 join the course; returns participant ids by handle."""
    a1, a2 = (c.id for c in world.a.communities)
    (a2_member,) = add_members(a2, 1, "member-a2")
    with system():
        rows = {}
        for handle, tenant_id, user_id in (
            ("coordinator-a", a1, world.a.people["coordinator"].id),
            ("member-a", a1, world.a.people["member"].id),
            ("member-a2-0", a2, a2_member),
        ):
            participant = CourseParticipant(tenant_id=tenant_id, organisation_id=world.a.organisation.id,
                                            course_id=course_id, user_id=user_id)
            db.session.add(participant)
            db.session.flush()
            rows[handle] = participant.id
    return rows


def attendance_rows():
    with tenancy.system_scope():
        rows = db.session.scalars(select(SessionAttendance).order_by(SessionAttendance.user_id)).all()
        return {(row.tenant_id, row.user_id): (row.attended, row.marked_at) for row in rows}


def test_attendance_is_marked_for_every_community_and_marking_twice_changes_nothing(app, world):
    ids = new_course(world.a, sessions=1)
    people = participants(world, ids[2])
    session_id = db.session.scalar(select(CourseSession.id))
    url = course_url(ids, f"/sessions/{session_id}/attendance")
    operator = client_of(app, "operator-a")
    page = body(operator.get(url))
    assert "secret-a1" in page and "secret-a2" in page and "member-a2-0" in page and "coordinator-a" in page
    assert count(AuditEvent, AuditEvent.action == "courses.read_participants") == 1

    shown = [people["coordinator-a"], people["member-a"], people["member-a2-0"]]
    data = {"shown": shown, "present": [people["member-a"], people["member-a2-0"]]}
    assert post(operator, url, data).status_code == 302
    first = attendance_rows()
    assert sorted(attended for attended, _ in first.values()) == [False, True, True]
    assert post(operator, url, data).status_code == 302  # the same form again
    assert attendance_rows() == first  # same rows, same values, same times
    with tenancy.system_scope():
        assert all(e.last_activity_at is not None for e in db.session.scalars(
            select(Enrolment).where(Enrolment.programme_id == world.a.programme.id)))

    # Unticking marks absent; a participant the form did not show is left alone.
    assert post(operator, url, {"shown": [people["member-a"]], "present": []}).status_code == 302
    after = attendance_rows()
    assert after[(world.a.communities[0].id, world.a.people["member"].id)][0] is False
    with tenancy.system_scope():
        a2_user = db.session.scalar(select(CourseParticipant.user_id).where(CourseParticipant.id == people["member-a2-0"]))
    assert after[(world.a.communities[1].id, a2_user)][0] is True
    assert count(SessionAttendance) == 3
    assert count(AuditEvent, AuditEvent.action == "courses.attendance_marked") == 3


def test_bad_attendance_input_is_a_400_and_changes_nothing(app, world):
    ids = new_course(world.a, sessions=1)
    people = participants(world, ids[2])
    session_id = db.session.scalar(select(CourseSession.id))
    url = course_url(ids, f"/sessions/{session_id}/attendance")
    operator = client_of(app, "operator-a")
    for data in ({"shown": ["abc"], "present": []}, {"shown": [people["member-a"]], "present": [people["coordinator-a"]]},
                 {"shown": [999999], "present": [999999]}):
        response = post(operator, url, data)
        assert response.status_code == 400
        assert "Reload the page and mark attendance again." in body(response)
    assert count(SessionAttendance) == 0


def test_facilitators_mark_attendance_of_the_communities_they_support_only(app, world):
    ids = new_course(world.a, sessions=1)
    people = participants(world, ids[2])
    session_id = db.session.scalar(select(CourseSession.id))
    url = course_url(ids, f"/sessions/{session_id}/attendance")
    facilitator = client_of(app, "facilitator-a")
    page = body(facilitator.get(url))
    assert "secret-a1" in page and "secret-a2" not in page and "member-a2-0" not in page
    assert post(facilitator, url, {"shown": [people["member-a2-0"]], "present": [people["member-a2-0"]]}).status_code == 400
    assert post(facilitator, url, {"shown": [people["member-a"]], "present": [people["member-a"]]}).status_code == 302
    assert count(SessionAttendance) == 1
    assert client_of(app, "mentor-a").get(url).status_code == 403
    assert client_of(app, "facilitator-b").get(url).status_code == 404


# --- Completion ---------------------------------------------------------------------------


def test_completion_by_share_and_by_count_on_concrete_numbers(app, world):
    a1 = world.a.communities[0].id
    organisation_id = world.a.organisation.id
    ids = new_course(world.a, sessions=4, completion_rule=CompletionRule.SHARE, completion_threshold=70)
    two_more = add_members(a1, 2, "extra")  # four members: coordinator, member and two more
    coordinator, member = world.a.people["coordinator"].id, world.a.people["member"].id
    # 70 % of 4 sessions: 3 sessions needed. Attended: 4, 3, 3, 2 -> 3 of 4 members completed = 75 % >= 70 %.
    attend(ids[2], a1, organisation_id, {coordinator: 4, member: 3, two_more[0]: 3, two_more[1]: 2})
    status = completion_of(ids[2], a1)
    assert (status.members, status.completed, status.complete) == (4, 3, True)

    with system():  # one of them attended only 2: 2 of 4 = 50 % < 70 %
        session = db.session.scalar(select(CourseSession.id).where(CourseSession.course_id == ids[2])
                                    .order_by(CourseSession.starts_at))
        row = db.session.scalar(select(SessionAttendance).where(SessionAttendance.user_id == two_more[0],
                                                                SessionAttendance.session_id == session))
        row.attended = False
    status = completion_of(ids[2], a1)
    assert (status.completed, status.complete) == (2, False)

    with system():  # rule "count", at least 2 members: complete
        course = db.session.get(Course, ids[2])
        course.completion_rule, course.completion_threshold = CompletionRule.COUNT, 2
    assert completion_of(ids[2], a1).complete is True

    with system():  # the stage asks 50 %: 2 sessions are enough, so all four completed
        stage = db.session.scalar(select(Stage).where(Stage.programme_id == world.a.programme.id))
        stage.settings = {"course_completion_share": 50}
    assert completion_of(ids[2], a1).completed == 4

    with system():  # a member who left no longer counts
        db.session.execute(CommunityMembership.__table__.delete().where(CommunityMembership.user_id == two_more[1]))
    status = completion_of(ids[2], a1)
    assert (status.members, status.completed) == (3, 3)


def test_a_course_without_sessions_is_completed_by_doing_every_lesson(app, world):
    a1 = world.a.communities[0].id
    ids = new_course(world.a, sessions=0, lessons=2, completion_rule=CompletionRule.SHARE, completion_threshold=50)
    member = client_of(app, "member-a")
    lessons = db.session.scalars(select(Lesson.id).order_by(Lesson.position)).all()
    post(member, f"/communities/{a1}/courses/{ids[2]}/lessons/{lessons[0]}/done")
    assert completion_of(ids[2], a1).completed == 0  # one lesson of two
    post(member, f"/communities/{a1}/courses/{ids[2]}/lessons/{lessons[1]}/done")
    status = completion_of(ids[2], a1)
    assert (status.members, status.completed, status.complete) == (2, 1, True)  # 1 of 2 = 50 %
    assert "Completed by the community" in body(member.get(f"/communities/{a1}/courses"))


# --- The stage requirement, the cohort column, the progress section ------------------------


def test_the_requirement_is_met_when_every_required_course_is_complete(app, world):
    a1, a2 = (c.id for c in world.a.communities)
    organisation_id = world.a.organisation.id
    stage = stage_of(world.a)
    pm = app.extensions["hromada.plugins"]
    def ours():
        return [r for r in collect(pm, "hromada_stage_requirements", stage=stage) if r.key == "courses.required"]

    assert ours() == []  # no required course yet

    done = new_course(world.a, title="Walks", sessions=1, completion_rule=CompletionRule.COUNT, completion_threshold=1)
    new_course(world.a, title="Talks", sessions=1, completion_rule=CompletionRule.COUNT, completion_threshold=1)
    new_course(world.a, title="Optional", sessions=1, required=False)
    attend(done[2], a1, organisation_id, {world.a.people["member"].id: 1})
    (requirement,) = ours()
    assert text(requirement.label) == "Required courses completed"

    tenancy.set_organisation(organisation_id)  # as the operator's cohort page asks
    enrolments = db.session.scalars(select(Enrolment).order_by(Enrolment.id)).all()
    outcomes = requirement.evaluate(stage, enrolments)
    by_tenant = {e.tenant_id: outcomes[e.id] for e in enrolments}
    assert by_tenant[a1].met is False and text(by_tenant[a1].reason) == "Courses still open: Talks org-a"
    assert text(by_tenant[a2].reason) == "Courses still open: Walks org-a, Talks org-a"

    talks = db.session.scalar(select(Course.id).where(Course.title == "Talks org-a"))
    attend(talks, a1, organisation_id, {world.a.people["coordinator"].id: 1})
    tenancy.set_organisation(organisation_id)
    enrolments = db.session.scalars(select(Enrolment).where(Enrolment.tenant_id == a1)).all()
    assert evaluate_required_courses(stage, enrolments)[enrolments[0].id].met is True


def test_the_cohort_column_gives_each_enrolment_its_share_of_required_courses(app, world):
    a1 = world.a.communities[0].id
    organisation_id = world.a.organisation.id
    walks = new_course(world.a, title="Walks", sessions=1, completion_rule=CompletionRule.COUNT, completion_threshold=1)
    new_course(world.a, title="Talks", sessions=1)
    attend(walks[2], a1, organisation_id, {world.a.people["member"].id: 1})
    tenancy.set_organisation(organisation_id)
    enrolments = db.session.scalars(select(Enrolment).order_by(Enrolment.id)).all()
    (column,) = [c for c in collect(app.extensions["hromada.plugins"], "hromada_cohort_columns",
                                    programme=world.a.programme, enrolments=enrolments) if c.key == "courses.completion"]
    assert column.kind == "percent" and text(column.label) == "Course completion"
    assert {e.tenant_id: column.values[e.id] for e in enrolments} == {a1: 50, world.a.communities[1].id: 0}
    # Another organisation's context reads nothing of these communities: no value is made up.
    tenancy.set_organisation(world.b.organisation.id)
    assert set(cohort_completion(enrolments).values()) == {0}


def test_the_progress_section_lists_the_stages_courses_and_next_session(app, world):
    ids = new_course(world.a, sessions=1)
    a1 = world.a.communities[0].id
    stage = stage_of(world.a)
    tenancy.set_tenant(a1)
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.tenant_id == a1))
    with app.test_request_context("/"):
        (section,) = [s for s in collect(app.extensions["hromada.plugins"], "hromada_progress_sections",
                                         enrolment=enrolment, stage=stage, viewer=None) if s.key == "courses"]
        assert section.template == "courses/_progress.html"
        from flask import render_template

        html = render_template(section.template, enrolment=enrolment, stage=stage, **section.context)
    assert "Course of side org-a" in html and "Next session" in html and f"/courses/{ids[2]}" in html
    assert "meet.example.org" not in html  # the viewer is no participant


# --- Reminders ------------------------------------------------------------------------------


def test_session_reminders_reach_each_participant_once(app, world, runner):
    a1 = world.a.communities[0].id
    ids = new_course(world.a, sessions=2)  # starting in 2 hours and in 26 hours
    attend(ids[2], a1, world.a.organisation.id, {world.a.people["member"].id: 0})
    later = new_course(world.b, sessions=1)
    with system():
        db.session.get(CourseSession, db.session.scalar(
            select(CourseSession.id).where(CourseSession.course_id == later[2]))).starts_at += timedelta(days=3)

    result = runner.invoke(args=["courses", "send-reminders"])
    assert result.exit_code == 0, result.output
    assert "Enqueued session reminders for 1 communities." in result.output
    with tenancy.system_scope():
        notifications = db.session.scalars(select(Notification)).all()
        assert [n.user_id for n in notifications] == [world.a.people["member"].id]
        (notification,) = notifications
        assert notification.key.startswith("course-session:")
        assert notification.link == f"/communities/{a1}/courses/{ids[2]}"
        with app.test_request_context("/"):
            assert render(notification).startswith("Reminder: Course of side org-a, session on ")

    again = runner.invoke(args=["courses", "send-reminders"])  # the job runs a second time
    assert again.exit_code == 0
    # A delivery with other arguments (another run's list of sessions) still adds nothing.
    session_id = db.session.scalar(select(CourseSession.id).where(CourseSession.course_id == ids[2])
                                   .order_by(CourseSession.starts_at))
    handle = app.extensions["hromada.jobs"].enqueue("courses.session_reminders", tenant_id=a1,
                                                    session_ids=[session_id, 424242])
    assert handle.status == "finished" and handle.result == 0
    assert count(Notification) == 1
    assert count(JobRun, JobRun.name == "courses.session_reminders") == 2


# --- Query counts ---------------------------------------------------------------------------


@contextmanager
def counting_queries():
    statements: list[str] = []

    def listener(_connection, _cursor, statement, _parameters, _context, _executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def grow_community(world, community_id: int, course_ids, members: int, prefix: str):
    users = add_members(community_id, members, prefix)
    for course_id in course_ids:
        attend(course_id, community_id, world.a.organisation.id, {user: 3 for user in users})
        with system():
            for lesson_id in db.session.scalars(select(Lesson.id).join(CourseModule)
                                                .where(CourseModule.course_id == course_id)):
                for user in users:
                    db.session.add(LessonCompletion(tenant_id=community_id, organisation_id=world.a.organisation.id,
                                                    lesson_id=lesson_id, user_id=user))


def add_communities(world, number: int, course_ids) -> None:
    stage = stage_of(world.a)
    for n in range(number):
        with system():
            community = Community.create(f"Grown community {n}")
            db.session.add(Enrolment(tenant_id=community.id, organisation_id=world.a.organisation.id,
                                     programme_id=world.a.programme.id, current_stage_id=stage.id))
            community_id = community.id
        tenancy.set_tenant(None)
        grow_community(world, community_id, course_ids, 2, f"grown-{n}")


def test_the_course_pages_and_the_cohort_column_cost_the_same_queries_for_2_or_20(app, world):
    a1 = world.a.communities[0].id
    ids = [new_course(world.a, title=title, sessions=3, lessons=2) for title in ("Walks", "Talks")]
    courses = [course_id for _, _, course_id in ids]
    member = client_of(app, "member-a")
    for course_id in courses:
        post(member, f"/communities/{a1}/courses/{course_id}/join")
    session_id = db.session.scalar(select(CourseSession.id).where(CourseSession.course_id == courses[0])
                                   .order_by(CourseSession.starts_at))
    operator = client_of(app, "operator-a")
    pages = {
        "community's courses": (member, f"/communities/{a1}/courses"),
        "community's course": (member, f"/communities/{a1}/courses/{courses[0]}"),
        "operator's course": (operator, course_url(ids[0])),
        "attendance": (operator, course_url(ids[0], f"/sessions/{session_id}/attendance")),
    }

    def page_queries() -> dict[str, int]:
        counts = {}
        for name, (client, path) in pages.items():
            client.get(path)  # warm: sign-in bookkeeping settles
            with counting_queries() as statements:
                assert client.get(path).status_code == 200, name
            counts[name] = len(statements)
        return counts

    def column_queries() -> tuple[int, dict]:
        db.session.remove()
        tenancy.set_organisation(world.a.organisation.id)
        enrolments = db.session.scalars(select(Enrolment).order_by(Enrolment.id)).all()
        with counting_queries() as statements:
            values = cohort_completion(enrolments)
        return len(statements), values

    small_pages, (small_column, small_values) = page_queries(), column_queries()
    grow_community(world, a1, courses, 18, "many")  # 20 members in A1
    add_communities(world, 18, courses)  # 20 communities in the programme, each with participants
    large_pages, (large_column, large_values) = page_queries(), column_queries()
    assert len(large_values) == 20 and len(small_values) == 2
    assert large_pages == small_pages
    assert large_column == small_column
    assert "18 of 20 members completed it" in body(member.get(pages["community's courses"][1]))
    # member-a joined by the page, 18 more of A1, two in each of the 18 new communities.
    assert body(operator.get(pages["attendance"][1])).count('type="checkbox"') == 1 + 18 + 18 * 2


def test_the_operators_course_and_attendance_pages_show_fifty_communities_a_page_by_name(app, world):
    """At 8,000 communities these pages read and rendered every community of the programme (1.9 s for the
    attendance form at 20,000 communities); now fifty a page, in the order of their names."""
    ids = new_course(world.a, sessions=1)
    course_id = ids[2]
    add_communities(world, 53, [course_id])  # with A1 and A2: 55 communities, 53 with two people in the course
    session_id = db.session.scalar(select(CourseSession.id).where(CourseSession.course_id == course_id))
    operator = client_of(app, "operator-a")

    first, second = body(operator.get(course_url(ids))), body(operator.get(course_url(ids) + "?page=2"))
    names = sorted([f"Grown community {n}" for n in range(53)] + [c.name for c in world.a.communities], key=str.lower)
    shown_first = [name for name in names if f"<td>{name}</td>" in first]
    assert shown_first == names[:50] and "55 communities that you support, by name." in first
    assert "Page 1 of 2" in first and "?page=2" in first
    assert [name for name in names if f"<td>{name}</td>" in second] == names[50:]
    assert "Page 2 of 2" in second

    url = course_url(ids, f"/sessions/{session_id}/attendance")
    joined = sorted([f"Grown community {n}" for n in range(53)], key=str.lower)  # A1 and A2 have nobody in it
    page_two = body(operator.get(url + "?page=2"))
    assert "53 communities that you support have people in this course" in page_two
    assert [name for name in joined if f"<legend>{name}</legend>" in page_two] == joined[50:]
    shown = [int(value) for value in re.findall(r'name="shown" value="(\d+)"', page_two)]
    assert len(shown) == 3 * 2
    before = attendance_rows()
    saved = operator.post(url + "?page=2", data={"csrf_token": csrf_token(operator, url + "?page=2"),
                                                 "shown": shown, "present": shown[:1]})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("?page=2")
    after = attendance_rows()
    with system():
        marked = {(p.tenant_id, p.user_id): p.id for p in db.session.scalars(
            select(CourseParticipant).where(CourseParticipant.id.in_(shown)))}
    # Only page 2's people are marked: the one ticked present, the others absent.
    assert all(after[key][0] == (participant == shown[0]) for key, participant in marked.items())
    assert all(after[key] == before[key] for key in before if key not in marked)
    # A participant of page 1 sent with page 2's form: the list changed under the form, nothing is saved.
    other = int(re.findall(r'name="shown" value="(\d+)"', body(operator.get(url)))[0])
    refused = post(operator, url + "?page=2", {"shown": [other], "present": [other]})
    assert refused.status_code == 400 and attendance_rows() == after
