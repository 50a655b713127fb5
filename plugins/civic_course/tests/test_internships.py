"""Internships abroad: the operator's hosts and placements, members' applications, selection within the places,
the intern's logbook and evaluations; who sees what."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import event, select

from hromada.plugin_api import db, system_scope
from hromada.testing.factories import signed_in
from hromada.testing.fixtures import csrf_token
from hromada_civic_course.internships.models import InternshipApplication, LogbookEntry, Placement
from hromada_civic_course.internships.testing import make_application, make_placement
from hromada_civic_course import testing as civic_testing


def body(response) -> str:
    return response.get_data(as_text=True)


def post(client, path, data):
    return client.post(path, data={"csrf_token": csrf_token(client), **data})


def into_the_civic_course(world) -> None:
    civic_testing.into_the_civic_course(world.a.programme.id, world.a.communities[0].id)


def operator_path(world) -> str:
    return f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}/internships"


def community_path(world) -> str:
    return f"/communities/{world.a.communities[0].id}/civic-course/internships"


def soon(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


PLACEMENT = {"placement-starts_on": soon(30), "placement-ends_on": soon(44), "placement-places": "1",
             "placement-tasks": "Help the youth council", "placement-language": "English"}


def test_the_operator_lists_hosts_and_offers_placements_with_bad_input_refused(app, world):
    into_the_civic_course(world)
    operator = signed_in(app, "operator-a")
    assert "Internships abroad" in body(operator.get(f"/organisations/{world.a.organisation.id}/programmes/"
                                                     f"{world.a.programme.id}"))  # the programme page links it
    assert "add one first" in body(operator.get(operator_path(world)))
    assert post(operator, operator_path(world) + "/hosts", {"host-name": "Town hall of Velmora", "host-kind":
                "local_government", "host-country": "Ostrinel", "host-languages": "English"}).status_code == 302
    twice = post(operator, operator_path(world) + "/hosts", {"host-name": "Town hall of Velmora", "host-kind": "party",
                                                             "host-country": "Ostrinel"})
    assert twice.status_code == 422 and "already listed" in body(twice)
    host_id = re.search(r'<option value="(\d+)">Town hall of Velmora \(Ostrinel\)', body(operator.get(
        operator_path(world)))).group(1)
    for fields, message in (({"placement-ends_on": soon(10)}, "The placement cannot end before it starts."),
                            ({"placement-places": "0"}, "Between 1 and 100."),
                            ({"placement-tasks": "   "}, "Say what the intern will do."),
                            ({"placement-host": "999999"}, "Choose one of the options offered.")):
        refused = post(operator, operator_path(world) + "/placements", {**PLACEMENT, "placement-host": host_id,
                                                                         **fields})
        assert refused.status_code == 422 and message in body(refused), fields
    with system_scope():
        assert db.session.scalar(select(Placement.id)) is None
    created = post(operator, operator_path(world) + "/placements", {**PLACEMENT, "placement-host": host_id})
    assert created.status_code == 302
    page = body(operator.get(created.headers["Location"]))
    assert "Placement at Town hall of Velmora" in page and "0 of 1 taken" in page
    # Other staff, and another organisation's operator, do not keep placements.
    for handle in ("mentor-a", "operator-b"):
        assert signed_in(app, handle).get(operator_path(world)).status_code in (403, 404), handle


def test_members_apply_the_operator_selects_within_the_places_and_the_intern_keeps_a_logbook(app, world):
    into_the_civic_course(world)
    community_id = world.a.communities[0].id
    placement_id = make_placement(world.a.organisation.id, world.a.programme.id, places=1)
    member, coordinator, operator = (signed_in(app, handle) for handle in ("member-a", "coordinator-a", "operator-a"))
    page = body(member.get(community_path(world)))
    assert "Town hall of Velmora" in page and "Help the youth council" in page
    applied = {"apply-placement": str(placement_id), "apply-intern": str(world.a.people["member"].id),
               "apply-motivation": "I want to learn", "apply-languages": "English"}
    first, second = post(member, community_path(world), applied), post(member, community_path(world), applied)
    assert first.headers["Location"] == second.headers["Location"]  # a double submit is stored once
    # A member applies for themselves only; the coordinator may nominate a member, or apply.
    refused = post(member, community_path(world), {**applied, "apply-intern": str(world.a.people["coordinator"].id)})
    assert refused.status_code == 422
    assert post(coordinator, community_path(world), {**applied, "apply-intern": str(world.a.people["coordinator"].id),
                                                     "apply-motivation": "Me too"}).status_code == 302
    placement_page = f"{operator_path(world)}/placements/{placement_id}"
    page = body(operator.get(placement_page))
    assert "member-a" in page and "coordinator-a" in page and "I want to learn" in page
    assert world.a.communities[0].name in page
    ids = [int(found) for found in re.findall(r"/interns/(\d+)/select", page)]
    assert len(ids) == 2
    assert post(operator, f"{placement_page}/interns/{ids[0]}/select", {}).status_code == 302
    full = post(operator, f"{placement_page}/interns/{ids[1]}/select", {})
    assert "Every place of this placement is taken." in body(operator.get(full.headers["Location"]))
    with system_scope():
        states = dict(db.session.execute(select(InternshipApplication.id, InternshipApplication.status)).all())
    assert states == {ids[0]: "selected", ids[1]: "applied"}
    assert post(operator, f"{placement_page}/interns/{ids[1]}/decline", {}).status_code == 302
    assert post(operator, f"{placement_page}/interns/{ids[0]}/record", {
        f"record-{ids[0]}-agreement_on": soon(-1), f"record-{ids[0]}-travel": "Night train on the first day",
        f"record-{ids[0]}-host_evaluation": "Punctual and curious"}).status_code == 302
    internship = f"{community_path(world)}/{ids[0]}"
    page = body(member.get(internship))
    assert "selected" in page and "Night train on the first day" in page and "Punctual and curious" in page
    assert post(member, internship + "/logbook", {"logbook-written_on": soon(0),
                                                  "logbook-text": "Met the youth council"}).status_code == 302
    assert post(member, internship + "/evaluation", {"report-intern_evaluation": "I learnt a lot"}).status_code == 302
    coordinators_view = body(coordinator.get(internship))
    assert "Met the youth council" in coordinators_view and "I learnt a lot" in coordinators_view
    assert post(coordinator, internship + "/logbook", {"logbook-written_on": soon(0),
                                                       "logbook-text": "Not mine"}).status_code == 403
    assert "Met the youth council" in body(operator.get(placement_page))
    progress = f"/communities/{community_id}/programmes/{world.a.programme.id}/progress"
    assert "Internships abroad" in body(member.get(progress)) and "Town hall of Velmora" in body(member.get(progress))
    assert "Town hall of Velmora" not in body(operator.get(progress))  # operators follow it on their own pages
    declined = body(coordinator.get(f"{community_path(world)}/{ids[1]}"))
    assert "not selected" in declined and "Night train" not in declined
    # Nobody else: the programme's mentor, another community, another organisation.
    for handle in ("mentor-a", "facilitator-a", "member-b", "operator-b"):
        assert signed_in(app, handle).get(internship).status_code in (403, 404), handle
    assert signed_in(app, "operator-b").get(placement_page).status_code in (403, 404)


def test_only_communities_in_the_civic_course_see_placements(app, world):
    make_placement(world.a.organisation.id, world.a.programme.id, marker="Kestrel")
    page = body(signed_in(app, "member-a").get(community_path(world)))  # still in the incubator
    assert "No placement is offered to your community now" in page and "Kestrel" not in page
    into_the_civic_course(world)
    assert "Help the youth council Kestrel" in body(signed_in(app, "member-a").get(community_path(world)))


def test_a_withdrawn_application_frees_nothing_twice_and_says_why(app, world):
    into_the_civic_course(world)
    placement_id = make_placement(world.a.organisation.id, world.a.programme.id)
    application_id = make_application(world.a.communities[0].id, world.a.organisation.id, placement_id,
                                      world.a.people["member"].id)
    member = signed_in(app, "member-a")
    internship = f"{community_path(world)}/{application_id}"
    assert post(member, internship + "/withdraw", {}).status_code == 302
    again = post(member, internship + "/withdraw", {})
    assert "This application was withdrawn or already declined." in body(member.get(again.headers["Location"]))
    operator = signed_in(app, "operator-a")
    select_path = f"{operator_path(world)}/placements/{placement_id}/interns/{application_id}/select"
    refused = post(operator, select_path, {})
    assert "withdrawn or already declined" in body(operator.get(refused.headers["Location"]))


def _statements(client, path) -> int:
    client.get(path)
    count = 0

    def counted(*_args):
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", counted)
    try:
        assert client.get(path).status_code == 200, path
    finally:
        event.remove(db.engine, "before_cursor_execute", counted)
    return count


def test_the_internship_pages_make_as_many_statements_for_many_placements_as_for_few(app, world):
    into_the_civic_course(world)
    community_id, organisation_id = world.a.communities[0].id, world.a.organisation.id
    member, operator = signed_in(app, "member-a"), signed_in(app, "operator-a")
    counts, made = [], []
    for number in (2, 8):
        while len(made) < number:
            placement_id = make_placement(organisation_id, world.a.programme.id, marker=f"n{len(made)}", places=3)
            made.append((placement_id, make_application(community_id, organisation_id, placement_id,
                                                        world.a.people["member"].id, selected=True)))
        placement_id, application_id = made[-1]
        counts.append(tuple(_statements(client, path) for client, path in (
            (member, community_path(world)), (member, f"{community_path(world)}/{application_id}"),
            (operator, operator_path(world)), (operator, f"{operator_path(world)}/placements/{placement_id}"),
            (member, f"/communities/{community_id}/programmes/{world.a.programme.id}/progress"))))
    assert counts[0] == counts[1], counts
    with system_scope():
        assert db.session.scalar(select(LogbookEntry.id)) is not None
