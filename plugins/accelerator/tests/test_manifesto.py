"""The manifesto: co-written by revisions, merged without loss, adopted by decision, published by choice.

On SQLite and PostgreSQL, through the pages.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from hromada.plugin_api import Enrolment, Proposal, Stage, db, system_scope
from hromada.testing.factories import signed_in
from hromada.testing.fixtures import csrf_token
from hromada_accelerator.manifesto.testing import add_revisions

FIRST = "We are neighbours who care for our yard.\n\nWe meet every week."


def body(response) -> str:
    return response.get_data(as_text=True)


def manifesto_path(world) -> str:
    return f"/communities/{world.a.communities[0].id}/manifesto"


def post(client, path, data):
    return client.post(path, data={"csrf_token": csrf_token(client), **data})


def save(client, world, text, base):
    return post(client, manifesto_path(world), {"text": text, "base": "" if base is None else str(base)})


def latest_base(client, world) -> str:
    return re.search(r'name="base" type="hidden" value="(\d*)"', body(client.get(manifesto_path(world)))).group(1)


def move_to_accelerator(world) -> None:
    with system_scope():
        stage = Stage(programme_id=world.a.programme.id, position=1, stage_type="accelerator")
        db.session.add(stage)
        db.session.flush()
        enrolment = db.session.scalars(select(Enrolment).where(Enrolment.tenant_id == world.a.communities[0].id,
                                                               Enrolment.programme_id == world.a.programme.id)).one()
        enrolment.current_stage_id = stage.id
        db.session.commit()


def test_two_members_editing_at_once_lose_nothing(app, world):
    coordinator, member = signed_in(app, "coordinator-a"), signed_in(app, "member-a")
    assert save(coordinator, world, FIRST, None).status_code == 302
    base = latest_base(member, world)  # both open the draft at revision 1
    assert save(coordinator, world, FIRST.replace("yard", "quarter"), base).status_code == 302
    conflict = save(member, world, FIRST.replace("every week", "every Thursday"), base)
    assert conflict.status_code == 409
    page = body(conflict)
    assert "saved revision 2 while you were editing" in page
    assert "<del>yard.</del><ins>quarter.</ins>" in page  # what changed meanwhile
    assert "every Thursday" in page  # the member's own words are kept in the form
    new_base = re.search(r'name="base" type="hidden" value="(\d+)"', page).group(1)
    merged = FIRST.replace("yard", "quarter").replace("every week", "every Thursday")
    assert save(member, world, merged, new_base).status_code == 302
    page = body(member.get(manifesto_path(world)))
    assert "Revision 3, saved by member-a" in page and "We meet every Thursday." in page
    compare = body(member.get(f"{manifesto_path(world)}/compare?from=2&to=3"))
    assert "<del>week.</del><ins>Thursday.</ins>" in compare


def test_members_and_the_mentor_comment_on_paragraphs_the_operator_sees_no_draft(app, world):
    move_to_accelerator(world)
    add_revisions(world.a.communities[0].id, world.a.people["member"].id, FIRST)
    mentor = signed_in(app, "mentor-a")
    assert post(mentor, manifesto_path(world) + "/comments",
                {"paragraph": "1", "body": "Which day suits the night-shift workers?"}).status_code == 302
    page = body(signed_in(app, "coordinator-a").get(manifesto_path(world)))
    assert "Which day suits the night-shift workers?" in page
    operator = body(signed_in(app, "operator-a").get(manifesto_path(world)))
    assert "care for our yard" not in operator and "night-shift" not in operator
    assert "has not adopted a manifesto yet" in operator
    assert post(signed_in(app, "operator-a"), manifesto_path(world), {"text": "x", "base": ""}).status_code in (403, 404)


def test_the_manifesto_is_adopted_by_a_vote_with_quorum_and_then_the_stage_asks_no_more(app, world):
    move_to_accelerator(world)
    coordinator, member = signed_in(app, "coordinator-a"), signed_in(app, "member-a")
    assert save(coordinator, world, FIRST, None).status_code == 302
    proposed = post(coordinator, manifesto_path(world) + "/propose", {})
    form = body(coordinator.get(proposed.headers["Location"]))
    seen = re.search(r'name="seen" type="hidden" value="([0-9a-f]{64})"', form).group(1)
    opened = post(coordinator, proposed.headers["Location"], {
        "title": "Adopt our manifesto", "method": "vote", "days": "3", "quorum_percent": "100",
        "threshold_percent": "50", "shared_with": str(world.a.programme.id), "seen": seen})
    assert opened.status_code == 302, body(opened)
    proposal_id = opened.headers["Location"].rsplit("/", 1)[1]
    progress = f"/communities/{world.a.communities[0].id}/programmes/{world.a.programme.id}/progress"
    assert "manifesto not yet adopted: the decision closes on" in body(signed_in(app, "operator-a").get(progress))
    for client in (coordinator, member):
        vote = post(client, f"/communities/{world.a.communities[0].id}/decisions/{proposal_id}/position",
                    {"stance": "yes"})
        assert vote.status_code == 302
    with system_scope():
        for proposal in db.session.scalars(select(Proposal)):
            proposal.opened_at -= timedelta(days=4)
            proposal.closes_at -= timedelta(days=4)
        db.session.commit()
    assert "Passed" in body(member.get(opened.headers["Location"]))
    page = body(member.get(manifesto_path(world)))
    assert "Revision 1, adopted on" in page
    operator_page = body(signed_in(app, "operator-a").get(progress))
    assert "manifesto not yet adopted" not in operator_page and "Adopted on" in operator_page


def test_publishing_is_the_coordinators_choice_and_stopping_takes_the_page_down(app, world):
    add_revisions(world.a.communities[0].id, world.a.people["member"].id, FIRST, adopted=True)
    member, coordinator = signed_in(app, "member-a"), signed_in(app, "coordinator-a")
    page = body(coordinator.get(manifesto_path(world)))
    assert "readable by anyone who has the address" in page
    assert post(member, manifesto_path(world) + "/publish", {}).status_code in (403, 404)
    assert post(coordinator, manifesto_path(world) + "/publish", {}).status_code == 302
    address = re.search(r'href="(/manifestos/\d+/[^"]+)"', body(coordinator.get(manifesto_path(world)))).group(1)
    anonymous = app.test_client()
    assert "care for our yard" in body(anonymous.get(address))
    assert post(coordinator, manifesto_path(world) + "/unpublish", {}).status_code == 302
    assert anonymous.get(address).status_code == 404
    assert anonymous.get(f"/manifestos/{world.a.communities[0].id}/guessed-token-guessed-token").status_code == 404


def test_bad_edits_are_refused_clearly(app, world):
    coordinator = signed_in(app, "coordinator-a")
    empty = save(coordinator, world, "", None)
    assert empty.status_code == 422 and "Write the manifesto" in body(empty)
    huge = save(coordinator, world, "word " * 12000, None)
    assert huge.status_code == 422 and "At most 50000 characters." in body(huge)
    assert save(coordinator, world, FIRST, None).status_code == 302
    stale = save(coordinator, world, FIRST + " Again.", "999999")
    assert stale.status_code == 409 and "saved revision 1 while you were editing" in body(stale)


def test_an_empty_comment_is_refused_with_its_own_message(app, world):
    add_revisions(world.a.communities[0].id, world.a.people["member"].id, FIRST)
    member = signed_in(app, "member-a")
    assert post(member, manifesto_path(world) + "/comments", {"paragraph": "0", "body": ""}).status_code == 302
    assert "Write your comment." in body(member.get(manifesto_path(world)))
