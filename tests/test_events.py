"""Networking events: planning, registration with a capacity, attendance, follow-up, KPIs, reminders.

Every test runs on SQLite and on PostgreSQL (where the app connects as a role
that row-level security applies to).
"""

from __future__ import annotations

import threading
from types import SimpleNamespace
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import func, select

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.accounts.models import CommunityMembership, CommunityRole
from hromada.clock import as_utc
from hromada.modules.audit.models import AuditEvent
from hromada.modules.communities.models import Community, Enrolment
from hromada.modules.events import kpis, services
from hromada.modules.events.jobs import send_reminders
from hromada.modules.events.labels import FOLLOW_UP_KINDS
from hromada.modules.events.models import EventRegistration, FollowUpItem, NetworkingEvent
from hromada.modules.events.testing import add_registration, make_event
from hromada.modules.notifications.models import Notification
from hromada.modules.programmes.models import Stage
from hromada.plugins import collect
from hromada.testing.factories import make_user, signed_in
from hromada.testing.fixtures import csrf_token



def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def add_member(community_id: int, handle: str, role=CommunityRole.MEMBER):
    with tenancy.system_scope():
        user = make_user(handle)
        db.session.add(CommunityMembership(tenant_id=community_id, user_id=user.id, role=role))
        db.session.flush()
    return user


def count(model, *criteria) -> int:
    with tenancy.system_scope():
        return db.session.scalar(select(func.count()).select_from(model).where(*criteria))


def reload(model, id_):
    db.session.expire_all()
    with tenancy.system_scope():
        return db.session.get(model, id_)


def planned(world, side="a", **values) -> NetworkingEvent:
    """An event of the side's programme, committed."""
    with tenancy.system_scope():
        event = make_event(getattr(world, side).programme, **values)
        db.session.commit()
        return event


def programme_path(world, side="a") -> str:
    s = getattr(world, side)
    return f"/organisations/{s.organisation.id}/programmes/{s.programme.id}/events"


EVENT_FORM = {
    "title": "Motivation to act",
    "description": "Meet the other communities of the programme.",
    "stage_id": "",
    "mode": "offline",
    "place": "Reading room of the library",
    "link": "",
    "timezone": "Europe/Kyiv",
    "starts_at": "2030-05-01T18:00",
    "ends_at": "2030-05-01T20:30",
    "capacity": "30",
}


# --- Planning ---------------------------------------------------------------------


def test_an_operator_plans_an_event_with_its_whole_follow_up_checklist(app, world):
    operator = signed_in(app, "operator-a")
    path = programme_path(world) + "/new"
    response = operator.post(path, data={**EVENT_FORM, "csrf_token": csrf_token(operator, path)})
    assert response.status_code == 302

    with tenancy.system_scope():
        event = db.session.scalars(select(NetworkingEvent)).one()
        # Entered on Kyiv's clock (UTC+3 in May), stored in UTC.
        assert as_utc(event.starts_at) == datetime(2030, 5, 1, 15, 0, tzinfo=timezone.utc)
        assert as_utc(event.ends_at) == datetime(2030, 5, 1, 17, 30, tzinfo=timezone.utc)
        assert (event.organisation_id, event.programme_id, event.capacity) == (
            world.a.organisation.id, world.a.programme.id, 30)
        kinds = db.session.scalars(select(FollowUpItem.kind).where(FollowUpItem.event_id == event.id)).all()
        assert sorted(kinds) == sorted(FOLLOW_UP_KINDS)
        event_id = event.id
    assert count(AuditEvent, AuditEvent.action == "events.created") == 1

    page = operator.get(response.headers["Location"]).get_data(as_text=True)
    assert "Motivation to act" in page and "Photos and materials sent" in page
    assert "6:00\u202fPM" in page or "6:00 PM" in page, page  # on the clock it was entered on
    assert "(Kyiv time)" in page

    # The same form sent again (a double click, the back button) plans nothing new.
    again = operator.post(path, data={**EVENT_FORM, "csrf_token": csrf_token(operator, path)})
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/events/{event_id}")
    assert count(NetworkingEvent) == 1 and count(FollowUpItem) == len(FOLLOW_UP_KINDS)


def test_an_operator_changes_an_event_but_not_below_the_seats_already_taken(app, world):
    event = planned(world, capacity=5)
    add_registration(event, world.a.communities[0].id, world.a.people["member"].id)
    add_registration(event, world.a.communities[0].id, world.a.people["coordinator"].id)
    db.session.commit()
    operator = signed_in(app, "operator-a")
    path = f"{programme_path(world)}/{event.id}/edit"
    form = operator.get(path).get_data(as_text=True)
    assert 'value="Networking evening"' in form

    refused = operator.post(path, data={**EVENT_FORM, "capacity": "1", "csrf_token": csrf_token(operator, path)})
    assert refused.status_code == 400
    assert "2 people are registered already" in refused.get_data(as_text=True)
    assert reload(NetworkingEvent, event.id).capacity == 5

    saved = operator.post(path, data={**EVENT_FORM, "capacity": "2", "csrf_token": csrf_token(operator, path)})
    assert saved.status_code == 302
    changed = reload(NetworkingEvent, event.id)
    assert (changed.title, changed.capacity, changed.registered_count) == ("Motivation to act", 2, 2)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": ""}, "Enter a title."),
        ({"starts_at": "next tuesday"}, "Enter a date and a time."),
        ({"ends_at": "2030-05-01T17:00"}, "The event must end after it starts."),
        ({"mode": "telepathy"}, "Choose online or in person."),
        ({"mode": "online", "link": ""}, "Enter the link of the online event."),
        ({"mode": "online", "link": "http://meet.example.org/x"}, "Enter an address that starts with https://."),
        ({"link": "javascript:alert(1)"}, "Enter an address that starts with https://."),
        ({"place": ""}, "Enter where the event takes place."),
        ({"capacity": "many"}, "Enter a whole number of seats, or leave it empty."),
        ({"capacity": "-3"}, "Between 1 and 10000 seats."),
        ({"timezone": "Mars/Olympus"}, "Choose a time zone from the list."),
        ({"stage_id": "999999"}, "Choose a stage of this programme."),
        ({"title": "x" * 201}, "At most 200 characters."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(app, world, changes, message):
    operator = signed_in(app, "operator-a")
    path = programme_path(world) + "/new"
    response = operator.post(path, data={**EVENT_FORM, **changes, "csrf_token": csrf_token(operator, path)})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(NetworkingEvent) == 0 and count(FollowUpItem) == 0


def test_a_stage_of_another_programme_cannot_be_chosen(app, world):
    with tenancy.system_scope():
        other_stage = db.session.scalar(select(Stage.id).where(Stage.programme_id == world.b.programme.id))
    operator = signed_in(app, "operator-a")
    path = programme_path(world) + "/new"
    response = operator.post(path, data={**EVENT_FORM, "stage_id": str(other_stage),
                                         "csrf_token": csrf_token(operator, path)})
    assert response.status_code == 400 and count(NetworkingEvent) == 0


def test_only_operators_plan_events_and_facilitators_see_the_list(app, world):
    path = programme_path(world)
    assert signed_in(app, "facilitator-a").get(path).status_code == 200
    assert signed_in(app, "facilitator-a").get(path + "/new").status_code == 403
    assert signed_in(app, "mentor-a").get(path).status_code == 403
    assert signed_in(app, "member-a").get(path).status_code == 404
    # Another organisation's programme under one's own organisation's address: not found.
    wrong = f"/organisations/{world.a.organisation.id}/programmes/{world.b.programme.id}/events"
    assert signed_in(app, "operator-a").get(wrong).status_code == 404


# --- Registering ---------------------------------------------------------------------


def test_a_member_registers_once_and_cancels(app, world):
    event = planned(world, capacity=10, mode="online", link="https://meet.example.org/evening")
    a1 = world.a.communities[0].id
    member = signed_in(app, "member-a")
    page = member.get(f"/communities/{a1}/events").get_data(as_text=True)
    assert "Networking evening" in page and "10 seats left" in page
    assert "https://meet.example.org/evening" not in page  # the link is for registered people

    register = f"/communities/{a1}/events/{event.id}/register"
    token = csrf_token(member, f"/communities/{a1}/events")
    assert member.post(register, data={"csrf_token": token}).status_code == 302
    assert member.post(register, data={"csrf_token": token}).status_code == 302  # sent twice
    assert count(EventRegistration) == 1 and reload(NetworkingEvent, event.id).registered_count == 1
    page = member.get(f"/communities/{a1}/events").get_data(as_text=True)
    assert "You are registered." in page and "https://meet.example.org/evening" in page
    assert "9 seats left" in page

    unregister = f"/communities/{a1}/events/{event.id}/unregister"
    assert member.post(unregister, data={"csrf_token": token}).status_code == 302
    assert member.post(unregister, data={"csrf_token": token}).status_code == 302
    assert count(EventRegistration) == 0 and reload(NetworkingEvent, event.id).registered_count == 0


def test_a_community_registers_only_for_events_of_its_own_programmes(app, world):
    foreign = planned(world, side="b")
    a1 = world.a.communities[0].id
    member = signed_in(app, "member-a")
    assert "Networking evening" not in member.get(f"/communities/{a1}/events").get_data(as_text=True)
    token = csrf_token(member, f"/communities/{a1}/events")
    assert member.post(f"/communities/{a1}/events/{foreign.id}/register", data={"csrf_token": token}).status_code == 404
    assert count(EventRegistration) == 0


def test_the_last_seat_goes_to_one_person_and_the_next_is_told_it_is_full(app, world):
    event = planned(world, capacity=1)
    a1 = world.a.communities[0].id
    first, second = signed_in(app, "member-a"), signed_in(app, "coordinator-a")
    path = f"/communities/{a1}/events/{event.id}/register"
    assert first.post(path, data={"csrf_token": csrf_token(first, f"/communities/{a1}/events")}).status_code == 302
    refused = second.post(path, data={"csrf_token": csrf_token(second, f"/communities/{a1}/events")})
    assert refused.status_code == 409
    assert "There are no seats left at this event." in refused.get_data(as_text=True)
    assert count(EventRegistration) == 1


@pytest.mark.real_commits  # two threads, each with a transaction of its own
def test_two_people_asking_for_the_last_seat_at_once_do_not_overbook(app, world):
    """Two sessions: the first takes the seat and holds its transaction open; the second
    must wait for it, then find the event full."""
    event_id = planned(world, capacity=1).id
    a1 = world.a.communities[0].id
    people = {"first": world.a.people["member"].id, "second": world.a.people["coordinator"].id}
    seat_taken, release = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def attempt(name: str, hold: bool) -> None:
        with app.app_context():
            try:
                tenancy.set_tenant(a1)
                event = db.session.get(NetworkingEvent, event_id)
                db.session.commit()
                try:
                    results[name] = services.register(event, people[name])
                    if hold:
                        seat_taken.set()
                        release.wait(10)
                    db.session.commit()
                except services.EventFull:
                    db.session.rollback()
                    results[name] = "full"
            except Exception as exc:  # reported by the assertion below, not lost in the thread
                results[name] = exc
            finally:
                db.session.remove()

    first = threading.Thread(target=attempt, args=("first", True))
    first.start()
    assert seat_taken.wait(10)
    second = threading.Thread(target=attempt, args=("second", False))
    second.start()
    second.join(0.5)
    assert second.is_alive(), "the second registration did not wait for the first one's seat"
    release.set()
    first.join(10)
    second.join(10)
    assert results == {"first": True, "second": "full"}
    assert count(EventRegistration) == 1 and reload(NetworkingEvent, event_id).registered_count == 1


def test_registration_closes_when_the_event_starts(app, world):
    event = planned(world, starts_at=now() - timedelta(minutes=30))
    a1 = world.a.communities[0].id
    member = signed_in(app, "member-a")
    response = member.post(f"/communities/{a1}/events/{event.id}/register",
                           data={"csrf_token": csrf_token(member, f"/communities/{a1}/events")})
    assert response.status_code == 409
    assert "registration is closed" in response.get_data(as_text=True)
    assert count(EventRegistration) == 0


# --- Attendance -----------------------------------------------------------------------


def attendance_path(world, event) -> str:
    return f"{programme_path(world)}/{event.id}/attendance"


def test_attendance_is_marked_once_and_makes_the_community_active(app, world):
    event = planned(world, starts_at=now() - timedelta(hours=3))
    a1 = world.a.communities[0].id
    member = add_registration(event, a1, world.a.people["member"].id).id
    coordinator = add_registration(event, a1, world.a.people["coordinator"].id).id
    db.session.commit()
    operator = signed_in(app, "operator-a")
    detail = f"{programme_path(world)}/{event.id}"
    page = operator.get(detail).get_data(as_text=True)
    assert "secret-a1" in page and "member-a" in page and "coordinator-a" in page

    form = {"attended": [str(member), str(coordinator)], "csrf_token": csrf_token(operator, detail)}
    first = operator.post(attendance_path(world, event), data=form, follow_redirects=True)
    assert "2 people marked as attended." in first.get_data(as_text=True)
    again = operator.post(attendance_path(world, event), data=form, follow_redirects=True)
    assert "Nothing changed" in again.get_data(as_text=True)

    db.session.expire_all()
    with tenancy.system_scope():
        rows = db.session.scalars(select(EventRegistration)).all()
        assert all(r.attended and r.attended_marked_by_id == world.a.people["operator"].id for r in rows)
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.tenant_id == a1))
        assert enrolment.last_activity_at is not None
        other = db.session.scalar(select(Enrolment).where(Enrolment.tenant_id == world.a.communities[1].id))
        assert other.last_activity_at is None
    assert count(AuditEvent, AuditEvent.action == "events.attendance_marked") == 1

    # Someone marked by mistake is marked absent again.
    form = {"absent": [str(member)], "csrf_token": csrf_token(operator, detail)}
    assert operator.post(attendance_path(world, event), data=form).status_code == 302
    assert reload(EventRegistration, member).attended is False


def test_attendance_waits_for_the_event_to_start(app, world):
    event = planned(world)
    registration = add_registration(event, world.a.communities[0].id, world.a.people["member"].id).id
    db.session.commit()
    operator = signed_in(app, "operator-a")
    response = operator.post(attendance_path(world, event), data={
        "attended": [str(registration)], "csrf_token": csrf_token(operator, f"{programme_path(world)}/{event.id}")})
    assert response.status_code == 409
    assert "once the event has started" in response.get_data(as_text=True)
    assert reload(EventRegistration, registration).attended is False


@pytest.mark.parametrize("form", [{"attended": ["one"]}, {"absent": ["1; DROP TABLE"]}, {}])
def test_a_garbled_attendance_form_is_refused_and_changes_nothing(app, world, form):
    event = planned(world, starts_at=now() - timedelta(hours=1))
    registration = add_registration(event, world.a.communities[0].id, world.a.people["member"].id).id
    db.session.commit()
    operator = signed_in(app, "operator-a")
    response = operator.post(attendance_path(world, event), data={
        **form, "csrf_token": csrf_token(operator, f"{programme_path(world)}/{event.id}")})
    assert response.status_code == 400
    assert "class=\"form-errors\"" in response.get_data(as_text=True)
    assert reload(EventRegistration, registration).attended is False


def test_a_facilitator_sees_and_marks_only_the_communities_assigned_to_them(app, world):
    event = planned(world, starts_at=now() - timedelta(hours=1))
    a1, a2 = (c.id for c in world.a.communities)
    stranger = add_member(a2, "member-of-a2")
    own = add_registration(event, a1, world.a.people["member"].id).id
    other = add_registration(event, a2, stranger.id).id
    db.session.commit()
    facilitator = signed_in(app, "facilitator-a")
    detail = f"{programme_path(world)}/{event.id}"
    page = facilitator.get(detail).get_data(as_text=True)
    assert "secret-a1" in page and "member-a" in page
    assert "secret-a2" not in page and "member-of-a2" not in page
    assert "Follow-up" not in page  # the checklist is the operators'

    response = facilitator.post(attendance_path(world, event), data={
        "attended": [str(own), str(other)], "csrf_token": csrf_token(facilitator, detail)})
    assert response.status_code == 302
    assert reload(EventRegistration, own).attended is True
    assert reload(EventRegistration, other).attended is False


# --- Follow-up --------------------------------------------------------------------------


def test_follow_up_items_get_an_owner_and_are_ticked_once(app, world):
    event = planned(world, starts_at=now() - timedelta(days=1))
    item = event.follow_up[0]
    operator = signed_in(app, "operator-a")
    detail = f"{programme_path(world)}/{event.id}"
    path = f"{detail}/follow-up/{item.id}"
    prefix = f"item-{item.id}-"
    form = {prefix + "owner_id": str(world.a.people["mentor"].id), prefix + "owner_note": "",
            prefix + "done": "y", prefix + "csrf_token": csrf_token(operator, detail)}
    assert operator.post(path, data=form).status_code == 302
    done = reload(FollowUpItem, item.id)
    assert done.owner_id == world.a.people["mentor"].id and done.done_at is not None
    first_done_at = done.done_at
    assert operator.post(path, data=form).status_code == 302  # the same form again
    assert reload(FollowUpItem, item.id).done_at == first_done_at
    assert count(AuditEvent, AuditEvent.action == "events.follow_up_updated") == 1
    assert "mentor-a" in operator.get(detail).get_data(as_text=True)

    # A person who is not on the organisation's staff cannot own an item.
    refused = operator.post(path, data={**form, prefix + "owner_id": str(world.a.people["member"].id)})
    assert refused.status_code == 400
    assert "Choose a member of the staff." in refused.get_data(as_text=True)
    assert reload(FollowUpItem, item.id).owner_id == world.a.people["mentor"].id

    # Someone of a community, by name, and undone again.
    form = {prefix + "owner_id": "", prefix + "owner_note": "Volunteer of the youth club",
            prefix + "csrf_token": csrf_token(operator, detail)}
    assert operator.post(path, data=form).status_code == 302
    undone = reload(FollowUpItem, item.id)
    assert (undone.owner_id, undone.owner_note, undone.done_at) == (None, "Volunteer of the youth club", None)


def test_a_follow_up_item_of_another_event_is_not_found(app, world):
    event, other = planned(world), planned(world, title="Another evening")
    operator = signed_in(app, "operator-a")
    detail = f"{programme_path(world)}/{event.id}"
    response = operator.post(f"{detail}/follow-up/{other.follow_up[0].id}",
                             data={"csrf_token": csrf_token(operator, detail)})
    assert response.status_code == 404


# --- The stage requirement and the cohort column --------------------------------------------


def requirements(app, stage):
    return collect(app.extensions["hromada.plugins"], "hromada_stage_requirements", stage=stage)


def test_the_requirement_counts_events_attended_during_the_stage(app, world):
    a1, a2 = (c.id for c in world.a.communities)
    with tenancy.system_scope():
        stage = db.session.scalar(select(Stage).where(Stage.programme_id == world.a.programme.id))
        later = Stage(programme_id=world.a.programme.id, position=1, stage_type="accelerator")
        db.session.add(later)
        db.session.commit()
        stage_id, later_id = stage.id, later.id
    # A stage saved without the setting reads the field's default (one event), as a new stage would.
    assert [r.key for r in requirements(app, stage) if r.key.startswith("events.")] == ["events.networking"]
    with tenancy.system_scope():
        stage = db.session.get(Stage, stage_id)
        stage.settings = {"networking_events_required": 0}
        db.session.commit()
        assert [r.key for r in requirements(app, stage) if r.key.startswith("events.")] == []  # none asked

    with tenancy.system_scope():
        stage = db.session.get(Stage, stage_id)
        stage.settings = {"networking_events_required": 1}
        db.session.commit()
        (requirement,) = [r for r in requirements(app, stage) if r.key == "events.networking"]
        # What evaluate reads of an enrolment, kept beyond this scope.
        enrolments = [SimpleNamespace(id=e.id, tenant_id=e.tenant_id) for e in db.session.scalars(
            select(Enrolment).where(Enrolment.programme_id == world.a.programme.id).order_by(Enrolment.id))]
        outcomes = requirement.evaluate(stage, enrolments)
    assert [outcome.met for outcome in outcomes.values()] == [False, False]
    with app.test_request_context("/"):
        assert str(outcomes[enrolments[0].id].reason) == "attended 0 of 1 networking events"

    # An event of a later stage does not count; one of this stage, or of no stage, does.
    of_later_stage = planned(world, starts_at=now() - timedelta(days=3), stage_id=later_id)
    add_registration(of_later_stage, a1, world.a.people["member"].id, attended=True)
    db.session.commit()
    with tenancy.system_scope():
        assert not requirement.evaluate(db.session.get(Stage, stage_id), enrolments)[enrolments[0].id].met
    of_this_stage = planned(world, title="Stage evening", starts_at=now() - timedelta(days=2), stage_id=stage_id)
    add_registration(of_this_stage, a1, world.a.people["member"].id, attended=True)
    add_registration(of_this_stage, a2, add_member(a2, "member-of-a2").id)  # registered, did not come
    db.session.commit()
    with tenancy.system_scope():
        outcomes = requirement.evaluate(db.session.get(Stage, stage_id), enrolments)
    assert outcomes[enrolments[0].id].met and not outcomes[enrolments[1].id].met

    # Evaluated as the community itself (its progress page), it sees its own attendance.
    with tenancy.scope(tenant_id=a1):
        assert requirement.evaluate(db.session.get(Stage, stage_id), enrolments[:1])[enrolments[0].id].met


def test_the_cohort_column_counts_the_events_each_community_attended(app, world):
    a1 = world.a.communities[0].id
    for days in (3, 2):
        event = planned(world, title=f"Evening {days}", starts_at=now() - timedelta(days=days))
        add_registration(event, a1, world.a.people["member"].id, attended=True)
        add_registration(event, a1, world.a.people["coordinator"].id, attended=True)
    db.session.commit()
    with tenancy.scope(organisation_id=world.a.organisation.id):
        enrolments = db.session.scalars(select(Enrolment).order_by(Enrolment.id)).all()
        programme = enrolments[0].programme
        (column,) = [c for c in collect(app.extensions["hromada.plugins"], "hromada_cohort_columns",
                                        programme=programme, enrolments=enrolments) if c.key == "events.attended"]
    assert column.kind == "number"
    assert list(column.values.values()) == [2, 0]


# --- KPIs ---------------------------------------------------------------------------------


def test_new_and_returning_people_and_active_members_on_concrete_numbers(app, world):
    a1, a2 = (c.id for c in world.a.communities)
    coordinator, member = world.a.people["coordinator"].id, world.a.people["member"].id
    third, fourth, idle = (add_member(a1, handle).id for handle in ("member-3", "member-4", "member-5"))
    far_away = add_member(a2, "member-of-a2").id
    add_member(a2, "quiet-member-of-a2")
    first = planned(world, title="First evening", starts_at=now() - timedelta(days=30))
    second = planned(world, title="Second evening", starts_at=now() - timedelta(days=10))
    long_ago = planned(world, title="Long ago", starts_at=now() - timedelta(days=120))
    for person in (coordinator, member, third):
        add_registration(first, a1, person, attended=True)
    for person in (coordinator, member, fourth):
        add_registration(second, a1, person, attended=True)
    add_registration(second, a1, idle)  # registered but did not come
    add_registration(long_ago, a2, far_away, attended=True)
    db.session.commit()

    with tenancy.scope(organisation_id=world.a.organisation.id):
        participation = kpis.new_and_returning(world.a.programme.id)
    # The event long ago was the first for its one participant.
    assert participation[long_ago.id] == kpis.EventParticipation(participants=1, returning=0)
    assert participation[first.id] == kpis.EventParticipation(participants=3, returning=0)
    assert participation[second.id] == kpis.EventParticipation(participants=3, returning=2)
    assert participation[second.id].new == 1

    with tenancy.scope(organisation_id=world.a.organisation.id, reader_tenants=frozenset({a1, a2})):
        activity = kpis.community_activity(world.a.organisation.id, [a1, a2])
    assert activity[a1] == kpis.CommunityActivity(members=5, active=4)  # the coordinator, member-a, 3 and 4
    assert activity[a2] == kpis.CommunityActivity(members=2, active=0)  # 120 days is outside the window

    page = signed_in(app, "operator-a").get(programme_path(world) + "/kpis")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "<svg" in body and 'role="img"' in body and "<desc" in body
    assert "Returning: 2" in body and "New: 1" in body
    assert "80%" in body and "0%" in body
    assert "secret-a1" in body and "secret-a2" in body
    assert count(AuditEvent, AuditEvent.action == "events.read_communities") == 1


def test_the_kpi_page_counts_course_sessions_when_the_courses_module_is_there(app, world):
    courses = pytest.importorskip("hromada.modules.courses.models")
    a1 = world.a.communities[0].id
    with tenancy.system_scope():
        stage = db.session.scalar(select(Stage).where(Stage.programme_id == world.a.programme.id))
        course = courses.Course(organisation_id=world.a.organisation.id, programme_id=world.a.programme.id,
                                stage_id=stage.id, title="PRO community")
        db.session.add(course)
        db.session.flush()
        session = courses.CourseSession(course_id=course.id, starts_at=now() - timedelta(days=5),
                                        ends_at=now() - timedelta(days=5, hours=-2))
        db.session.add(session)
        db.session.flush()
        db.session.add(courses.SessionAttendance(
            tenant_id=a1, organisation_id=world.a.organisation.id, session_id=session.id,
            user_id=world.a.people["member"].id, attended=True, marked_at=now()))
        db.session.commit()
    with tenancy.scope(organisation_id=world.a.organisation.id, reader_tenants=frozenset({a1})):
        activity = kpis.community_activity(world.a.organisation.id, [a1])
    assert activity[a1] == kpis.CommunityActivity(members=2, active=1)


# --- Reminders ------------------------------------------------------------------------------


def test_reminders_reach_each_registered_person_once(app, world, runner):
    a1, b1 = world.a.communities[0].id, world.b.communities[0].id
    soon = planned(world, title="Tomorrow's evening", starts_at=now() + timedelta(hours=5))
    later = planned(world, title="Next week's evening", starts_at=now() + timedelta(days=6))
    soon_b = planned(world, side="b", title="Evening of B", starts_at=now() + timedelta(hours=20))
    for person in ("member", "coordinator"):
        add_registration(soon, a1, world.a.people[person].id)
        add_registration(later, a1, world.a.people[person].id)
    add_registration(soon_b, b1, world.b.people["member"].id)
    db.session.commit()

    result = runner.invoke(args=["events", "send-reminders"])
    assert result.exit_code == 0, result.output
    assert "Reminder jobs for 2 communities: 2 finished." in result.output
    again = runner.invoke(args=["events", "send-reminders"])
    assert "2 skipped" in again.output  # the same hour: the jobs ran already

    # A job delivered again later (another hour) finds the reminders sent.
    with app.app_context():
        tenancy.set_tenant(a1)
        assert send_reminders(tenant_id=a1, as_of=(now() + timedelta(hours=1)).isoformat()) == 0
        db.session.rollback()

    with tenancy.system_scope():
        notes = db.session.scalars(select(Notification).order_by(Notification.key)).all()
        keys = sorted(n.key for n in notes)
    assert keys == sorted([
        f"event:{soon.id}:user:{world.a.people['member'].id}",
        f"event:{soon.id}:user:{world.a.people['coordinator'].id}",
        f"event:{soon_b.id}:user:{world.b.people['member'].id}",
    ])
    page = signed_in(app, "member-a").get("/notifications").get_data(as_text=True)
    assert "Reminder: “Tomorrow&#39;s evening” starts on" in page or "Reminder: “Tomorrow's evening” starts on" in page
    assert "Evening of B" not in page


def test_a_reminder_job_acts_for_its_community_only(app, world):
    a1, b1 = world.a.communities[0].id, world.b.communities[0].id
    soon_b = planned(world, side="b", starts_at=now() + timedelta(hours=2))
    add_registration(soon_b, b1, world.b.people["member"].id)
    db.session.commit()
    handle = app.extensions["hromada.jobs"].enqueue("events.reminders", tenant_id=a1, as_of=now().isoformat())
    assert (handle.status, handle.result) == ("finished", 0)
    assert count(Notification) == 0


# --- Pages and queries ----------------------------------------------------------------------


@contextmanager
def counted_queries():
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sqlalchemy_event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        sqlalchemy_event.remove(db.engine, "before_cursor_execute", listener)


def add_communities(world, number: int, start: int = 0) -> list[int]:
    """More communities in A's programme, each with a member; returns their ids."""
    ids = []
    with tenancy.system_scope():
        stage_id = db.session.scalar(select(Enrolment.current_stage_id).where(
            Enrolment.programme_id == world.a.programme.id))
        for index in range(start, start + number):
            community = Community.create(f"Extra community {index}")
            db.session.add(Enrolment(tenant_id=community.id, organisation_id=world.a.organisation.id,
                                     programme_id=world.a.programme.id, current_stage_id=stage_id))
            ids.append(community.id)
        db.session.commit()
    return ids


def queries_of(client, path: str) -> int:
    client.get(path)  # warm: anything done once per session (the session row, caches)
    with counted_queries() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def grow(world, a1: int, first: int, last: int) -> None:
    """Communities first..last-1 of A's programme, each with a member who attended a past event,
    and as many future events that member-a registered for."""
    extra = add_communities(world, last - first, start=first)
    for number, community_id in zip(range(first, last), extra):
        person = add_member(community_id, f"person-{number}").id
        past = planned(world, title=f"Past {number}", starts_at=now() - timedelta(days=number + 1))
        future = planned(world, title=f"Future {number}", starts_at=now() + timedelta(days=number + 1))
        add_registration(future, a1, world.a.people["member"].id)
        add_registration(past, a1, world.a.people["member"].id, attended=True)
        add_registration(past, community_id, person, attended=True)
    db.session.commit()


def test_the_community_events_page_and_the_kpi_page_issue_a_fixed_number_of_queries(app, world):
    a1 = world.a.communities[0].id
    member, operator = signed_in(app, "member-a"), signed_in(app, "operator-a")
    pages = [(member, f"/communities/{a1}/events"), (operator, programme_path(world) + "/kpis")]

    grow(world, a1, 0, 2)
    with_two = [queries_of(client, path) for client, path in pages]
    grow(world, a1, 2, 20)
    with_twenty = [queries_of(client, path) for client, path in pages]
    assert with_two == with_twenty
    page = member.get(f"/communities/{a1}/events").get_data(as_text=True)
    assert page.count("You are registered.") == 20
    kpi_page = operator.get(programme_path(world) + "/kpis").get_data(as_text=True)
    assert "Extra community 19" in kpi_page and "Past 19" in kpi_page


def test_the_participation_page_shows_twenty_events_and_fifty_communities_a_page(app, world):
    a1 = world.a.communities[0].id
    grow(world, a1, 0, 55)  # 57 communities; "Past n" held n + 1 days ago, member-a at every one
    operator = signed_in(app, "operator-a")
    kpi_path = programme_path(world) + "/kpis"

    def row(body: str, title: str) -> str | None:
        start = body.find(f'<th scope="row">{title}</th>')
        return None if start < 0 else " ".join(body[start:body.index("</tr>", start)].split())

    def community_rows(body: str) -> int:
        return body[body.index('id="active-members"'):].count('<th scope="row">')

    def audited() -> list[list[int]]:
        with tenancy.system_scope():
            entries = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "events.read_communities")
                                         .order_by(AuditEvent.id)).all()
            return [entry.details["communities"] for entry in entries]

    first = operator.get(kpi_path).get_data(as_text=True)
    assert "55 events have taken place, the latest first." in first
    assert row(first, "Past 0") and row(first, "Past 19") and row(first, "Past 20") is None
    assert first.count('class="chart-row"') == 20
    assert "57 communities, by name" in first and community_rows(first) == 50
    # Page 2 of the events, page 2 of the communities: each list keeps the other's page in its links.
    second = operator.get(kpi_path, query_string={"events_page": 2, "page": 2}).get_data(as_text=True)
    assert row(second, "Past 19") is None and row(second, "Past 20") and row(second, "Past 39")
    # Past 25: person-25 is new; member-a first came to Past 54, on the third page, and is returning.
    assert "<td>2</td> <td>1</td> <td>1</td>" in row(second, "Past 25")
    assert 'href="/organisations/{}/programmes/{}/events/kpis?events_page=1&amp;page=2"'.format(
        world.a.organisation.id, world.a.programme.id) in second
    assert 'events_page=2&amp;page=1"' in second
    assert community_rows(second) == 7
    # Each view audited the communities it showed: fifty, then the seven left.
    assert [len(entry) for entry in audited()] == [50, 7]
    assert not set(audited()[0]) & set(audited()[1])


def test_the_programme_events_are_listed_twenty_five_a_page_the_latest_first(app, world):
    grow(world, world.a.communities[0].id, 0, 15)  # 15 events to come, 15 held
    with tenancy.system_scope():
        total = db.session.scalar(select(func.count()).select_from(NetworkingEvent)
                                  .where(NetworkingEvent.programme_id == world.a.programme.id))
    operator = signed_in(app, "operator-a")
    first = operator.get(programme_path(world)).get_data(as_text=True)
    last = operator.get(programme_path(world), query_string={"page": 99}).get_data(as_text=True)  # reads as the last
    rows = lambda body: body.count('<th scope="row"><a href=')  # noqa: E731
    assert f"{total} events of the programme, the latest first" in first and total > 25
    assert rows(first) == 25 and rows(last) == total - 25
    assert first.index(">Future 14<") < first.index(">Future 0<")  # the latest first
    assert ">Past 14<" in last and 'rel="prev"' in last and 'rel="next"' not in last


def test_the_organisation_pages_show_the_events(app, world):
    event = planned(world, title="Open evening")
    operator = signed_in(app, "operator-a")
    index = operator.get(f"/organisations/{world.a.organisation.id}/events").get_data(as_text=True)
    assert "Open evening" in index and "Plan an event" in index
    listing = operator.get(programme_path(world)).get_data(as_text=True)
    assert "Open evening" in listing
    assert f'href="/organisations/{world.a.organisation.id}/events"' in operator.get("/").get_data(as_text=True)
    facilitator_index = signed_in(app, "facilitator-a").get(f"/organisations/{world.a.organisation.id}/events")
    assert "Plan an event" not in facilitator_index.get_data(as_text=True)
    assert event.id


def test_the_progress_section_shows_next_events_and_attendance(app, world):
    from flask import render_template

    a1 = world.a.communities[0].id
    coming = planned(world, title="Coming evening")
    attended = planned(world, title="Past evening", starts_at=now() - timedelta(days=4))
    add_registration(coming, a1, world.a.people["member"].id)
    add_registration(attended, a1, world.a.people["member"].id, attended=True)
    db.session.commit()
    with app.test_request_context("/"):
        tenancy.set_tenant(a1)
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.tenant_id == a1))
        (section,) = [s for s in collect(app.extensions["hromada.plugins"], "hromada_progress_sections",
                                         enrolment=enrolment, stage=enrolment.current_stage, viewer=None)
                      if s.key == "events"]
        html = render_template(section.template, enrolment=enrolment, stage=enrolment.current_stage,
                               **section.context)
    assert "Coming evening" in html and "1 registered from the community" in html
    assert "Past evening" in html and "attended 1 event" in html
