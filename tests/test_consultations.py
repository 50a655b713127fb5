"""Consultations: the flow from request to rating, who sees what, follow-ups, KPIs and faults.

Every test runs on SQLite and on PostgreSQL (as the application role, under
row-level security). The world is `build_world()`: A's mentor, expert and
facilitator are assigned to A's first community, where coordinator-a and
member-a belong; A's operator reaches both of A's communities.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from babel.dates import format_date
from sqlalchemy import delete, func, inspect, select, text, update

from hromada import tenancy
from hromada.extensions import db
from hromada.jobs.models import JobRun, OutboxJob
from hromada.modules.accounts.models import CommunityMembership
from hromada.modules.audit.models import AuditEvent
from hromada.modules.consultations import kpis
from hromada.modules.consultations.jobs import REMINDER_JOB
from hromada.modules.consultations.models import Consultation, ConsultationStatus, FollowUp, NoteShare
from hromada.modules.consultations.testing import PSYCHOLOGICAL_SUPPORT, SECURITY, add_consultation, enrolment_of
from hromada.modules.notifications.models import Notification
from hromada.modules.notifications.service import render
from hromada.testing.factories import signed_in
from hromada.testing.fixtures import csrf_token

NOTES = "The coordinator is exhausted after the searches; we talked about sleep. notes-xyz"
SUMMARY = "We agreed on a weekly check-in and a rota for hosting meetings."
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # a closed port: nothing listens there
INPUT = re.compile(r'<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"')




def hidden_fields(client, path) -> dict:
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    return dict(INPUT.findall(page.get_data(as_text=True)))


def body(response) -> str:
    return response.get_data(as_text=True)


def moment(delta: timedelta) -> str:
    return (datetime.now(timezone.utc) + delta).strftime("%Y-%m-%dT%H:%M")


def consultations(**criteria) -> list[Consultation]:
    with tenancy.system_scope():
        rows = db.session.scalars(select(Consultation).filter_by(**criteria).order_by(Consultation.id)).all()
        db.session.expunge_all()
    return rows


def count(model, *criteria) -> int:
    with tenancy.system_scope():
        return db.session.scalar(select(func.count()).select_from(model).where(*criteria))


def request_consultation(app, world, topic=PSYCHOLOGICAL_SUPPORT, client=None):
    a1 = world.a.communities[0].id
    client = client or signed_in(app, "coordinator-a")
    path = f"/communities/{a1}/consultations/request"
    fields = hidden_fields(client, path)
    enrolment = enrolment_of(a1)
    response = client.post(path, data={
        **fields, "topic": f"{enrolment.id}:{topic}", "needs": "Support after a hard month",
        "preferred_times": "Tuesday evenings", "details": "",
    })
    assert response.status_code == 302, body(response)
    return consultations(tenant_id=a1)[-1]


def schedule(app, world, consultation, handle="expert-a", staff="expert"):
    client = signed_in(app, handle)
    path = f"/communities/{consultation.tenant_id}/consultations/{consultation.id}/schedule"
    fields = hidden_fields(client, path)
    response = client.post(path, data={
        **fields, "starts_at": moment(timedelta(days=3)), "mode": "online",
        "online_link": "https://meet.example.org/quiet-room", "place": "",
        "staff_id": str(world.a.people[staff].id),
    })
    assert response.status_code == 302, body(response)
    return client


def its_time_comes(consultation) -> None:
    """The scheduled time passes: the consultation can now be logged as held."""
    with tenancy.system_scope():
        db.session.execute(update(Consultation).where(Consultation.id == consultation.id)
                           .values(starts_at=datetime.now(timezone.utc) - timedelta(hours=1)))
        db.session.commit()


def log_form(world, fields, **changes) -> dict:
    data = {
        **fields, "duration_minutes": "50", "summary": SUMMARY, "private_notes": NOTES,
        "follow_ups-0-task": "Draft the rota", "follow_ups-0-owner": str(world.a.people["coordinator"].id),
        "follow_ups-0-due_on": (date.today() + timedelta(days=5)).isoformat(),
        "follow_ups-1-task": "", "follow_ups-1-owner": "", "follow_ups-1-due_on": "",
    }
    data.update(changes)
    return data


def held_consultation(app, world, topic=PSYCHOLOGICAL_SUPPORT):
    """Requested by coordinator-a, scheduled and logged by expert-a with private notes and a follow-up."""
    consultation = request_consultation(app, world, topic)
    client = schedule(app, world, consultation)
    its_time_comes(consultation)
    path = f"/communities/{consultation.tenant_id}/consultations/{consultation.id}/log"
    response = client.post(path, data=log_form(world, hidden_fields(client, path)))
    assert response.status_code == 302, body(response)
    return consultations(id=consultation.id)[0], client


# --- Topics ---------------------------------------------------------------------------


def test_a_coordinator_is_offered_the_topics_of_the_current_stage_and_of_the_programme(app, world):
    operator = signed_in(app, "operator-a")
    org, programme = world.a.organisation.id, world.a.programme.id
    path = f"/organisations/{org}/programmes/{programme}/consultation-topics"
    response = operator.post(path, data={**hidden_fields(operator, path), "title": "Fundraising basics"})
    assert response.status_code == 302

    coordinator = signed_in(app, "coordinator-a")
    page = body(coordinator.get(f"/communities/{world.a.communities[0].id}/consultations/request"))
    assert "Psychological support" in page and "Security: safe communication" in page
    assert "Fundraising basics" in page
    assert "Electoral campaigns" not in page and "strategy" not in page.lower()  # other stages' topics

    # A topic of another stage, posted by hand, is refused with a message and stores nothing.
    enrolment = enrolment_of(world.a.communities[0].id)
    path = f"/communities/{world.a.communities[0].id}/consultations/request"
    response = coordinator.post(path, data={
        **hidden_fields(coordinator, path), "topic": f"{enrolment.id}:accelerator.strategy",
        "needs": "x", "preferred_times": "y",
    })
    assert response.status_code == 400
    assert "Choose one of the topics offered to the community now." in body(response)
    assert consultations() == []


def test_operators_manage_their_programme_topics_only(app, world):
    operator = signed_in(app, "operator-a")
    org, programme = world.a.organisation.id, world.a.programme.id
    path = f"/organisations/{org}/programmes/{programme}/consultation-topics"
    fields = hidden_fields(operator, path)
    assert operator.post(path, data={**fields, "title": "Fundraising basics"}).status_code == 302
    duplicate = operator.post(path, data={**fields, "title": "Fundraising basics"})
    assert duplicate.status_code == 400 and "has a topic with this title already" in body(duplicate)
    assert operator.post(path, data={**fields, "title": ""}).status_code == 400
    assert operator.post(path, data={**fields, "title": "x" * 201}).status_code == 400

    # Another organisation's programme under this organisation's id: not found.
    assert operator.get(f"/organisations/{org}/programmes/{world.b.programme.id}/consultation-topics").status_code == 404
    for handle in ("mentor-a", "expert-a", "coordinator-a"):
        assert signed_in(app, handle).get(path).status_code in (403, 404), handle

    from hromada.modules.consultations.models import ProgrammeTopic

    with tenancy.system_scope():
        topic = db.session.scalar(select(ProgrammeTopic))
    retire = f"{path}/{topic.id}/retire"
    assert operator.post(retire, data={"csrf_token": fields["csrf_token"]}).status_code == 302
    assert operator.post(retire, data={"csrf_token": fields["csrf_token"]}).status_code == 302  # twice: no change
    page = body(signed_in(app, "coordinator-a").get(f"/communities/{world.a.communities[0].id}/consultations/request"))
    assert "Fundraising basics" not in page


# --- Requesting --------------------------------------------------------------------------


def test_a_request_sent_twice_is_stored_once(app, world):
    a1 = world.a.communities[0].id
    coordinator = signed_in(app, "coordinator-a")
    path = f"/communities/{a1}/consultations/request"
    fields = hidden_fields(coordinator, path)
    data = {**fields, "topic": f"{enrolment_of(a1).id}:{SECURITY}", "needs": "Our chats leak",
            "preferred_times": "Mornings"}
    first = coordinator.post(path, data=data)
    second = coordinator.post(path, data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    (stored,) = consultations(tenant_id=a1)
    assert stored.status == ConsultationStatus.REQUESTED and stored.topic_key == SECURITY
    assert stored.organisation_id == world.a.organisation.id and stored.stage_type == "incubator"
    assert not stored.notes_author_only
    # The staff who can answer are told, without the community's name or the topic.
    with tenancy.system_scope():
        told = set(db.session.scalars(select(Notification.user_id).where(Notification.key.like("consultations.request:%"))))
        messages = set(db.session.scalars(select(Notification.message)))
    assert told == {world.a.people["operator"].id, world.a.people["mentor"].id, world.a.people["expert"].id}
    assert not any("Community" in message or "secret" in message for message in messages)


def test_a_psychological_support_request_keeps_its_notes_author_only(app, world):
    assert request_consultation(app, world, PSYCHOLOGICAL_SUPPORT).notes_author_only


@pytest.mark.parametrize("changes, message", [
    ({"needs": ""}, "Say what the community needs."),
    ({"needs": "x" * 4001}, "At most 4000 characters."),
    ({"preferred_times": ""}, "Suggest some times that suit the community."),
    ({"topic": ""}, "Choose a topic."),
    ({"topic": "999999:incubator.security"}, "Choose one of the topics offered to the community now."),
    ({"form_key": "not-a-uuid"}, "The form is incomplete. Please open it again."),
])
def test_a_bad_request_is_refused_with_a_message_and_stores_nothing(app, world, changes, message):
    a1 = world.a.communities[0].id
    coordinator = signed_in(app, "coordinator-a")
    path = f"/communities/{a1}/consultations/request"
    data = {**hidden_fields(coordinator, path), "topic": f"{enrolment_of(a1).id}:{SECURITY}", "needs": "Help",
            "preferred_times": "Evenings", **changes}
    response = coordinator.post(path, data=data)
    assert response.status_code == 400
    assert message in body(response)
    assert consultations() == []


def test_only_a_coordinator_requests(app, world):
    a1 = world.a.communities[0].id
    for handle in ("member-a", "mentor-a", "expert-a", "operator-a", "coordinator-b"):
        response = signed_in(app, handle).get(f"/communities/{a1}/consultations/request")
        assert response.status_code in (403, 404), handle


# --- Scheduling ------------------------------------------------------------------------------


def test_an_assigned_expert_schedules_with_an_https_link_and_the_coordinator_is_told(app, world):
    consultation = request_consultation(app, world)
    expert = signed_in(app, "expert-a")
    path = f"/communities/{consultation.tenant_id}/consultations/{consultation.id}/schedule"
    fields = hidden_fields(expert, path)
    data = {**fields, "starts_at": moment(timedelta(days=2)), "mode": "online",
            "online_link": "http://meet.example.org/room", "place": "", "staff_id": str(world.a.people["expert"].id)}
    refused = expert.post(path, data=data)
    assert refused.status_code == 400 and "Enter a link that starts with https://." in body(refused)
    for changes, message in [
        ({"online_link": "javascript:alert(1)"}, "Enter a link that starts with https://."),
        ({"mode": "offline", "online_link": ""}, "Say where the consultation takes place."),
        ({"mode": "carrier pigeon"}, "Choose online or in person."),
        ({"starts_at": "tomorrow"}, "Enter a date and time such as 2027-03-05 18:30."),
        ({"starts_at": moment(-timedelta(days=1))}, "Choose a time in the future."),
        ({"staff_id": str(world.a.people["facilitator"].id)}, "Choose a mentor or expert assigned to the community."),
        ({"staff_id": str(world.b.people["expert"].id)}, "Choose a mentor or expert assigned to the community."),
    ]:
        response = expert.post(path, data={**data, "online_link": "https://meet.example.org/room", **changes})
        assert response.status_code == 400 and message in body(response), changes
    assert consultations(id=consultation.id)[0].status == ConsultationStatus.REQUESTED

    ok = expert.post(path, data={**data, "online_link": "https://meet.example.org/room"})
    assert ok.status_code == 302
    stored = consultations(id=consultation.id)[0]
    assert stored.status == ConsultationStatus.SCHEDULED and stored.staff_id == world.a.people["expert"].id
    assert stored.accepted_at is not None and stored.online_link == "https://meet.example.org/room"
    with tenancy.system_scope():
        told = set(db.session.scalars(select(Notification.user_id).where(Notification.key.like("consultations.scheduled:%"))))
    assert told == {world.a.people["coordinator"].id, world.a.people["expert"].id}

    # The same form sent again (stale revision) changes nothing.
    again = expert.post(path, data={**data, "online_link": "https://other.example.org/x"})
    assert again.status_code == 302
    assert consultations(id=consultation.id)[0].online_link == "https://meet.example.org/room"


@pytest.mark.parametrize("revision", [str(2**63), str(2**31), "-1", "1e3", "١"])
def test_a_revision_no_database_holds_is_refused_as_an_incomplete_form(app, world, revision):
    consultation = request_consultation(app, world)
    expert = signed_in(app, "expert-a")
    path = f"/communities/{consultation.tenant_id}/consultations/{consultation.id}/schedule"
    data = {**hidden_fields(expert, path), "starts_at": moment(timedelta(days=2)), "mode": "online",
            "online_link": "https://meet.example.org/room", "place": "",
            "staff_id": str(world.a.people["expert"].id), "revision": revision}
    response = expert.post(path, data=data)
    assert response.status_code == 400 and "The form is incomplete. Please open it again." in body(response)
    assert consultations(id=consultation.id)[0].status == ConsultationStatus.REQUESTED


def test_operators_schedule_facilitators_and_members_cannot(app, world):
    consultation = request_consultation(app, world)
    path = f"/communities/{consultation.tenant_id}/consultations/{consultation.id}/schedule"
    for handle in ("facilitator-a", "member-a", "coordinator-a", "operator-b", "expert-b"):
        assert signed_in(app, handle).get(path).status_code in (403, 404), handle
    schedule(app, world, consultation, handle="operator-a", staff="mentor")
    stored = consultations(id=consultation.id)[0]
    assert stored.staff_id == world.a.people["mentor"].id and stored.scheduled_by_id == world.a.people["operator"].id


def test_a_consultation_id_of_another_community_is_not_found_even_for_its_operator(app, world):
    # A's operator reaches both of A's communities; the pair (community, consultation) must still match.
    a2_consultation = add_consultation(world.a.communities[1].id, status=ConsultationStatus.REQUESTED,
                                       requested_by_id=world.a.people["coordinator"].id, marker="secret-a2")
    operator = signed_in(app, "operator-a")
    a1 = world.a.communities[0].id
    for suffix in ("", "/schedule", "/notes"):
        response = operator.get(f"/communities/{a1}/consultations/{a2_consultation.id}{suffix}")
        assert response.status_code in (403, 404) and "secret-a2" not in body(response), suffix
    assert operator.get(f"/communities/{world.a.communities[1].id}/consultations/{a2_consultation.id}").status_code == 200


# --- Logging ------------------------------------------------------------------------------------


def test_the_expert_logs_notes_sealed_summary_shared_and_a_double_submit_stores_once(app, world):
    consultation = request_consultation(app, world)
    expert = schedule(app, world, consultation)
    its_time_comes(consultation)
    path = f"/communities/{consultation.tenant_id}/consultations/{consultation.id}/log"
    data = log_form(world, hidden_fields(expert, path))
    first = expert.post(path, data=data)
    second = expert.post(path, data=data)
    assert first.status_code == second.status_code == 302

    stored = consultations(id=consultation.id)[0]
    assert stored.status == ConsultationStatus.LOGGED and stored.duration_minutes == 50
    assert stored.summary == SUMMARY and stored.notes_author_id == world.a.people["expert"].id
    assert NOTES.encode() not in bytes(stored.private_notes)
    assert count(FollowUp) == 1
    # Logging is activity of the community.
    assert enrolment_of(consultation.tenant_id).last_activity_at is not None
    # Nobody is reminded at once: the follow-up is due in 5 days, the reminder comes 2 days before.
    assert count(Notification, Notification.key.like("consultations.follow-up:%")) == 0


@pytest.mark.real_commits  # lists the tables on a connection of its own
def test_the_plaintext_of_private_notes_is_nowhere_in_the_database(app, world):
    held_consultation(app, world)
    needle = "notes-xyz"
    found = []
    with tenancy.system_scope():
        for name in inspect(db.engine).get_table_names():
            for row in db.session.execute(text(f'SELECT * FROM "{name}"')):
                for value in row:
                    if isinstance(value, (bytes, memoryview)) and needle.encode() in bytes(value):
                        found.append(name)
                    elif isinstance(value, (str, dict, list)) and needle in str(value):
                        found.append(name)
    assert found == []


@pytest.mark.parametrize("changes, message", [
    ({"duration_minutes": "0"}, "Enter between 1 and 600 minutes."),
    ({"duration_minutes": "601"}, "Enter between 1 and 600 minutes."),
    ({"duration_minutes": "an hour"}, "Enter the duration as a number of minutes."),
    ({"summary": ""}, "Write a short summary for the community."),
    ({"private_notes": "x" * 20001}, "At most 20000 characters."),
    ({"follow_ups-0-owner": "999999"}, "Choose who does it."),
    ({"follow_ups-0-due_on": "next week"}, "Enter a date such as 2027-03-05."),
    ({"follow_ups-0-due_on": "2001-01-01"}, "The due date cannot be in the past."),
    ({"follow_ups-1-due_on": "2031-01-01"}, "Describe the task, or leave the whole row empty."),
])
def test_a_bad_log_is_refused_with_a_message_and_nothing_half_saved(app, world, changes, message):
    consultation = request_consultation(app, world)
    expert = schedule(app, world, consultation)
    its_time_comes(consultation)
    path = f"/communities/{consultation.tenant_id}/consultations/{consultation.id}/log"
    response = expert.post(path, data=log_form(world, hidden_fields(expert, path), **changes))
    assert response.status_code == 400
    assert message in body(response)
    stored = consultations(id=consultation.id)[0]
    assert stored.status == ConsultationStatus.SCHEDULED and stored.private_notes is None
    assert count(FollowUp) == 0


def test_only_the_responsible_mentor_or_expert_logs(app, world):
    consultation = request_consultation(app, world)
    schedule(app, world, consultation)  # expert-a is responsible
    its_time_comes(consultation)
    path = f"/communities/{consultation.tenant_id}/consultations/{consultation.id}/log"
    for handle in ("mentor-a", "operator-a", "facilitator-a", "coordinator-a", "expert-b"):
        assert signed_in(app, handle).get(path).status_code in (403, 404), handle


def test_a_mentor_logs_a_session_directly_once(app, world):
    a1 = world.a.communities[0].id
    mentor = signed_in(app, "mentor-a")
    path = f"/communities/{a1}/consultations/log"
    fields = hidden_fields(mentor, path)
    data = log_form(world, fields, topic=f"{enrolment_of(a1).id}:{SECURITY}",
                    held_at=moment(-timedelta(hours=2)))
    assert mentor.post(path, data=data).status_code == 302
    assert mentor.post(path, data=data).status_code == 302
    (stored,) = consultations(tenant_id=a1)
    assert stored.status == ConsultationStatus.LOGGED and stored.requested_at is None
    assert stored.staff_id == world.a.people["mentor"].id and count(FollowUp) == 1
    future = mentor.post(path, data={**data, "form_key": "6f1c1c39-5f8c-4d43-9d8a-5b0b1f7c0a11",
                                     "held_at": moment(timedelta(days=1))})
    assert future.status_code == 400 and "A session can be logged only after it took place." in body(future)
    # Members, operators and another organisation's mentor never log.
    for handle in ("operator-a", "coordinator-a", "mentor-b"):
        assert signed_in(app, handle).get(path).status_code in (403, 404), handle


def test_an_expert_records_a_consultation_that_already_happened(app, world):
    a1 = world.a.communities[0].id
    expert = signed_in(app, "expert-a")
    assert "Log a session" in body(expert.get(f"/communities/{a1}/consultations"))
    path = f"/communities/{a1}/consultations/log"
    data = log_form(world, hidden_fields(expert, path), topic=f"{enrolment_of(a1).id}:{SECURITY}",
                    held_at=moment(-timedelta(days=2)))
    assert expert.post(path, data=data).status_code == 302
    (stored,) = consultations(tenant_id=a1)
    assert stored.status == ConsultationStatus.LOGGED and stored.staff_id == world.a.people["expert"].id


def test_a_consultation_is_logged_as_held_only_once_its_time_has_come(app, world):
    consultation = request_consultation(app, world)
    path = f"/communities/{consultation.tenant_id}/consultations/{consultation.id}"
    expert = signed_in(app, "expert-a")
    before = expert.get(path + "/log")  # requested: the page says to schedule it first
    assert before.status_code == 200 and "This consultation is not scheduled yet." in body(before)
    assert f'href="{path}/schedule"' in body(before)
    schedule(app, world, consultation)
    assert "Log the consultation" not in body(expert.get(path))  # no button for a consultation to come
    early = expert.get(path + "/log")
    assert early.status_code == 200 and "has not taken place yet" in body(early)
    posted = expert.post(path + "/log", data=log_form(world, {"csrf_token": csrf_token(expert),
                                                             "form_key": "6f1c1c39-5f8c-4d43-9d8a-5b0b1f7c0a12"}))
    assert posted.status_code == 409
    assert consultations(id=consultation.id)[0].status == ConsultationStatus.SCHEDULED
    its_time_comes(consultation)
    assert "Log the consultation" in body(expert.get(path))
    assert expert.post(path + "/log", data=log_form(world, hidden_fields(expert, path + "/log"))).status_code == 302
    assert consultations(id=consultation.id)[0].status == ConsultationStatus.LOGGED


def test_a_consultation_cannot_be_scheduled_in_the_year_9999(app, world):
    consultation = request_consultation(app, world)
    client = signed_in(app, "expert-a")
    path = f"/communities/{consultation.tenant_id}/consultations/{consultation.id}/schedule"
    response = client.post(path, data={**hidden_fields(client, path), "starts_at": "9999-12-31T10:00",
                                       "mode": "online", "online_link": "https://meet.example.org/room",
                                       "staff_id": str(world.a.people["expert"].id)})
    assert response.status_code == 400 and "Enter a date between the years 2000 and 2100." in body(response)
    assert consultations(id=consultation.id)[0].status == ConsultationStatus.REQUESTED


# --- Who sees what ------------------------------------------------------------------------------------


def test_each_role_sees_what_it_may_of_a_psychological_support_consultation(app, world):
    consultation, expert = held_consultation(app, world, PSYCHOLOGICAL_SUPPORT)
    a1 = consultation.tenant_id
    page_path = f"/communities/{a1}/consultations/{consultation.id}"
    notes_path = page_path + "/notes"

    # The author reads the notes; reading them is audited with ids only.
    notes_page = expert.get(notes_path)
    assert notes_page.status_code == 200 and NOTES in body(notes_page)
    assert "cannot be shared" in body(notes_page)

    coordinator = body(signed_in(app, "coordinator-a").get(page_path))
    assert SUMMARY in coordinator and "Draft the rota" in coordinator
    assert NOTES not in coordinator and "readable by their author only" in coordinator

    for handle in ("mentor-a", "facilitator-a"):  # assigned staff: the summary, never these notes
        client = signed_in(app, handle)
        page = body(client.get(page_path))
        assert SUMMARY in page and NOTES not in page, handle
        assert client.get(notes_path).status_code == 403, handle

    operator = signed_in(app, "operator-a")
    page = body(operator.get(page_path))
    assert "50 minutes" in page and "Psychological support" in page
    assert SUMMARY not in page and NOTES not in page and "Draft the rota" not in page
    assert "1 follow-up was agreed." in page
    assert operator.get(notes_path).status_code in (403, 404)

    for handle in ("member-a", "expert-b", "operator-b", "coordinator-b"):
        client = signed_in(app, handle)
        for path in (page_path, notes_path):
            response = client.get(path)
            assert response.status_code in (403, 404) and NOTES not in body(response), (handle, path)

    with tenancy.system_scope():
        events = [(event.action, event.details) for event in db.session.scalars(select(AuditEvent))]
    assert ("consultations.notes_read", {"consultation_id": consultation.id}) in events
    assert not any("notes-xyz" in str(details) or SUMMARY in str(details) for _action, details in events)


def test_notes_on_an_author_only_topic_cannot_be_shared(app, world):
    consultation, expert = held_consultation(app, world, PSYCHOLOGICAL_SUPPORT)
    path = f"/communities/{consultation.tenant_id}/consultations/{consultation.id}/notes"
    csrf = hidden_fields(expert, path)["csrf_token"]
    refused = expert.post(path + "/shares", data={"csrf_token": csrf, "user_id": str(world.a.people["mentor"].id)})
    assert refused.status_code == 403
    assert "readable by their author only; they cannot be shared" in body(refused)
    assert count(NoteShare) == 0


def test_the_author_shares_notes_with_assigned_staff_only(app, world):
    consultation, expert = held_consultation(app, world, SECURITY)
    base = f"/communities/{consultation.tenant_id}/consultations/{consultation.id}"
    mentor = signed_in(app, "mentor-a")
    assert mentor.get(base + "/notes").status_code == 403
    assert "Read the private notes" not in body(mentor.get(base))

    fields = hidden_fields(expert, base + "/notes")
    for outsider in ("operator", "coordinator"):
        refused = expert.post(base + "/notes/shares", data={"csrf_token": fields["csrf_token"],
                                                           "user_id": str(world.a.people[outsider].id)})
        assert refused.status_code == 400 and "Choose a staff member assigned" in body(refused), outsider
    refused = expert.post(base + "/notes/shares", data={"csrf_token": fields["csrf_token"],
                                                       "user_id": str(world.b.people["mentor"].id)})
    assert refused.status_code == 400
    assert count(NoteShare) == 0

    share = {"csrf_token": fields["csrf_token"], "user_id": str(world.a.people["mentor"].id)}
    assert expert.post(base + "/notes/shares", data=share).status_code == 302
    assert expert.post(base + "/notes/shares", data=share).status_code == 302  # twice: one share
    assert count(NoteShare) == 1
    assert NOTES in body(mentor.get(base + "/notes"))
    assert "Stop sharing" not in body(mentor.get(base + "/notes"))  # only the author manages sharing
    assert signed_in(app, "facilitator-a").get(base + "/notes").status_code == 403
    assert mentor.post(base + "/notes/shares", data={"csrf_token": csrf_token(mentor),
                                                     "user_id": str(world.a.people["facilitator"].id)}
                       ).status_code == 403  # only the author shares

    assert expert.post(base + "/notes/unshare", data=share).status_code == 302
    assert mentor.get(base + "/notes").status_code == 403


def test_a_staff_member_no_longer_assigned_loses_shared_notes(app, world):
    consultation = add_consultation(world.a.communities[0].id, staff_id=world.a.people["expert"].id,
                                    notes="Shared notes-abc", shared_with=[world.a.people["mentor"].id])
    path = f"/communities/{consultation.tenant_id}/consultations/{consultation.id}/notes"
    mentor = signed_in(app, "mentor-a")
    assert "notes-abc" in body(mentor.get(path))
    from hromada.modules.communities.models import StaffAssignment

    with tenancy.system_scope():
        db.session.execute(StaffAssignment.__table__.delete().where(
            StaffAssignment.user_id == world.a.people["mentor"].id))
        db.session.commit()
    response = mentor.get(path)
    assert response.status_code == 404 and "notes-abc" not in body(response)


def test_notes_of_a_community_whose_key_was_destroyed_say_so_clearly(app, world):
    consultation = add_consultation(world.a.communities[0].id, staff_id=world.a.people["expert"].id,
                                    notes="Soon gone notes-def")
    from hromada.modules.confidential.crypto import destroy_data_key

    path = f"/communities/{consultation.tenant_id}/consultations/{consultation.id}/notes"
    with tenancy.system_scope():
        destroy_data_key(consultation.tenant_id)
        db.session.commit()
    page = signed_in(app, "expert-a").get(path)
    assert page.status_code == 200
    # The message, a lazy translation, is escaped like any other text (its apostrophe included).
    assert "its community&#39;s key was destroyed" in body(page) and "notes-def" not in body(page)


def test_a_tampered_note_is_refused(app, world):
    consultation = add_consultation(world.a.communities[0].id, staff_id=world.a.people["expert"].id,
                                    notes="Genuine notes-ghi")
    path = f"/communities/{consultation.tenant_id}/consultations/{consultation.id}/notes"
    with tenancy.system_scope():
        blob = bytearray(db.session.scalar(select(Consultation.private_notes).where(Consultation.id == consultation.id)))
        blob[-1] ^= 1
        db.session.execute(Consultation.__table__.update().where(Consultation.id == consultation.id)
                           .values(private_notes=bytes(blob)))
        db.session.commit()
    page = signed_in(app, "expert-a").get(path)
    assert "was altered and cannot be trusted" in body(page) and "notes-ghi" not in body(page)


# --- Rating -------------------------------------------------------------------------------------------


def test_the_community_rates_once(app, world):
    consultation, _expert = held_consultation(app, world, SECURITY)
    path = f"/communities/{consultation.tenant_id}/consultations/{consultation.id}"
    coordinator = signed_in(app, "coordinator-a")
    csrf = hidden_fields(coordinator, path)["csrf_token"]
    for rating in ("0", "6", "five", ""):
        response = coordinator.post(path + "/rating", data={"csrf_token": csrf, "rating": rating})
        assert response.status_code == 400 and "Choose from 1 (not useful) to 5" in body(response), rating
    assert coordinator.post(path + "/rating", data={"csrf_token": csrf, "rating": "4",
                                                    "comment": "Clear and kind"}).status_code == 302
    assert coordinator.post(path + "/rating", data={"csrf_token": csrf, "rating": "1"}).status_code == 302
    stored = consultations(id=consultation.id)[0]
    assert stored.rating == 4 and stored.status == ConsultationStatus.RATED
    assert stored.rating_comment == "Clear and kind"
    # The operator sees the rating, not the comment.
    page = body(signed_in(app, "operator-a").get(path))
    assert "Rated 4 of 5." in page and "Clear and kind" not in page
    member = signed_in(app, "member-a")
    assert member.post(path + "/rating", data={"csrf_token": csrf_token(member), "rating": "5"}).status_code == 403


def test_a_consultation_not_yet_held_cannot_be_rated(app, world):
    consultation = request_consultation(app, world)
    path = f"/communities/{consultation.tenant_id}/consultations/{consultation.id}"
    coordinator = signed_in(app, "coordinator-a")
    csrf = hidden_fields(coordinator, path)["csrf_token"]
    assert coordinator.post(path + "/rating", data={"csrf_token": csrf, "rating": "5"}).status_code == 302
    assert consultations(id=consultation.id)[0].rating is None


def test_cancelling_an_open_consultation(app, world):
    consultation = request_consultation(app, world)
    path = f"/communities/{consultation.tenant_id}/consultations/{consultation.id}"
    coordinator = signed_in(app, "coordinator-a")
    csrf = hidden_fields(coordinator, path)["csrf_token"]
    member = signed_in(app, "member-a")
    assert member.post(path + "/cancel", data={"csrf_token": csrf_token(member)}).status_code in (403, 404)
    assert coordinator.post(path + "/cancel", data={"csrf_token": csrf}).status_code == 302
    assert coordinator.post(path + "/cancel", data={"csrf_token": csrf}).status_code == 302
    assert consultations(id=consultation.id)[0].status == ConsultationStatus.CANCELLED
    assert signed_in(app, "expert-a").get(path + "/schedule").status_code == 302  # no longer schedulable


# --- Follow-ups ---------------------------------------------------------------------------------------


def test_follow_ups_are_listed_for_who_may_see_them_and_overdue_ones_are_flagged(app, world):
    a1 = world.a.communities[0].id
    people = world.a.people
    today = date.today()
    add_consultation(a1, staff_id=people["expert"].id, follow_ups=[
        ("Buy a lock for the office", people["member"].id, today - timedelta(days=2)),
        ("Send the meeting notes", people["coordinator"].id, today + timedelta(days=3)),
        ("Check the backups", people["expert"].id, today + timedelta(days=1)),
    ])
    coordinator = body(signed_in(app, "coordinator-a").get(f"/communities/{a1}/follow-ups"))
    assert "Buy a lock" in coordinator and "Send the meeting notes" in coordinator
    assert coordinator.count("overdue-flag") == 1

    member = body(signed_in(app, "member-a").get(f"/communities/{a1}/follow-ups"))
    assert "Buy a lock" in member and "Send the meeting notes" not in member  # a member sees their own

    operator = body(signed_in(app, "operator-a").get(f"/communities/{a1}/follow-ups"))
    assert "Buy a lock" not in operator and "Check the backups" not in operator
    assert re.search(r"Overdue</dt><dd>1<", operator) and re.search(r"Open</dt><dd>2<", operator)

    expert = signed_in(app, "expert-a")
    own = body(expert.get("/staff/follow-ups"))
    assert "Check the backups" in own and "Buy a lock" in own  # own task, and tasks of consultations led
    assert own.count("overdue-flag") == 1
    mentor_list = body(signed_in(app, "mentor-a").get("/staff/follow-ups"))
    assert "Buy a lock" not in mentor_list


def test_an_operators_follow_ups_name_and_audit_only_the_communities_they_show(app, world):
    a1, a2 = (community.id for community in world.a.communities)
    operator = world.a.people["operator"]
    add_consultation(a1, staff_id=operator.id, follow_ups=[
        ("Write to the district council", operator.id, date.today() + timedelta(days=4))])
    page = body(signed_in(app, "operator-a").get("/staff/follow-ups"))
    assert "Write to the district council" in page and "secret-a1" in page and "secret-a2" not in page
    with tenancy.system_scope():
        audited = db.session.scalars(select(AuditEvent.details).where(
            AuditEvent.action == "consultations.staff_follow_ups")).all()
    # The operator reaches A1 and A2: only A1, whose task is shown, was read (not every community reached).
    assert [details["communities"] for details in audited] == [[a1]] and a2 not in audited[0]["communities"]


def test_a_follow_up_is_marked_done_by_its_owner_or_a_coordinator_once(app, world):
    a1 = world.a.communities[0].id
    people = world.a.people
    consultation = add_consultation(a1, staff_id=people["expert"].id, follow_ups=[
        ("Buy a lock for the office", people["member"].id, date.today() + timedelta(days=2)),
        ("Check the backups", people["expert"].id, date.today() + timedelta(days=1)),
    ])
    with tenancy.system_scope():
        lock, backups = db.session.scalars(
            select(FollowUp.id).where(FollowUp.consultation_id == consultation.id).order_by(FollowUp.id)).all()
    mentor = signed_in(app, "mentor-a")
    csrf = hidden_fields(mentor, f"/communities/{a1}/follow-ups")["csrf_token"]
    assert mentor.post(f"/communities/{a1}/follow-ups/{lock}/done", data={"csrf_token": csrf}).status_code == 403
    operator = signed_in(app, "operator-a")
    assert operator.post(f"/communities/{a1}/follow-ups/{lock}/done",
                         data={"csrf_token": csrf_token(operator)}).status_code in (403, 404)

    member = signed_in(app, "member-a")
    csrf = hidden_fields(member, f"/communities/{a1}/follow-ups")["csrf_token"]
    assert member.post(f"/communities/{a1}/follow-ups/{backups}/done", data={"csrf_token": csrf}).status_code == 404
    assert member.post(f"/communities/{a1}/follow-ups/{lock}/done", data={"csrf_token": csrf}).status_code == 302
    assert member.post(f"/communities/{a1}/follow-ups/{lock}/done", data={"csrf_token": csrf}).status_code == 302

    expert = signed_in(app, "expert-a")
    csrf = hidden_fields(expert, "/staff/follow-ups")["csrf_token"]
    done = expert.post(f"/communities/{a1}/follow-ups/{backups}/done",
                       data={"csrf_token": csrf, "next": "/staff/follow-ups"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/staff/follow-ups")
    elsewhere = expert.post(f"/communities/{a1}/follow-ups/{backups}/done",
                            data={"csrf_token": csrf, "next": "https://evil.example.org/"})
    assert "evil" not in elsewhere.headers["Location"]
    with tenancy.system_scope():
        done_by = dict(db.session.execute(select(FollowUp.id, FollowUp.done_by_id)).all())
    assert done_by == {lock: people["member"].id, backups: people["expert"].id}


# --- Reminders -------------------------------------------------------------------------------


def utc_today() -> date:
    return datetime.now(timezone.utc).date()


def follow_up_ids(consultation: Consultation) -> list[int]:
    with tenancy.system_scope():
        return list(db.session.scalars(
            select(FollowUp.id).where(FollowUp.consultation_id == consultation.id).order_by(FollowUp.id)))


def change_follow_up(follow_up_id: int, **values) -> None:
    with tenancy.system_scope():
        db.session.execute(update(FollowUp).where(FollowUp.id == follow_up_id).values(**values))
        db.session.commit()


def reminders() -> list[tuple[int, str]]:
    """(person, key) of every follow-up reminder sent, in key order."""
    with tenancy.system_scope():
        rows = db.session.execute(
            select(Notification.user_id, Notification.key)
            .where(Notification.key.like("consultations.follow-up:%")).order_by(Notification.key)
        ).all()
    db.session.rollback()
    return [tuple(row) for row in rows]


def send_reminders(runner) -> str:
    result = runner.invoke(args=["consultations", "send-reminders"])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_command_reminds_once_before_the_due_date_and_once_when_overdue(app, world, runner):
    a1, b1 = world.a.communities[0].id, world.b.communities[0].id
    people, today = world.a.people, utc_today()
    coordinator, member, expert = people["coordinator"].id, people["member"].id, people["expert"].id
    soon, later, done, overdue, forgotten = follow_up_ids(add_consultation(a1, staff_id=expert, follow_ups=[
        ("Rotate the passwords", coordinator, today + timedelta(days=1)),
        ("Book the hall", member, today + timedelta(days=10)),
        ("Already done", member, today + timedelta(days=1)),
        ("Send the minutes", expert, today - timedelta(days=2)),
        ("Long forgotten", member, today - timedelta(days=30)),
    ]))
    change_follow_up(done, done_at=datetime.now(timezone.utc), done_by_id=member)
    b_coordinator = world.b.people["coordinator"].id
    (of_b,) = follow_up_ids(add_consultation(b1, staff_id=world.b.people["expert"].id, follow_ups=[
        ("Task of B", b_coordinator, today + timedelta(days=1))]))

    assert "Follow-up reminder jobs for 2 communities: 2 finished." in send_reminders(runner)
    expected = sorted([
        (coordinator, f"consultations.follow-up:{soon}:due-soon:user:{coordinator}"),
        (expert, f"consultations.follow-up:{overdue}:overdue:user:{expert}"),
        (b_coordinator, f"consultations.follow-up:{of_b}:due-soon:user:{b_coordinator}"),
    ], key=lambda row: row[1])
    assert reminders() == expected
    # Run again (cron every 30 minutes): the same jobs, which ran already.
    assert "2 skipped" in send_reminders(runner)
    assert reminders() == expected

    # Days later the first task is overdue and still open: one more reminder, of the other kind.
    change_follow_up(soon, due_on=today - timedelta(days=1))
    assert "1 finished, 1 skipped" in send_reminders(runner)
    expected = sorted([*expected, (coordinator, f"consultations.follow-up:{soon}:overdue:user:{coordinator}")],
                      key=lambda row: row[1])
    assert reminders() == expected
    send_reminders(runner)
    assert reminders() == expected

    # A notification is a platform row: the date and a link, never the task's text.
    with tenancy.system_scope():
        sent = {n.key: n for n in db.session.scalars(select(Notification))}
    for notification in sent.values():
        stored = f"{notification.message} {notification.params} {notification.link}"
        assert not any(task in stored for task in ("Rotate", "minutes", "Task of B")), stored
    overdue_notice = sent[f"consultations.follow-up:{soon}:overdue:user:{coordinator}"]
    assert overdue_notice.link == f"/communities/{a1}/follow-ups"
    assert sent[f"consultations.follow-up:{of_b}:due-soon:user:{b_coordinator}"].link == f"/communities/{b1}/follow-ups"
    with app.test_request_context("/"):
        assert render(overdue_notice) == (f"A task agreed in a consultation was due on "
                                          f"{format_date(today - timedelta(days=1), 'medium', locale='en')} and is not "
                                          f"marked as done.")
    page = body(signed_in(app, "coordinator-a").get("/notifications"))
    assert "Reminder: a task agreed in a consultation is due on" in page and "Task of B" not in page


def test_a_reminder_job_acts_for_its_community_only(app, world):
    a1, b1 = world.a.communities[0].id, world.b.communities[0].id
    tomorrow = utc_today() + timedelta(days=1)
    (of_b,) = follow_up_ids(add_consultation(b1, staff_id=world.b.people["expert"].id, follow_ups=[
        ("Task of B", world.b.people["coordinator"].id, tomorrow)]))
    (of_a,) = follow_up_ids(add_consultation(a1, staff_id=world.a.people["expert"].id, follow_ups=[
        ("Task of A", world.a.people["coordinator"].id, tomorrow)]))
    jobs = app.extensions["hromada.jobs"]
    # A job names one community; another community's follow-ups are out of its reach.
    handle = jobs.enqueue(REMINDER_JOB, tenant_id=a1, due_soon=[of_b], overdue=[of_b])
    assert (handle.status, handle.result) == ("finished", 0)
    handle = jobs.enqueue(REMINDER_JOB, tenant_id=b1, due_soon=[of_a, of_b], overdue=[])
    assert (handle.status, handle.result) == ("finished", 1)
    coordinator_b = world.b.people["coordinator"].id
    assert reminders() == [(coordinator_b, f"consultations.follow-up:{of_b}:due-soon:user:{coordinator_b}")]


def test_an_owner_who_has_left_the_community_is_not_reminded(app, world, runner):
    a1, member = world.a.communities[0].id, world.a.people["member"].id
    add_consultation(a1, staff_id=world.a.people["expert"].id, follow_ups=[
        ("Hand over the keys", member, utc_today() + timedelta(days=1))])
    with tenancy.system_scope():
        db.session.execute(delete(CommunityMembership).where(CommunityMembership.tenant_id == a1,
                                                             CommunityMembership.user_id == member))
        db.session.commit()
    assert "1 finished" in send_reminders(runner)
    assert reminders() == []


def test_a_reminder_job_left_from_before_the_upgrade_does_nothing(app, world):
    # Logging used to enqueue it; one still waiting in Redis or in the outbox must run, not fail.
    a1 = world.a.communities[0].id
    (follow_up,) = follow_up_ids(add_consultation(a1, staff_id=world.a.people["expert"].id, follow_ups=[
        ("Old job", world.a.people["coordinator"].id, utc_today() + timedelta(days=20))]))
    handle = app.extensions["hromada.jobs"].enqueue("consultations.followup_reminders",
                                                    tenant_id=a1, follow_up_id=follow_up)
    assert (handle.status, handle.result) == ("finished", 0)
    assert reminders() == []


def test_follow_ups_appear_on_the_progress_page(app, world):
    a1 = world.a.communities[0].id
    people = world.a.people
    add_consultation(a1, staff_id=people["expert"].id, follow_ups=[
        ("Agree on a safe word", people["coordinator"].id, date.today() - timedelta(days=1)),
    ])
    path = f"/communities/{a1}/programmes/{world.a.programme.id}/progress"
    coordinator = signed_in(app, "coordinator-a").get(path)
    if coordinator.status_code == 404:
        pytest.skip("the progress page is not there yet")
    page = body(coordinator)
    assert "Follow-ups from consultations" in page and "Agree on a safe word" in page and "overdue-flag" in page
    operator = body(signed_in(app, "operator-a").get(path))
    assert "Follow-ups from consultations" in operator and "Agree on a safe word" not in operator


# --- Faults -------------------------------------------------------------------------------------------------


@pytest.fixture
def redis_down(app_config):
    return {**app_config, "REDIS_URL": UNREACHABLE_REDIS, "RATELIMIT_STORAGE_URI": "memory://"}


@pytest.mark.redis
def test_with_redis_down_logging_works_and_reminders_wait_until_redis_is_back(
        app, world, app_config, redis_down, database_url, redis_url, tmp_path):
    from hromada import create_app
    from hromada.testing.fixtures import OneAppContextPerRequest
    from hromada.testing.worker import run_worker

    down = create_app(redis_down)
    down.test_client_class = OneAppContextPerRequest
    assert down.extensions["hromada.jobs"].uses_redis
    up = create_app({**app_config, "REDIS_URL": redis_url})
    try:
        follow_up_id = _log_and_remind_with_redis_down(down, world)
        coordinator = world.a.people["coordinator"].id

        # Redis is back: the worker first sends what waited in the database, then runs it.
        output = run_worker(up, database_url, redis_url, tmp_path)
        assert "Sent again 1 jobs from the outbox." in output
        assert count(OutboxJob, OutboxJob.done_at.is_(None)) == 0
        expected = [(coordinator, f"consultations.follow-up:{follow_up_id}:due-soon:user:{coordinator}")]
        assert reminders() == expected

        # The next cron run, on a working Redis, queues the same job; the worker finds it done.
        with up.app_context():  # the command runs in the current app: this test's is the inline one
            again = up.test_cli_runner().invoke(args=["consultations", "send-reminders"])
        assert "Follow-up reminder jobs for 1 communities: 1 queued." in again.output, again.output
        run_worker(up, database_url, redis_url, tmp_path)
        assert reminders() == expected
        assert count(JobRun, JobRun.name == REMINDER_JOB) == 1
    finally:
        for started in (down, up):
            with started.app_context():
                db.engine.dispose()


def _log_and_remind_with_redis_down(down, world):
    consultation = request_consultation(down, world)
    expert = schedule(down, world, consultation)
    its_time_comes(consultation)
    path = f"/communities/{consultation.tenant_id}/consultations/{consultation.id}/log"
    tomorrow = (utc_today() + timedelta(days=1)).isoformat()
    response = expert.post(path, data=log_form(world, hidden_fields(expert, path), **{"follow_ups-0-due_on": tomorrow}),
                           follow_redirects=True)
    # Logging enqueues nothing, so it neither fails nor warns when Redis is down.
    assert response.status_code == 200
    assert "The consultation is logged." in body(response) and "Reminders are delayed" not in body(response)
    assert consultations(id=consultation.id)[0].status == ConsultationStatus.LOGGED
    assert count(OutboxJob) == 0

    with down.app_context():  # the command runs in the current app: this test's is the inline one
        result = down.test_cli_runner().invoke(args=["consultations", "send-reminders"])
    assert result.exit_code == 0, result.output
    assert "Follow-up reminder jobs for 1 communities: 1 deferred." in result.output
    with tenancy.system_scope():
        (deferred,) = db.session.scalars(select(OutboxJob).where(OutboxJob.done_at.is_(None))).all()
        follow_up_id = db.session.scalar(select(FollowUp.id))
    assert (deferred.name, deferred.arguments) == (
        REMINDER_JOB, {"tenant_id": consultation.tenant_id, "due_soon": [follow_up_id], "overdue": []})
    assert reminders() == []
    return follow_up_id


# --- KPIs -------------------------------------------------------------------------------------------------------


@pytest.fixture
def kpi_world(world):
    """On A1: two security consultations (60 and 90 minutes, rated 4 and 5, answered in 5 and 3 hours),
    one psychological-support consultation (30 minutes, not rated, answered in 10 hours), one cancelled
    request and one open request; on A2 one security consultation led by A's mentor (45 minutes, rated 2)."""
    a1, a2 = world.a.communities[0].id, world.a.communities[1].id
    people = world.a.people
    t0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
    expert, mentor, coordinator = people["expert"].id, people["mentor"].id, people["coordinator"].id
    add_consultation(a1, topic_key=SECURITY, staff_id=expert, duration_minutes=60, rating=4,
                     status=ConsultationStatus.RATED, requested_by_id=coordinator, requested_at=t0,
                     accepted_at=t0 + timedelta(hours=5))
    add_consultation(a1, topic_key=SECURITY, staff_id=expert, duration_minutes=90, rating=5,
                     status=ConsultationStatus.RATED, requested_by_id=coordinator, requested_at=t0,
                     accepted_at=t0 + timedelta(hours=3))
    add_consultation(a1, topic_key=PSYCHOLOGICAL_SUPPORT, notes_author_only=True, staff_id=expert,
                     duration_minutes=30, requested_by_id=coordinator, requested_at=t0,
                     accepted_at=t0 + timedelta(hours=10))
    add_consultation(a1, topic_key=SECURITY, status=ConsultationStatus.CANCELLED, requested_by_id=coordinator)
    add_consultation(a1, topic_key=SECURITY, status=ConsultationStatus.REQUESTED, requested_by_id=coordinator,
                     marker="secret-a1")
    add_consultation(a2, topic_key=SECURITY, staff_id=mentor, duration_minutes=45, rating=2,
                     status=ConsultationStatus.RATED)
    # Side B's consultations never count for A.
    add_consultation(world.b.communities[0].id, topic_key=SECURITY, staff_id=world.b.people["expert"].id,
                     duration_minutes=600, rating=1, status=ConsultationStatus.RATED)
    return world


def test_programme_kpis_on_concrete_numbers(app, kpi_world):
    world = kpi_world
    with tenancy.scope(organisation_id=world.a.organisation.id):
        rows = {row.topic: row for row in kpis.kpi_rows(Consultation.organisation_id == world.a.organisation.id)}
    security, psychological = rows[SECURITY], rows[PSYCHOLOGICAL_SUPPORT]
    assert (security.consultations, security.held, security.minutes, security.cancelled) == (4, 3, 195, 1)
    assert security.response_hours == pytest.approx(4.0)
    assert security.average_rating == pytest.approx((4 + 5 + 2) / 3)
    assert (psychological.held, psychological.minutes, psychological.response_hours, psychological.average_rating) == (
        1, 30, pytest.approx(10.0), None)
    total = kpis.total(list(rows.values()))
    assert total.hours == pytest.approx(225 / 60) and total.response_hours == pytest.approx(6.0)

    operator = signed_in(app, "operator-a")
    page = body(operator.get(f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}/consultations"))
    assert "<svg" in page and "<title" in page and 'scope="col"' in page
    # consultations, held, hours, hours to schedule, average rating, cancelled; nothing of B's 600 minutes.
    assert re.search(r"All topics</th>\s*<td>5</td>\s*<td>4</td>\s*<td>3.8</td>\s*<td>6.0</td>\s*<td>3.7</td>"
                     r"\s*<td>1</td>", page)
    assert re.search(r"Security: safe communication[^<]*</th>\s*<td>4</td>\s*<td>3</td>\s*<td>3.2</td>"
                     r"\s*<td>4.0</td>", page)
    assert "secret-a1" in page  # the waiting request's community, by name
    assert "What we need" not in page and "Summary secret" not in page
    # Another organisation's operator, or A's experts, do not reach it.
    for handle in ("operator-b", "expert-a", "mentor-a", "coordinator-a"):
        response = signed_in(app, handle).get(
            f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}/consultations")
        assert response.status_code in (403, 404), handle


def test_a_staff_member_sees_their_own_kpis(app, kpi_world):
    world = kpi_world
    page = body(signed_in(app, "expert-a").get("/staff/consultations"))
    # expert-a led the three A1 consultations: 180 minutes = 3.0 hours; ratings 4 and 5.
    assert re.search(r"All topics</th>\s*<td>3</td>\s*<td>3</td>\s*<td>3.0</td>", page)
    assert "4.5" in page and "Requests waiting for a time" in page and "secret-a1" in page
    mentor = body(signed_in(app, "mentor-a").get("/staff/consultations"))
    assert re.search(r"All topics</th>\s*<td>1</td>\s*<td>1</td>\s*<td>0.8</td>", mentor)
    assert "2.0" in mentor
    for handle in ("coordinator-a", "member-a"):
        assert signed_in(app, handle).get("/staff/consultations").status_code == 403


def test_every_page_an_operator_opens_is_free_of_summaries_notes_and_tasks(app, world):
    a1 = world.a.communities[0].id
    people = world.a.people
    consultation = add_consultation(a1, topic_key=SECURITY, staff_id=people["expert"].id, marker="hidden-words",
                                    notes="Private hidden-words", requested_by_id=people["coordinator"].id,
                                    follow_ups=[("Task hidden-words", people["coordinator"].id,
                                                 date.today() + timedelta(days=3))])
    operator = signed_in(app, "operator-a")
    org, programme = world.a.organisation.id, world.a.programme.id
    for path in (
        f"/communities/{a1}/consultations",
        f"/communities/{a1}/consultations/{consultation.id}",
        f"/communities/{a1}/follow-ups",
        f"/communities/{a1}/programmes/{programme}/progress",
        f"/organisations/{org}/programmes/{programme}/consultations",
        f"/organisations/{org}/programmes/{programme}/consultation-topics",
        "/consultations", "/staff/consultations", "/staff/follow-ups",
    ):
        page = body(operator.get(path))
        assert "Summary hidden-words" not in page and "Private hidden-words" not in page, path
        assert "Task hidden-words" not in page, path


def test_notes_cannot_be_saved_for_a_community_whose_key_was_destroyed_and_nothing_is_half_saved(app, world):
    from hromada.modules.confidential.crypto import destroy_data_key

    consultation = request_consultation(app, world)
    expert = schedule(app, world, consultation)
    its_time_comes(consultation)
    path = f"/communities/{consultation.tenant_id}/consultations/{consultation.id}/log"
    with tenancy.system_scope():
        destroy_data_key(world.a.communities[0].id)
        db.session.commit()
    response = expert.post(path, data=log_form(world, hidden_fields(expert, path)))
    assert response.status_code == 503
    assert "nothing confidential can be saved for it" in body(response)
    stored = consultations(id=consultation.id)[0]
    assert stored.status == ConsultationStatus.SCHEDULED and count(FollowUp) == 0
    # Without private notes the log is saved.
    response = expert.post(path, data=log_form(world, hidden_fields(expert, path), private_notes=""))
    assert response.status_code == 302
    assert consultations(id=consultation.id)[0].status == ConsultationStatus.LOGGED
