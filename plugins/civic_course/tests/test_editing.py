"""What could only be created can be changed: strategic sessions and their outcomes (by the community's members),
host organisations and placements (by the operator; a placement never has fewer places than interns selected,
counted under its lock). Bad input is refused with a reason and saves nothing; every change is audited."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import event, select, text

from hromada.plugin_api import db, system_scope
from hromada.testing.factories import signed_in
from hromada.testing.fixtures import csrf_token
from hromada_civic_course.internships.models import HostOrganisation, Placement
from hromada_civic_course.internships.testing import make_application, make_placement
from hromada_civic_course.sessions.models import SessionOutcome, StrategicSession
from hromada_civic_course.testing import into_the_civic_course, make_map, make_session


def body(response) -> str:
    return response.get_data(as_text=True)


def post(client, path, data):
    return client.post(path, data={"csrf_token": csrf_token(client), **data})


def audited(action: str) -> int:
    with system_scope():
        return db.session.scalar(text("SELECT count(*) FROM audit_events WHERE action = :a"), {"a": action})


def a_session(world) -> tuple[dict, str]:
    community_id = world.a.communities[0].id
    into_the_civic_course(world.a.programme.id, community_id)
    ids = make_map(community_id, world.a.programme.id, marker="ours", adopted=True)
    ids.update(make_session(community_id, world.a.programme.id, ids["map_id"], marker="ours"))
    return ids, f"/communities/{community_id}/civic-course/sessions/{ids['session_id']}"


def test_members_change_a_session_and_its_outcomes(app, world):
    ids, path = a_session(world)
    member = signed_in(app, "member-a")
    last_week = (date.today() - timedelta(days=6)).isoformat()
    saved = post(member, path + "/edit", {"edit-change_map": ids["map_id"], "edit-held_on": last_week,
                                          "edit-facilitator": "Ostap", "edit-participants": "12",
                                          "edit-summary": "We met the council twice."})
    assert saved.status_code == 302
    page = body(member.get(path))
    assert "Ostap" in page and "12" in page and "We met the council twice." in page
    assert audited("civic_course.session_changed") == 1
    for junk, message in (({"edit-held_on": "1900-01-01"}, "Enter a date between 2000 and 2100."),
                          ({"edit-participants": "-3"}, "Between 0 and 10000."),
                          ({"edit-change_map": "999999"}, "Choose one of the options offered.")):
        refused = post(member, path + "/edit", {"edit-change_map": ids["map_id"], "edit-held_on": last_week,
                                                "edit-participants": "5", **junk})
        assert refused.status_code == 422 and message in body(refused), junk
    # Another session on the same map and day: the change is refused, nothing saved.
    other = make_session(world.a.communities[0].id, world.a.programme.id, ids["map_id"], marker="second")
    with system_scope():
        other_day = db.session.get(StrategicSession, other["session_id"]).held_on.isoformat()
    taken = post(member, path + "/edit", {"edit-change_map": ids["map_id"], "edit-held_on": other_day,
                                          "edit-participants": "3"})
    assert taken.status_code == 422 and "A session on this map on this day is already recorded." in body(taken)
    with system_scope():
        assert db.session.get(StrategicSession, ids["session_id"]).participants == 12

    outcome = f"{path}/outcomes/{ids['outcome_id']}"
    prefix = f"outcome-{ids['outcome_id']}"
    assert post(member, outcome, {f"{prefix}-text": "Three of us ask the council",
                                  f"{prefix}-link": f"m{ids['milestone_id']}"}).status_code == 302
    with system_scope():
        changed = db.session.get(SessionOutcome, ids["outcome_id"])
        assert (changed.text, changed.milestone_id, changed.action_id) == ("Three of us ask the council",
                                                                           ids["milestone_id"], None)
    assert audited("civic_course.outcome_changed") == 1
    empty = post(member, outcome, {f"{prefix}-text": "   ", f"{prefix}-link": ""})
    assert empty.status_code == 422 and "Say what the session agreed." in body(empty)
    assert post(member, outcome, {f"{prefix}-text": "x", f"{prefix}-link": "a999999"}).status_code == 422
    # Staff read the session but change nothing.
    mentor = signed_in(app, "mentor-a")
    assert post(mentor, path + "/edit", {"edit-change_map": ids["map_id"], "edit-held_on": last_week,
                                         "edit-participants": "1"}).status_code == 403


def operator_path(world) -> str:
    return f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}/internships"


def test_the_operator_changes_a_host_organisation(app, world):
    into_the_civic_course(world.a.programme.id, world.a.communities[0].id)
    placement_id = make_placement(world.a.organisation.id, world.a.programme.id, marker="one")
    make_placement(world.a.organisation.id, world.a.programme.id, marker="two")
    with system_scope():
        host_id = db.session.scalar(select(Placement.host_id).where(Placement.id == placement_id))
    operator = signed_in(app, "operator-a")
    path, prefix = f"{operator_path(world)}/hosts/{host_id}", f"host-{host_id}"
    assert "Change this host organisation" in body(operator.get(operator_path(world)))
    saved = post(operator, path, {f"{prefix}-name": "Youth council of Velmora", f"{prefix}-kind": "association",
                                  f"{prefix}-country": "Ostrinel", f"{prefix}-languages": "English, Ostrinelian"})
    assert saved.status_code == 302 and "Youth council of Velmora" in body(operator.get(operator_path(world)))
    assert audited("civic_course.host_changed") == 1
    taken = post(operator, path, {f"{prefix}-name": "Town hall of Velmora two", f"{prefix}-kind": "association",
                                  f"{prefix}-country": "Ostrinel"})
    assert taken.status_code == 422 and "A host organisation with this name is already listed." in body(taken)
    junk = post(operator, path, {f"{prefix}-name": " ", f"{prefix}-kind": "bank", f"{prefix}-country": ""})
    assert junk.status_code == 422 and "Name the host organisation." in body(junk)
    with system_scope():
        assert db.session.get(HostOrganisation, host_id).name == "Youth council of Velmora"
    other = signed_in(app, "operator-b")
    assert post(other, path, {f"{prefix}-name": "Stolen", f"{prefix}-kind": "association",
                              f"{prefix}-country": "X"}).status_code in (403, 404)


def test_a_placement_is_changed_but_never_below_its_selected_interns_under_its_lock(app, world):
    into_the_civic_course(world.a.programme.id, world.a.communities[0].id)
    placement_id = make_placement(world.a.organisation.id, world.a.programme.id, marker="one", places=3)
    for handle in ("member", "coordinator"):
        make_application(world.a.communities[0].id, world.a.organisation.id, placement_id,
                         world.a.people[handle].id, selected=True)
    with system_scope():
        host_id = db.session.scalar(select(Placement.host_id).where(Placement.id == placement_id))
    operator = signed_in(app, "operator-a")
    path = f"{operator_path(world)}/placements/{placement_id}"
    soon = (date.today() + timedelta(days=40)).isoformat()
    later = (date.today() + timedelta(days=60)).isoformat()
    form = {"edit-host": host_id, "edit-starts_on": soon, "edit-ends_on": later, "edit-tasks": "Draft two hearings",
            "edit-language": "English"}
    statements = []

    def seen(_connection, _cursor, statement, *_rest):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        too_few = post(operator, path + "/edit", {**form, "edit-places": "1"})
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert too_few.status_code == 422
    assert "2 interns are selected: the placement needs at least as many places." in body(too_few)
    if db.engine.dialect.name == "postgresql":
        assert any("FROM civic_placements" in s and "FOR UPDATE" in s for s in statements)
    backwards = post(operator, path + "/edit", {**form, "edit-starts_on": later, "edit-ends_on": soon,
                                                "edit-places": "2"})
    assert backwards.status_code == 422 and "The placement cannot end before it starts." in body(backwards)
    with system_scope():
        assert db.session.get(Placement, placement_id).places == 3
    assert post(operator, path + "/edit", {**form, "edit-places": "2"}).status_code == 302
    page = body(operator.get(path))
    assert "2 of 2 taken" in page and "Draft two hearings" in page
    assert audited("civic_course.placement_changed") == 1
    member = signed_in(app, "coordinator-a")
    assert post(member, path + "/edit", {**form, "edit-places": "9"}).status_code in (403, 404)


@pytest.mark.real_commits  # two threads, each with a transaction of its own
def test_fewer_places_wait_for_an_intern_being_selected_and_then_are_refused(app, world):
    """Three places, two interns selected, a third being selected in an open transaction: the operator who
    lowers the places to two waits for it on the placement's lock, then finds three selected and is refused."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite runs one writer at a time")
    from hromada.plugin_api import tenancy_scope
    from hromada_civic_course.internships import operations
    from hromada_civic_course.internships.models import InternshipApplication

    into_the_civic_course(world.a.programme.id, world.a.communities[0].id)
    organisation_id, community_id = world.a.organisation.id, world.a.communities[0].id
    placement_id = make_placement(organisation_id, world.a.programme.id, marker="locked", places=3)
    for handle in ("member", "coordinator"):
        make_application(community_id, organisation_id, placement_id, world.a.people[handle].id, selected=True)
    third = make_application(community_id, organisation_id, placement_id, world.a.people["mentor"].id)
    db.session.remove()
    selecting, release = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def select_third() -> None:
        with app.test_request_context(), tenancy_scope(organisation_id=organisation_id):
            try:
                operations.decide(db.session.get(InternshipApplication, third), True)
                selecting.set()
                release.wait(10)
                db.session.commit()
                results["select"] = "selected"
            except Exception as exc:  # reported by the assertion below, not lost in the thread
                results["select"] = exc
            finally:
                db.session.remove()

    def lower_places() -> None:
        with app.test_request_context(), tenancy_scope(organisation_id=organisation_id):
            try:
                placement = db.session.get(Placement, placement_id)
                operations.change_placement(placement, host_id=placement.host_id, starts_on=placement.starts_on,
                                            ends_on=placement.ends_on, places=2, tasks=placement.tasks,
                                            language=placement.language)
                db.session.commit()
                results["lower"] = "lowered"
            except operations.Refused as refused:
                db.session.rollback()
                results["lower"] = str(refused.message)
            except Exception as exc:
                results["lower"] = exc
            finally:
                db.session.remove()

    first = threading.Thread(target=select_third)
    first.start()
    assert selecting.wait(10)
    second = threading.Thread(target=lower_places)
    second.start()
    second.join(0.5)
    assert second.is_alive(), "lowering the places did not wait for the selection in progress"
    release.set()
    first.join(10)
    second.join(10)
    assert results == {"select": "selected",
                       "lower": "3 interns are selected: the placement needs at least as many places."}
    with system_scope():
        assert db.session.get(Placement, placement_id).places == 3
