"""Communities move through stages: requirements, transitions with their history, the progress page,
staff assignment and the stalled-communities digest, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from flask_babel import format_date
from sqlalchemy import select, update

from hromada import tenancy
from hromada.contributions import Outcome, ProgressSection, Requirement
from hromada.extensions import db
from hromada.hookspecs import hookimpl
from hromada.modules.accounts.models import StaffMembership
from hromada.modules.audit.models import AuditEvent
from hromada.modules.communities.models import Enrolment, StaffAssignment
from hromada.modules.courses.models import CourseParticipant
from hromada.modules.courses.testing import build_course
from hromada.modules.notifications.models import Notification
from hromada.modules.progress import services
from hromada.modules.progress.models import EnrolmentTransition, ProgressStatus, StageProgress, TransitionKind
from hromada.modules.progress.testing import add_stages, enrolment_of, name_first_stages, set_enrolment
from hromada.testing.factories import sign_in, signed_in
from hromada.testing.fixtures import csrf_token


class PlanRequirement:
    """A test plugin: stages require an operational plan, written by the enrolments listed in `met`."""

    def __init__(self):
        self.met: set[int] = set()
        self.calls: list[tuple[int, list[int]]] = []

    @hookimpl
    def hromada_stage_requirements(self, stage):
        def evaluate(stage, enrolments):
            self.calls.append((stage.id, sorted(e.id for e in enrolments)))
            return {e.id: Outcome(e.id in self.met, "the operational plan is not written yet") for e in enrolments}

        return [Requirement("test.plan", "An operational plan is written", evaluate)]


@pytest.fixture
def enabled_plugins():
    # The core only: no stage plugin adds requirements or sections these tests do not set up.
    return []


@pytest.fixture
def world(world):
    name_first_stages(world)  # pages name the stages without their stage type plugin
    return world


@pytest.fixture
def plan(own_app, app):  # registers a plugin: an app for the test alone
    plugin = PlanRequirement()
    app.extensions["hromada.plugins"].register(plugin, name="test-requirements")
    return plugin


@pytest.fixture
def operator(app, world):
    client = app.test_client()
    sign_in(client, "operator-a")
    return client


def a1(world) -> Enrolment:
    return enrolment_of(world.a.communities[0].id, world.a.programme.id)


def progress_path(world, community=0) -> str:
    return f"/communities/{world.a.communities[community].id}/programmes/{world.a.programme.id}/progress"


def enrolment_path(world, enrolment_id: int, action: str) -> str:
    return (f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}"
            f"/enrolments/{enrolment_id}/{action}")


def post_advance(client, world, enrolment_id, stage_id, **fields):
    path = enrolment_path(world, enrolment_id, "advance")
    data = {"advance-csrf_token": csrf_token(client, path), "advance-stage_id": stage_id, **{
        f"advance-{key}": value for key, value in fields.items()}}
    return client.post(path, data=data)


def post_withdraw(client, world, enrolment_id, stage_id, reason):
    path = enrolment_path(world, enrolment_id, "withdraw")
    token = csrf_token(client, enrolment_path(world, enrolment_id, "advance"))
    return client.post(path, data={"withdraw-csrf_token": token, "withdraw-stage_id": stage_id,
                                   "withdraw-reason": reason})


def current_stage_id(enrolment_id: int) -> int | None:
    with tenancy.system_scope():
        db.session.expire_all()
        return db.session.get(Enrolment, enrolment_id).current_stage_id


def rows_of(model, enrolment_id: int) -> list:
    with tenancy.system_scope():
        db.session.expire_all()
        return list(db.session.scalars(select(model).where(model.enrolment_id == enrolment_id).order_by(model.id)))


def audit_actions(*actions) -> list[AuditEvent]:
    db.session.expire_all()
    with tenancy.system_scope():  # on PostgreSQL only system work reads the whole log
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action.in_(actions))
                                       .order_by(AuditEvent.id)))


# --- Transitions -----------------------------------------------------------------------


def test_advancing_and_withdrawing_keep_a_history_with_reasons(app, world, operator):
    first, second, third = add_stages(world.a, "Accelerator", "Civic course")
    enrolment = a1(world)

    response = post_advance(operator, world, enrolment.id, first.id, reason="Strong start")
    assert response.status_code == 303
    assert current_stage_id(enrolment.id) == second.id
    progress = {row.stage_id: row for row in rows_of(StageProgress, enrolment.id)}
    assert progress[first.id].status == ProgressStatus.COMPLETED and progress[first.id].completed_at
    assert progress[second.id].status == ProgressStatus.ADMITTED and progress[second.id].admitted_at

    response = post_withdraw(operator, world, enrolment.id, second.id, "The group dissolved for its safety")
    assert response.status_code == 303
    assert current_stage_id(enrolment.id) is None
    progress = {row.stage_id: row for row in rows_of(StageProgress, enrolment.id)}
    assert progress[second.id].status == ProgressStatus.WITHDRAWN and progress[second.id].withdrawn_at
    assert third.id not in progress

    history = rows_of(EnrolmentTransition, enrolment.id)
    assert [(t.kind, t.from_stage_id, t.to_stage_id) for t in history] == [
        (TransitionKind.ADMITTED, None, first.id),
        (TransitionKind.ADVANCED, first.id, second.id),
        (TransitionKind.WITHDRAWN, second.id, None),
    ]
    assert history[1].reason == "Strong start" and history[1].actor_id == world.a.people["operator"].id
    assert history[2].reason == "The group dissolved for its safety"
    assert [e.action for e in audit_actions("enrolment_advanced", "enrolment_withdrawn")] == [
        "enrolment_advanced", "enrolment_withdrawn"]
    # Reasons stay out of the audit log (it keeps ids only).
    assert all("reason" not in event.details for event in audit_actions("enrolment_advanced", "enrolment_withdrawn"))

    page = signed_in(app, "member-a").get(progress_path(world)).get_data(as_text=True)
    assert "Left the programme during the stage Accelerator." in page
    assert "The group dissolved for its safety" in page and "Strong start" in page


def test_the_last_stage_completes_the_programme_and_closed_stages_are_skipped(app, world, operator):
    first, closed, last = add_stages(world.a, "Closed one", "Last one", closed=("Closed one",))
    enrolment = a1(world)
    assert post_advance(operator, world, enrolment.id, first.id).status_code == 303
    assert current_stage_id(enrolment.id) == last.id  # the closed stage admits nobody
    assert post_advance(operator, world, enrolment.id, last.id).status_code == 303
    assert current_stage_id(enrolment.id) is None
    kinds = [t.kind for t in rows_of(EnrolmentTransition, enrolment.id)]
    assert kinds == [TransitionKind.ADMITTED, TransitionKind.ADVANCED, TransitionKind.COMPLETED]
    assert [e.action for e in audit_actions("enrolment_completed")] == ["enrolment_completed"]
    page = signed_in(app, "coordinator-a").get(progress_path(world)).get_data(as_text=True)
    assert "Completed the programme." in page
    assert "Move the community on" not in page


def test_open_requirements_stop_advancing_until_they_are_met(app, world, operator, plan):
    first, second = add_stages(world.a, "Accelerator")
    enrolment = a1(world)

    refused = post_advance(operator, world, enrolment.id, first.id)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Some requirements of this stage are still open." in body
    assert "the operational plan is not written yet" in body
    assert current_stage_id(enrolment.id) == first.id
    assert rows_of(StageProgress, enrolment.id) == [] and rows_of(EnrolmentTransition, enrolment.id) == []

    plan.met.add(enrolment.id)
    plan.calls.clear()
    assert post_advance(operator, world, enrolment.id, first.id).status_code == 303
    assert current_stage_id(enrolment.id) == second.id
    # Once for the page the form was read from, once for the post: each time for this enrolment only.
    assert plan.calls == [(first.id, [enrolment.id])] * 2


def test_requirements_are_evaluated_once_per_stage_for_all_enrolments(app, world, plan):
    first, = add_stages(world.a)
    enrolments = [a1(world), enrolment_of(world.a.communities[1].id, world.a.programme.id)]
    plan.met.add(enrolments[0].id)
    with tenancy.scope(organisation_id=world.a.organisation.id,
                       reader_tenants=frozenset(e.tenant_id for e in enrolments)):
        results = services.requirements_for(first, enrolments)
    assert len(plan.calls) == 1
    assert [outcome.met for _, outcome in results[enrolments[0].id]] == [True]
    assert [outcome.met for _, outcome in results[enrolments[1].id]] == [False]


def test_an_override_needs_a_written_reason_and_is_audited(app, world, operator, plan):
    first, second = add_stages(world.a, "Accelerator")
    enrolment = a1(world)

    refused = post_advance(operator, world, enrolment.id, first.id, override="y", reason="   ")
    assert refused.status_code == 400
    assert "Write why the community advances although requirements are open." in refused.get_data(as_text=True)
    assert current_stage_id(enrolment.id) == first.id

    reason = "The plan was presented orally at the coordination meeting"
    assert post_advance(operator, world, enrolment.id, first.id, override="y", reason=reason).status_code == 303
    assert current_stage_id(enrolment.id) == second.id
    transition = rows_of(EnrolmentTransition, enrolment.id)[-1]
    assert transition.kind == TransitionKind.OVERRIDE and transition.reason == reason
    (event,) = audit_actions("enrolment_overridden")
    assert event.actor_id == world.a.people["operator"].id
    assert event.community_id == enrolment.tenant_id and event.organisation_id == world.a.organisation.id
    assert event.details["open_requirements"] == ["test.plan"]
    page = signed_in(app, "member-a").get(progress_path(world)).get_data(as_text=True)
    assert "by an operator's decision, with requirements open" in page and reason in page


def test_a_stale_or_repeated_advance_changes_nothing_twice(app, world, operator):
    first, second, third = add_stages(world.a, "Accelerator", "Civic course")
    enrolment = a1(world)
    assert post_advance(operator, world, enrolment.id, first.id).status_code == 303
    # The same form again (a double click, the back button): it was shown for the first stage.
    again = post_advance(operator, world, enrolment.id, first.id)
    assert again.status_code == 303
    assert "nothing was changed" in operator.get(again.headers["Location"]).get_data(as_text=True)
    assert current_stage_id(enrolment.id) == second.id
    assert [t.kind for t in rows_of(EnrolmentTransition, enrolment.id)].count(TransitionKind.ADVANCED) == 1
    assert len(audit_actions("enrolment_advanced")) == 1
    stale_withdraw = post_withdraw(operator, world, enrolment.id, first.id, "an old page")
    assert stale_withdraw.status_code == 303 and current_stage_id(enrolment.id) == second.id


def test_two_operators_racing_move_the_community_once(app, world):
    first, second, third = add_stages(world.a, "Accelerator", "Civic course")
    enrolment_id = a1(world).id
    operator = db.session.get(type(world.a.people["operator"]), world.a.people["operator"].id)
    tenancy.set_organisation(world.a.organisation.id)
    mine = db.session.get(Enrolment, enrolment_id)
    assert mine.current_stage_id == first.id
    # Another request moves it between our read and our write.
    db.session.execute(update(Enrolment).where(Enrolment.id == enrolment_id).values(current_stage_id=second.id)
                       .execution_options(synchronize_session=False))
    with pytest.raises(services.StaleTransition):
        services.advance(mine, operator, expected_stage_id=first.id)
    db.session.rollback()
    assert rows_of(EnrolmentTransition, enrolment_id) == []


def test_only_operators_of_the_organisation_move_communities(app, world):
    first, = add_stages(world.a)
    enrolment = a1(world)
    coordinator = signed_in(app, "coordinator-a")
    page = coordinator.get(progress_path(world))
    assert page.status_code == 200
    assert "admitted since" in page.get_data(as_text=True)
    assert "Advance to the next stage" not in page.get_data(as_text=True)
    for handle in ("coordinator-a", "member-a", "mentor-a", "facilitator-a", "operator-b"):
        client = signed_in(app, handle)
        response = client.post(enrolment_path(world, enrolment.id, "advance"),
                               data={"csrf_token": csrf_token(client), "advance-stage_id": first.id})
        assert response.status_code in (403, 404), handle
    assert current_stage_id(enrolment.id) == first.id
    with tenancy.scope(organisation_id=world.a.organisation.id):
        mentor = db.session.get(type(world.a.people["mentor"]), world.a.people["mentor"].id)
        with pytest.raises(services.TransitionRefused):
            services.advance(db.session.get(Enrolment, enrolment.id), mentor)
        db.session.rollback()


def test_ids_of_another_programme_or_organisation_are_not_found(app, world, operator):
    b_enrolment = enrolment_of(world.b.communities[0].id, world.b.programme.id)
    a_org, a_prog, b_prog = world.a.organisation.id, world.a.programme.id, world.b.programme.id
    for path in (
        f"/organisations/{a_org}/programmes/{b_prog}/cohort",
        f"/organisations/{a_org}/programmes/{b_prog}/cohort.csv",
        f"/organisations/{a_org}/programmes/{a_prog}/enrolments/{b_enrolment.id}/advance",
        f"/organisations/{a_org}/programmes/{a_prog}/enrolments/{b_enrolment.id}/staff",
        f"/communities/{world.a.communities[0].id}/programmes/{b_prog}/progress",
        # Numbers no id can have are not found either (rather than overflowing the database driver).
        f"/organisations/{a_org}/programmes/{2**63}/cohort",
        f"/organisations/{a_org}/programmes/{a_prog}/enrolments/{2**70}/staff",
        f"/communities/{world.a.communities[0].id}/programmes/{2**64}/progress",
    ):
        response = operator.get(path)
        assert response.status_code == 404, path
        assert "secret-b" not in response.get_data(as_text=True)


def test_bad_input_is_refused_with_a_message_and_changes_nothing(app, world, operator):
    first, second = add_stages(world.a, "Accelerator")
    enrolment = a1(world)
    cases = [
        (post_advance(operator, world, enrolment.id, "abc"), "Please reload the page"),
        (post_advance(operator, world, enrolment.id, ""), "Please reload the page"),
        (post_advance(operator, world, enrolment.id, "9" * 40), "Please reload the page"),
        (post_advance(operator, world, enrolment.id, first.id, reason="x" * 2001), "At most 2000 characters."),
        (post_withdraw(operator, world, enrolment.id, first.id, ""), "Write why the community leaves the programme."),
    ]
    for response, message in cases:
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    assert current_stage_id(enrolment.id) == first.id
    assert rows_of(StageProgress, enrolment.id) == [] and rows_of(EnrolmentTransition, enrolment.id) == []


# --- The progress page ------------------------------------------------------------------


class ProgressBlock:
    @hookimpl
    def hromada_progress_sections(self, enrolment, stage, viewer):
        return [ProgressSection("test.block", "Test block", "test_progress/block.html",
                                {"note": f"seen by {viewer.handle}"}, order=1)]


def test_the_progress_page_shows_stages_requirements_staff_sections_and_timeline(app, world, plan):
    from jinja2 import DictLoader

    app.jinja_loader.loaders.append(DictLoader({"test_progress/block.html": "<p>{{ note }} in {{ stage.title }}</p>"}))
    app.extensions["hromada.plugins"].register(ProgressBlock(), name="test-block")
    first, second = add_stages(world.a, "Accelerator")
    page = signed_in(app, "member-a").get(progress_path(world))
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "secret-a1" in body and "secret-a2" not in body
    assert "An operational plan is written" in body and "the operational plan is not written yet" in body
    for handle in ("mentor-a", "expert-a", "facilitator-a"):
        assert handle in body  # assigned staff, by name
    assert "seen by member-a in Incubator" in body
    assert '<svg' in body and 'role="img"' in body and '<title id="timeline-title">' in body
    assert "Stage 1, Incubator: Admitted. This is the current stage." in body
    assert 'aria-current="step"' in body
    assert "Advance to the next stage" not in body  # a member does not move the community on

    overview = signed_in(app, "member-a").get(f"/communities/{world.a.communities[0].id}").get_data(as_text=True)
    assert progress_path(world) in overview


def test_a_community_is_active_in_its_stage_once_it_does_something(app, world):
    first, = add_stages(world.a)
    enrolment = a1(world)
    member = signed_in(app, "member-a")
    assert "admitted since" in member.get(progress_path(world)).get_data(as_text=True)
    set_enrolment(enrolment.id, last_activity_at=datetime.now(timezone.utc) + timedelta(seconds=1))
    assert "active since" in member.get(progress_path(world)).get_data(as_text=True)

    tenancy.set_tenant(enrolment.tenant_id)
    assert services.mark_started(enrolment.tenant_id) == 1
    assert services.mark_started(enrolment.tenant_id) == 0
    db.session.commit()
    (row,) = rows_of(StageProgress, enrolment.id)
    assert row.status == ProgressStatus.ACTIVE and row.started_at is not None
    assert [t.kind for t in rows_of(EnrolmentTransition, enrolment.id)] == [TransitionKind.ADMITTED]


def stage_cells(body: str, stage_title: str) -> dict[str, str]:
    """The cells of a stage's row on the progress page, by column."""
    row = re.search(rf'<th scope="row">\d+\. {re.escape(stage_title)}.*?</th>(.*?)</tr>', body, re.S).group(1)
    cells = [cell.strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
    return dict(zip(("status", "admitted", "started", "completed"), cells))


def shown_date(app, moment: datetime) -> str:
    with app.test_request_context():
        return format_date(moment)


def course_in_first_stage(world) -> tuple[int, int, int]:
    """A course of A's first stage with one session and one lesson: (course, session, lesson) ids."""
    with tenancy.system_scope():
        course = build_course(world.a)
        ids = course.id, course.sessions[0].id, course.modules[0].lessons[0].id
        db.session.commit()
    return ids


def mark_present(client, world, course_id: int, session_id: int, user_id: int):
    """The operator's attendance form, with one participant ticked."""
    with tenancy.system_scope():
        participant = db.session.scalar(select(CourseParticipant.id).where(
            CourseParticipant.course_id == course_id, CourseParticipant.user_id == user_id))
    path = (f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}"
            f"/courses/{course_id}/sessions/{session_id}/attendance")
    return client.post(path, data={"csrf_token": csrf_token(client, path), "shown": participant,
                                   "present": participant})


def test_the_first_activity_in_a_stage_starts_it_and_a_later_one_keeps_its_date(app, world, operator):
    course_id, session_id, lesson_id = course_in_first_stage(world)
    community_id = world.a.communities[0].id
    member = signed_in(app, "member-a")
    course_path = f"/communities/{community_id}/courses/{course_id}"
    assert member.post(course_path + "/join", data={"csrf_token": csrf_token(member, course_path)}).status_code == 302
    cells = stage_cells(member.get(progress_path(world)).get_data(as_text=True), "Incubator")
    assert (cells["status"], cells["started"]) == ("Admitted", "—")  # joining is not yet doing something

    # The operator marks the member present (in the organisation's context, for the community).
    assert mark_present(operator, world, course_id, session_id, world.a.people["member"].id).status_code == 302
    cells = stage_cells(member.get(progress_path(world)).get_data(as_text=True), "Incubator")
    assert (cells["status"], cells["started"]) == ("Active", shown_date(app, datetime.now(timezone.utc)))

    # Days later (the start moved back to show it), the member finishes a lesson: the stage keeps its start.
    enrolment = a1(world)
    (row,) = rows_of(StageProgress, enrolment.id)
    started = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)
    with tenancy.system_scope():
        db.session.execute(update(StageProgress).where(StageProgress.id == row.id).values(started_at=started))
        db.session.commit()
    lesson_path = f"{course_path}/lessons/{lesson_id}"
    response = member.post(lesson_path + "/done", data={"csrf_token": csrf_token(member, lesson_path)})
    assert response.status_code == 302
    page = member.get(progress_path(world)).get_data(as_text=True)
    cells = stage_cells(page, "Incubator")
    assert (cells["status"], cells["started"]) == ("Active", shown_date(app, started))
    assert f"active since {shown_date(app, started)}." in page  # the summary says when it started, too
    assert len(rows_of(StageProgress, enrolment.id)) == 1
    assert [t.kind for t in rows_of(EnrolmentTransition, enrolment.id)] == [TransitionKind.ADMITTED]


def test_an_organisation_acting_for_a_community_starts_only_its_own_programme(app, world):
    """A1 is also in B's programme: activity recorded by A's organisation, which may read A1, starts A's stage only."""
    community_id = world.a.communities[0].id
    with tenancy.system_scope():
        b_stage = db.session.scalar(
            select(Enrolment.current_stage_id).where(Enrolment.programme_id == world.b.programme.id))
        db.session.add(Enrolment(tenant_id=community_id, organisation_id=world.b.organisation.id,
                                 programme_id=world.b.programme.id, current_stage_id=b_stage))
        db.session.commit()
    b_enrolment = enrolment_of(community_id, world.b.programme.id)

    # Reading is not writing: B's enrolment is readable here, its progress is not A's to write.
    with tenancy.scope(organisation_id=world.a.organisation.id, reader_tenants=frozenset({community_id})):
        assert services.mark_started(community_id) == 1
        db.session.commit()
    (row,) = rows_of(StageProgress, a1(world).id)
    assert row.status == ProgressStatus.ACTIVE and row.started_at is not None
    assert rows_of(StageProgress, b_enrolment.id) == []
    b_page = signed_in(app, "member-a").get(f"/communities/{community_id}/programmes/{world.b.programme.id}/progress")
    assert stage_cells(b_page.get_data(as_text=True), "Incubator")["started"] == "—"


def test_operators_see_the_forms_on_the_progress_page(app, world, operator):
    add_stages(world.a, "Accelerator")
    body = operator.get(progress_path(world, community=1)).get_data(as_text=True)
    assert "secret-a2" in body
    assert "Advance to the next stage" in body and "Withdraw from the programme" in body
    assert 'name="advance-next" type="hidden" value="' + progress_path(world, community=1) in body


# --- Staff assignment -------------------------------------------------------------------


def staff_path(world, enrolment_id):
    return enrolment_path(world, enrolment_id, "staff")


def membership_id(world, role, side="a") -> int:
    person = getattr(world, side).people[role]
    return db.session.scalar(select(StaffMembership.id).where(StaffMembership.user_id == person.id))


def test_assigned_staff_reach_the_community_until_they_are_removed(app, world, operator):
    a2 = world.a.communities[1]
    enrolment = enrolment_of(a2.id, world.a.programme.id)
    mentor = signed_in(app, "mentor-a")
    assert mentor.get(f"/communities/{a2.id}").status_code == 404
    assert "secret-a2" not in mentor.get("/staff/communities").get_data(as_text=True)

    path = staff_path(world, enrolment.id)
    mentor_membership = membership_id(world, "mentor")
    for _ in range(2):  # the second post (a double click) assigns nothing more
        response = operator.post(path, data={"csrf_token": csrf_token(operator, path),
                                             "membership": mentor_membership})
        assert response.status_code == 303
    assert len(rows_of(StaffAssignment, enrolment.id)) == 1
    assert len(audit_actions("staff_assigned")) == 1
    assert "mentor-a" in operator.get(path).get_data(as_text=True)

    mentor = signed_in(app, "mentor-a")  # a fresh session: reach is computed per request
    assert "secret-a2" in mentor.get("/staff/communities").get_data(as_text=True)
    assert mentor.get(f"/communities/{a2.id}").status_code == 200
    assert mentor.get(f"/communities/{world.b.communities[0].id}").status_code == 404
    assert "secret-a2" in mentor.get(progress_path(world, community=1)).get_data(as_text=True)

    (assignment,) = rows_of(StaffAssignment, enrolment.id)
    for _ in range(2):
        response = operator.post(path + "/remove", data={"csrf_token": csrf_token(operator, path),
                                                         "assignment": assignment.id})
        assert response.status_code == 303
    assert rows_of(StaffAssignment, enrolment.id) == []
    assert len(audit_actions("staff_unassigned")) == 1
    assert signed_in(app, "mentor-a").get(f"/communities/{a2.id}").status_code == 404


def test_only_the_organisations_mentors_experts_and_facilitators_can_be_assigned(app, world, operator):
    enrolment = enrolment_of(world.a.communities[1].id, world.a.programme.id)
    path = staff_path(world, enrolment.id)
    page = operator.get(path).get_data(as_text=True)
    assert "mentor-a" in page and "operator-a —" not in page and "mentor-b" not in page
    for value in ("", "abc", str(membership_id(world, "operator")), str(membership_id(world, "mentor", "b"))):
        response = operator.post(path, data={"csrf_token": csrf_token(operator, path), "membership": value})
        assert response.status_code == 400, value
        assert "Choose a" in response.get_data(as_text=True)
    garbage = operator.post(path + "/remove", data={"csrf_token": csrf_token(operator, path), "assignment": "x"})
    assert garbage.status_code == 400 and "Please reload the page" in garbage.get_data(as_text=True)
    assert rows_of(StaffAssignment, enrolment.id) == []
    # An assignment of another enrolment is not removed through this one.
    other = rows_of(StaffAssignment, a1(world).id)[0]
    operator.post(path + "/remove", data={"csrf_token": csrf_token(operator, path), "assignment": other.id})
    assert len(rows_of(StaffAssignment, a1(world).id)) == 3


# --- The stalled-communities digest -----------------------------------------------------


def notifications_of(user_id) -> list[Notification]:
    db.session.expire_all()
    with tenancy.system_scope():  # on PostgreSQL only the recipient or system work reads them
        return list(db.session.scalars(select(Notification).where(Notification.user_id == user_id)))


def test_the_digest_tells_operators_once_a_day_which_communities_stalled(app, world, runner):
    a1_enrolment, a2_enrolment = (enrolment_of(c.id, world.a.programme.id) for c in world.a.communities)
    long_ago = datetime.now(timezone.utc) - timedelta(days=30)
    set_enrolment(a1_enrolment.id, last_activity_at=long_ago)
    set_enrolment(a2_enrolment.id, last_activity_at=datetime.now(timezone.utc) - timedelta(days=2))
    b_enrolment = enrolment_of(world.b.communities[0].id, world.b.programme.id)
    set_enrolment(b_enrolment.id, last_activity_at=long_ago, current_stage_id=None)  # out of the programme

    result = runner.invoke(args=["progress", "send-digest", "--day", "2026-11-21"])
    assert result.exit_code == 0, result.output
    assert "digest for 2026-11-21 finished" in result.output
    operator_a = world.a.people["operator"].id
    (notice,) = notifications_of(operator_a)
    assert notice.params == {"programme": "Programme A", "num": 1, "days": 14}
    assert notice.link == f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}/cohort?stalled=y"
    assert notifications_of(world.b.people["operator"].id) == []
    assert notifications_of(world.a.people["mentor"].id) == []

    again = runner.invoke(args=["progress", "send-digest", "--day", "2026-11-21"])
    assert "skipped" in again.output
    assert len(notifications_of(operator_a)) == 1
    runner.invoke(args=["progress", "send-digest", "--day", "2026-11-22"])
    assert len(notifications_of(operator_a)) == 2

    client = signed_in(app, "operator-a")
    page = client.get("/notifications").get_data(as_text=True)
    assert "Stalled communities in Programme A: 1. Days without activity: at least 14." in page
    stalled = client.get(notice.link).get_data(as_text=True)
    assert "secret-a1" in stalled and "secret-a2" not in stalled

    bad = runner.invoke(args=["progress", "send-digest", "--day", "yesterday"])
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output


def test_the_digest_job_reads_only_enrolments_for_its_organisation(app, world):
    a1_enrolment = enrolment_of(world.a.communities[0].id, world.a.programme.id)
    set_enrolment(a1_enrolment.id, last_activity_at=datetime.now(timezone.utc) - timedelta(days=30))
    handle = app.extensions["hromada.jobs"].enqueue("progress.stalled_digest",
                                                    organisation_id=world.a.organisation.id, day="2026-11-23")
    assert handle.status == "finished"
    assert handle.result == {world.a.programme.id: 1}
    same_day = app.extensions["hromada.jobs"].enqueue("progress.stalled_digest",
                                                      organisation_id=world.a.organisation.id, day="2026-11-23")
    assert same_day.status == "skipped"
