"""Members change and delete meetings and problems (never one a change map starts from); the community, its mentor
and facilitator comment on a draft map, and nobody else reads the comments."""

from __future__ import annotations

import re

from sqlalchemy import select

from hromada.plugin_api import db, system_scope
from hromada.testing.factories import signed_in
from hromada.testing.fixtures import csrf_token
from hromada_civic_course.maps.models import MapComment
from hromada_civic_course.meetings.models import Problem, ProblemDots, ProblemMeeting
from hromada_civic_course.testing import make_map
from hromada_civic_course import testing as civic_testing


def body(response) -> str:
    return response.get_data(as_text=True)


def post(client, path, data):
    return client.post(path, data={"csrf_token": csrf_token(client), **data})


def into_the_civic_course(world) -> None:
    civic_testing.into_the_civic_course(world.a.programme.id, world.a.communities[0].id)


def base(world) -> str:
    return f"/communities/{world.a.communities[0].id}/civic-course"


def test_members_change_a_meeting_and_its_problems(app, world):
    member = signed_in(app, "member-a")
    ids = make_map(world.a.communities[0].id, world.a.programme.id, marker="kept")
    meeting = f"{base(world)}/meetings/{ids['meeting_id']}"
    assert post(member, meeting + "/edit", {"edit-held_on": "2027-04-03", "edit-level": "region",
                                            "edit-participants": "31", "edit-facilitator": "Ostap"}).status_code == 302
    page = body(member.get(meeting))
    assert "Region" in page and "31" in page and "Ostap" in page
    bad = post(member, meeting + "/edit", {"edit-held_on": "1900-01-01", "edit-level": "region",
                                           "edit-participants": "3"})
    assert bad.status_code == 422 and "Enter a date between 2000 and 2100." in body(bad)
    post(member, meeting + "/problems", {"problem-title": "Loud trams"})
    problem = f"{base(world)}/problems/{ids['problem_id']}"
    assert post(member, problem + "/edit", {f"problem-{ids['problem_id']}-title": "Unlit underpass by the station",
                                            f"problem-{ids['problem_id']}-evidence": "Photos"}).status_code == 302
    assert "Unlit underpass by the station" in body(member.get(meeting))
    taken = post(member, problem + "/edit", {f"problem-{ids['problem_id']}-title": "Loud trams"})
    assert taken.status_code == 422 and "This meeting already has a problem with this name." in body(taken)
    # The map still names the problem by its new title.
    assert "Unlit underpass by the station" in body(member.get(f"{base(world)}/maps/{ids['map_id']}"))


def test_nothing_a_change_map_starts_from_is_deleted(app, world):
    member = signed_in(app, "member-a")
    community_id = world.a.communities[0].id
    ids = make_map(community_id, world.a.programme.id, marker="kept", voter_id=world.a.people["member"].id)
    meeting = f"{base(world)}/meetings/{ids['meeting_id']}"
    refused = post(member, f"{base(world)}/problems/{ids['problem_id']}/delete", {})
    assert "A change map starts from this problem: it cannot be deleted." in body(member.get(refused.headers["Location"]))
    refused = post(member, meeting + "/delete", {})
    assert "the meeting cannot be deleted" in body(member.get(refused.headers["Location"]))
    post(member, meeting + "/problems", {"problem-title": "Loud trams"})
    loud = int(re.search(r"/problems/(\d+)/dots", body(member.get(meeting)).split("Loud trams")[1]).group(1))
    post(member, f"{base(world)}/problems/{loud}/dots", {f"dots-{loud}-dots": "1"})
    assert post(member, f"{base(world)}/problems/{loud}/delete", {}).status_code == 302
    with system_scope():
        assert db.session.get(Problem, loud) is None
        assert db.session.scalar(select(ProblemDots.id).where(ProblemDots.problem_id == loud)) is None
        assert db.session.get(Problem, ids["problem_id"]) is not None
    # A meeting no map starts from goes, with its problems and their dots.
    created = post(member, f"{base(world)}/meetings", {"meeting-held_on": "2027-05-01", "meeting-level": "town",
                                                      "meeting-participants": "5"})
    other = created.headers["Location"]
    post(member, other + "/problems", {"problem-title": "No benches"})
    assert post(member, other + "/delete", {}).status_code == 302
    with system_scope():
        assert [row.id for row in db.session.scalars(select(ProblemMeeting))] == [ids["meeting_id"]]
        assert db.session.scalar(select(Problem.id).where(Problem.title == "No benches")) is None
    assert signed_in(app, "mentor-a").post(meeting + "/delete", data={}).status_code in (400, 403, 404)


def test_the_mentor_and_facilitator_comment_on_a_draft_and_operators_never_read_it(app, world):
    community_id = world.a.communities[0].id
    into_the_civic_course(world)
    ids = make_map(community_id, world.a.programme.id, marker="ours")
    map_path = f"{base(world)}/maps/{ids['map_id']}"
    member, mentor, facilitator = (signed_in(app, handle) for handle in ("member-a", "mentor-a", "facilitator-a"))
    assert post(mentor, map_path + "/comments", {"comment-body": "Who else decides about lamps?"}).status_code == 302
    assert post(facilitator, map_path + "/comments", {"comment-body": "Add the housing office"}).status_code == 302
    assert post(member, map_path + "/comments", {"comment-body": "We will ask them"}).status_code == 302
    empty = post(member, map_path + "/comments", {"comment-body": "   "})
    assert empty.status_code == 422 and "Write the comment." in body(empty)
    page = body(member.get(map_path))
    assert re.search(r"mentor-a</strong>.*Who else decides about lamps\?", page, re.S)
    assert "facilitator-a" in page and "We will ask them" in page
    assert "Add the housing office" in body(mentor.get(map_path))
    for handle in ("operator-a", "expert-a", "mentor-b"):
        response = signed_in(app, handle).get(map_path)
        assert response.status_code in (403, 404) and "housing office" not in body(response), handle
        assert post(signed_in(app, handle), map_path + "/comments", {"comment-body": "x"}).status_code in (403, 404)
    # Adopted: the operator reads the map but not the comments; nobody comments on it as it is.
    from hromada_civic_course.demo import adopt
    from hromada_civic_course.maps.models import ChangeMapVersion

    with system_scope():
        adopt(db.session.get(ChangeMapVersion, ids["version_id"]), world.a.programme.id)
        db.session.commit()
    operators_view = body(signed_in(app, "operator-a").get(map_path))
    assert "The underpass is lit ours" in operators_view and "housing office" not in operators_view
    closed = post(mentor, map_path + "/comments", {"comment-body": "Late"})
    assert "The map is adopted as it is" in body(mentor.get(closed.headers["Location"]))
    with system_scope():
        assert len(db.session.scalars(select(MapComment).where(MapComment.map_id == ids["map_id"])).all()) == 4
    # Changed after adoption: a draft of the next version again.
    assert post(member, map_path, {"edit-goal": "Lamps and benches", "edit-levels": ["local"]}).status_code == 302
    assert post(mentor, map_path + "/comments", {"comment-body": "Benches too?"}).status_code == 302
