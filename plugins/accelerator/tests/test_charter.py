"""The accelerator's charter: values -> principles -> rules, adopted by the community's decision.

On SQLite and PostgreSQL, through the pages, as members and staff would use them.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from hromada.plugin_api import Enrolment, Proposal, Stage, db, system_scope
from hromada.testing.factories import signed_in
from hromada.testing.fixtures import csrf_token
from hromada_accelerator.charter.testing import make_draft

RULE_WITHOUT_VALUE = "Rules must never stand above values: they protect and strengthen them."


def body(response) -> str:
    return response.get_data(as_text=True)


def charter_path(world) -> str:
    return f"/communities/{world.a.communities[0].id}/charter"


def post(client, path, data):
    return client.post(path, data={"csrf_token": csrf_token(client), **data})


def add_value(client, world, name, meaning=""):
    return post(client, charter_path(world) + "/values", {"value-name": name, "value-meaning": meaning})


def value_ids(page) -> dict[str, str]:
    return {name: value for value, name in re.findall(
        r'<input id="rule-protects-\d+" name="rule-protects" type="checkbox" value="(\d+)"> <label[^>]*>([^<]+)</label>',
        page)}


def move_to_accelerator(world) -> None:
    with system_scope():
        programme_id = world.a.programme.id
        stage = Stage(programme_id=programme_id, position=1, stage_type="accelerator")
        db.session.add(stage)
        db.session.flush()
        enrolment = db.session.scalars(select(Enrolment).where(Enrolment.tenant_id == world.a.communities[0].id,
                                                               Enrolment.programme_id == programme_id)).one()
        enrolment.current_stage_id = stage.id
        db.session.commit()


def close_every_proposal() -> None:
    with system_scope():
        for proposal in db.session.scalars(select(Proposal)):
            proposal.opened_at -= timedelta(days=30)
            proposal.closes_at -= timedelta(days=30)
        db.session.commit()


def test_members_write_values_principles_and_rules_and_a_rule_needs_a_value(app, world):
    coordinator, member = signed_in(app, "coordinator-a"), signed_in(app, "member-a")
    assert add_value(coordinator, world, "Care", "We look after each other").status_code == 302
    assert add_value(coordinator, world, "Openness").status_code == 302
    page = body(member.get(charter_path(world)))
    assert "All the values were put forward by one person." in page
    assert "There are values but no rules yet" in page
    ids = value_ids(page)
    refused = post(member, charter_path(world) + "/rules", {"rule-text": "We meet weekly"})
    assert refused.status_code == 422 and RULE_WITHOUT_VALUE in body(refused)
    assert post(member, charter_path(world) + "/rules",
                {"rule-text": "We answer a call for help within a day", "rule-protects": ids["Care"]}).status_code == 302
    assert post(member, charter_path(world) + "/principles",
                {"principle-value_id": ids["Care"], "principle-statement": "Nobody is left alone"}).status_code == 302
    assert add_value(member, world, "Courage").status_code == 302
    page = body(member.get(charter_path(world)))
    assert "Nobody is left alone" in page and "protects: Care" in page
    assert "All the values were put forward by one person." not in page
    assert page.count("No rule protects this value yet.") == 2  # Openness and Courage
    duplicate = add_value(member, world, "Care")
    assert duplicate.status_code == 422 and "The community already has this value." in body(duplicate)


def test_the_only_value_a_rule_protects_cannot_be_removed_from_under_it(app, world):
    ids = make_draft(world.a.communities[0].id, world.a.people["member"].id)
    member = signed_in(app, "member-a")
    response = post(member, f"{charter_path(world)}/values/{ids['value_id']}/delete", {})
    assert response.status_code == 302
    page = body(member.get(charter_path(world)))
    assert "is the only value the rule" in page and "We answer a call for help within a day" in page


def test_the_charter_is_adopted_by_decision_and_then_governs_how_the_community_decides(app, world):
    move_to_accelerator(world)
    make_draft(world.a.communities[0].id, world.a.people["member"].id)
    coordinator = signed_in(app, "coordinator-a")
    assert post(coordinator, charter_path(world) + "/how-we-decide", {
        "deciding-method": "vote", "deciding-days": "10", "deciding-quorum_percent": "50",
        "deciding-threshold_percent": "67"}).status_code == 302
    proposed = post(coordinator, charter_path(world) + "/propose", {})
    assert proposed.status_code == 302 and "subject=accelerator.charter" in proposed.headers["Location"]
    form = body(coordinator.get(proposed.headers["Location"]))
    assert "The charter, version 2" in form and "We answer a call for help within a day" in form
    assert f'<option selected value="{world.a.programme.id}">' in form  # shared with the accelerator's staff
    seen = re.search(r'name="seen" type="hidden" value="([0-9a-f]{64})"', form).group(1)
    opened = post(coordinator, proposed.headers["Location"], {
        "title": "Adopt our charter", "method": "consent", "days": "7", "threshold_percent": "50",
        "shared_with": str(world.a.programme.id), "seen": seen})
    assert opened.status_code == 302, body(opened)
    close_every_proposal()
    assert "Passed" in body(coordinator.get(opened.headers["Location"]))
    page = body(coordinator.get(charter_path(world)))
    assert "Version 2, adopted on" in page
    # The adopted rule "how we decide" now sets the defaults of the community's proposals.
    new = body(signed_in(app, "member-a").get(f"/communities/{world.a.communities[0].id}/decisions/new"))
    assert '<option selected value="vote">Majority vote</option>' in new
    assert re.search(r'<input [^>]*name="days"[^>]* value="10"', new)
    # Staff read the adopted charter on the progress page, never the draft.
    progress = body(signed_in(app, "mentor-a").get(
        f"/communities/{world.a.communities[0].id}/programmes/{world.a.programme.id}/progress"))
    assert "Version 2 adopted on" in progress


def test_staff_read_only_what_the_community_adopted(app, world):
    community_id = world.a.communities[0].id
    draft = make_draft(community_id, world.a.people["member"].id, marker="draft-only")
    for role in ("operator", "mentor"):
        staff = signed_in(app, f"{role}-a")
        page = body(staff.get(charter_path(world)))
        assert "draft-only" not in page and "has not adopted a charter yet" in page
        assert staff.get(f"{charter_path(world)}/versions/{draft['version_id']}").status_code == 404
        assert post(staff, charter_path(world) + "/values", {"value-name": "Control"}).status_code in (403, 404)
    adopted = make_draft(world.a.communities[1].id, world.a.people["operator"].id, marker="adopted", adopted=True,
                         programme_id=world.a.programme.id)
    operator = signed_in(app, "operator-a")
    version = body(operator.get(f"/communities/{world.a.communities[1].id}/charter/versions/{adopted['version_id']}"))
    assert "We answer a call for help within a day adopted" in version
