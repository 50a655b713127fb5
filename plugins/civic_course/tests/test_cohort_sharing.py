"""A community shares an adopted change map's summary with the other communities of its programme, by its
coordinator's choice, under its name or anonymously; it withdraws it at once; a community of another programme,
staff and strangers read nothing of it. On PostgreSQL the database itself lets only the cohort read the rows."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, text

from hromada.plugin_api import db, system_scope, tenancy_scope
from hromada.testing.factories import make_member, signed_in
from hromada.testing.fixtures import csrf_token
from hromada_civic_course.maps import sharing
from hromada_civic_course.maps.models import ChangeMap, MapShare
from hromada_civic_course.testing import into_the_civic_course, make_map, share_map, with_actions


def body(response) -> str:
    return response.get_data(as_text=True)


def post(client, path, data):
    return client.post(path, data={"csrf_token": csrf_token(client), **data})


def audit_actions(community_id: int) -> list[str]:
    with system_scope():
        return list(db.session.scalars(text("SELECT action FROM audit_events WHERE community_id = :c ORDER BY id"),
                                       {"c": community_id}))


@pytest.fixture
def shared_world(app, world):
    """A1's adopted map (with a plan: one action done, two open, one of them overdue) in programme A's civic
    course; A2's coordinator; B1 in programme B's civic course."""
    a1, a2, b1 = world.a.communities[0].id, world.a.communities[1].id, world.b.communities[0].id
    into_the_civic_course(world.a.programme.id, a1)
    into_the_civic_course(world.b.programme.id, b1)
    ids = make_map(a1, world.a.programme.id, marker="kept-private", adopted=True)
    with_actions(a1, ids["map_id"], marker="Night", done=1, open_=2, overdue=1)
    make_member(a2, "kestrel")
    return {"a1": a1, "a2": a2, "b1": b1, **ids,
            "map": f"/communities/{a1}/civic-course/maps/{ids['map_id']}",
            "cohort_a2": f"/communities/{a2}/civic-course/cohort-maps",
            "cohort_b1": f"/communities/{b1}/civic-course/cohort-maps"}


def share(client, ids, named=True):
    page = body(client.get(ids["map"]))
    assert "Share the summary with the cohort" in page or "Update the shared summary" in page
    return post(client, ids["map"] + "/share", {"share-version": ids["version_id"],
                                                "share-shown_as": "named" if named else "anonymous"})


def test_the_cohort_reads_the_shared_summary_and_nothing_else(app, world, shared_world):
    ids = shared_world
    a2 = signed_in(app, "kestrel")
    assert "The underpass is lit" not in body(a2.get(ids["cohort_a2"]))  # nothing until the community shares
    coordinator = signed_in(app, "coordinator-a")
    assert share(coordinator, ids).status_code == 302
    assert "a summary of version 1 under your community" in body(coordinator.get(ids["map"]))
    page = body(a2.get(ids["cohort_a2"]))
    assert "Community A1 secret-a1" in page and "The underpass is lit kept-private" in page
    assert "Local" in page and "1 of 3 actions done" in page and "1 overdue" in page and "Lamps Night" in page
    for private in ("Unlit underpass", "District council", "The council has money", "Who pays for the lamps",
                    "Done 0 Night", "Open 0 Night", "Petition", "coordinator-a", "member-a"):
        assert private not in page, private
    # Another programme's community, staff and the community's own member who may not share see none of it.
    b1 = signed_in(app, "coordinator-b")
    assert "The underpass is lit" not in body(b1.get(ids["cohort_b1"]))
    assert b1.get(ids["cohort_a2"]).status_code in (403, 404)
    for staff in ("operator-a", "mentor-a", "operator-b"):
        assert signed_in(app, staff).get(ids["cohort_a2"]).status_code in (403, 404), staff
    member = signed_in(app, "member-a")
    assert post(member, ids["map"] + "/share/withdraw", {}).status_code in (403, 404)
    assert "civic_course.cohort_maps_read" in audit_actions(ids["a2"])
    assert "civic_course.map_shared" in audit_actions(ids["a1"])


def test_the_cohort_reads_the_shared_summaries_a_page_at_a_time_the_latest_first(app, world, shared_world,
                                                                                 monkeypatch):
    ids = shared_world
    monkeypatch.setattr(sharing, "SHARES_PER_PAGE", 2)  # 25 in use: three summaries make two pages of two here
    share_map(ids["a1"], ids["map_id"])
    for marker in ("second-a1", "third-a1"):
        share_map(ids["a1"], make_map(ids["a1"], world.a.programme.id, marker=marker, adopted=True)["map_id"])
    a2 = signed_in(app, "kestrel")
    first, second = body(a2.get(ids["cohort_a2"])), body(a2.get(ids["cohort_a2"] + "?page=2"))
    assert "3 summaries are shared, the latest first." in first
    assert "third-a1" in first and "second-a1" in first and "kept-private" not in first
    assert "kept-private" in second and "third-a1" not in second and "second-a1" not in second
    assert f'href="{ids["cohort_a2"]}?page=2"' in first and f'href="{ids["cohort_a2"]}?page=1"' in second
    past_the_last = body(a2.get(ids["cohort_a2"] + "?page=9"))
    assert "kept-private" in past_the_last and "third-a1" not in past_the_last


def test_an_anonymous_share_never_names_the_community(app, world, shared_world):
    ids = shared_world
    coordinator = signed_in(app, "coordinator-a")
    assert share(coordinator, ids, named=False).status_code == 302
    page = body(signed_in(app, "kestrel").get(ids["cohort_a2"]))
    assert "The underpass is lit kept-private" in page and "A community of the programme" in page
    assert "secret-a1" not in page and "Community A1" not in page
    with system_scope():
        assert db.session.scalars(select(MapShare.shown_as)).all() == [None]


def test_withdrawing_removes_the_summary_at_once(app, world, shared_world):
    ids = shared_world
    coordinator = signed_in(app, "coordinator-a")
    share(coordinator, ids)
    a2 = signed_in(app, "kestrel")
    assert "The underpass is lit" in body(a2.get(ids["cohort_a2"]))
    assert post(coordinator, ids["map"] + "/share/withdraw", {}).status_code == 302
    assert "The underpass is lit" not in body(a2.get(ids["cohort_a2"]))
    assert "Not shared: no other community sees anything of this map." in body(coordinator.get(ids["map"]))
    assert "civic_course.map_share_withdrawn" in audit_actions(ids["a1"])
    with system_scope():
        assert db.session.scalar(select(MapShare.id)) is None


def test_a_version_adopted_later_is_shared_only_when_the_coordinator_shares_it(app, world, shared_world):
    ids = shared_world
    coordinator = signed_in(app, "coordinator-a")
    share(coordinator, ids)
    from hromada_civic_course.demo import adopt
    from hromada_civic_course.maps import versions

    with system_scope(), tenancy_scope(tenant_id=ids["a1"]):
        change_map = db.session.get(ChangeMap, ids["map_id"])
        change_map.goal = "A brand new goal"
        db.session.flush()
        with app.test_request_context():
            second = versions.freeze_map(change_map, None)
        adopt(second, world.a.programme.id)
        db.session.commit()
        second_id = second.id
    a2 = signed_in(app, "kestrel")
    page = body(a2.get(ids["cohort_a2"]))
    assert "The underpass is lit kept-private" in page and "A brand new goal" not in page
    assert "Version 2 has been adopted since" in body(coordinator.get(ids["map"]))
    # The form the coordinator read before version 2 was adopted shares nothing.
    stale = share(coordinator, ids)
    assert stale.status_code == 422 and "A newer version of the map was adopted meanwhile" in body(stale)
    assert "A brand new goal" not in body(a2.get(ids["cohort_a2"]))
    assert post(coordinator, ids["map"] + "/share", {"share-version": second_id,
                                                     "share-shown_as": "named"}).status_code == 302
    assert "A brand new goal" in body(a2.get(ids["cohort_a2"]))


def test_a_draft_map_cannot_be_shared(app, world, shared_world):
    ids = shared_world
    draft = make_map(ids["a1"], world.a.programme.id, marker="draft")
    coordinator = signed_in(app, "coordinator-a")
    path = f"/communities/{ids['a1']}/civic-course/maps/{draft['map_id']}"
    assert "Share the summary with the cohort" not in body(coordinator.get(path))
    refused = post(coordinator, path + "/share", {"share-version": draft["version_id"], "share-shown_as": "named"})
    assert refused.status_code == 422 and "Only an adopted change map can be shared." in body(refused)
    junk = post(coordinator, ids["map"] + "/share", {"share-version": "x", "share-shown_as": "everyone"})
    assert junk.status_code == 422
    with system_scope():
        assert db.session.scalar(select(MapShare.id)) is None


@pytest.mark.real_commits
def test_the_database_lets_only_the_cohort_read_shared_rows(app, world):
    """As the app's role, by raw SQL: A2 reads A1's share (same programme), not A1's unshared map, not B1's
    share (another programme), not a withdrawn one; B1 reads A1's share neither."""
    a1, a2, b1 = world.a.communities[0].id, world.a.communities[1].id, world.b.communities[0].id
    into_the_civic_course(world.a.programme.id, a1)
    into_the_civic_course(world.b.programme.id, b1)
    shared = make_map(a1, world.a.programme.id, marker="shared-a1", adopted=True)
    unshared = make_map(a1, world.a.programme.id, marker="unshared-a1", adopted=True)
    withdrawn = make_map(a1, world.a.programme.id, marker="withdrawn-a1", adopted=True)
    other = make_map(b1, world.b.programme.id, marker="shared-b1", adopted=True)
    for community_id, ids in ((a1, shared), (a1, withdrawn), (b1, other)):
        share_map(community_id, ids["map_id"])
    with system_scope(), tenancy_scope(tenant_id=a1):
        sharing.withdraw(db.session.get(ChangeMap, withdrawn["map_id"]))
        db.session.commit()
    db.session.remove()

    def goals(community_id: int, statement: str = "SELECT goal FROM civic_map_shares") -> set[str]:
        with tenancy_scope(tenant_id=community_id):
            found = set(db.session.scalars(text(statement)))
            db.session.commit()
            return found

    postgres = db.engine.dialect.name == "postgresql"
    if postgres:
        assert goals(a2) == {"The underpass is lit shared-a1"}
        assert goals(b1) == {"The underpass is lit shared-b1"}
        assert goals(a2, "SELECT goal FROM civic_change_maps") == set()
        assert goals(a2, "SELECT count(*)::text FROM civic_change_map_versions") == {"0"}
        assert goals(None) == set()  # no context: nothing
        # The cohort reads, never writes: an update or a delete of another community's share touches nothing.
        with tenancy_scope(tenant_id=a2):
            assert db.session.execute(text("UPDATE civic_map_shares SET goal = 'changed'")).rowcount == 0
            assert db.session.execute(text("DELETE FROM civic_map_shares")).rowcount == 0
            db.session.commit()
    # The explicit query answers the same on both databases.
    with tenancy_scope(tenant_id=a2):
        assert {row.goal for row in sharing.cohort_shares(a2).rows} == {"The underpass is lit shared-a1"}
        db.session.commit()
    with tenancy_scope(tenant_id=b1):
        assert {row.goal for row in sharing.cohort_shares(b1).rows} == {"The underpass is lit shared-b1"}
        db.session.commit()


def test_no_page_of_a_cohort_community_shows_what_another_did_not_share(app, world, shared_world):
    """Every page of A2 that takes only its id, read by its coordinator: nothing of A1's unshared map or of its
    withdrawn share; then A1 shares one map anonymously, and only that map's summary appears."""
    ids = shared_world
    withdrawn = make_map(ids["a1"], world.a.programme.id, marker="withdrawn-a1", adopted=True)
    share_map(ids["a1"], withdrawn["map_id"])
    with system_scope(), tenancy_scope(tenant_id=ids["a1"]):
        sharing.withdraw(db.session.get(ChangeMap, withdrawn["map_id"]))
        db.session.commit()
    client = signed_in(app, "kestrel")
    pages = [rule.build({"community_id": ids["a2"]}, append_unknown=False)[1] for rule in app.url_map.iter_rules()
             if "GET" in rule.methods and set(rule.arguments) == {"community_id"}]
    secrets = ("kept-private", "withdrawn-a1", "secret-a1", "Lamps Night")

    def leaks() -> list[str]:
        found = []
        for path in pages:
            page = body(client.get(path))
            found += [f"{path}: {secret}" for secret in secrets if secret in page]
        return found

    assert len(pages) >= 20 and leaks() == []
    share_map(ids["a1"], ids["map_id"], named=False)
    assert sorted(leaks()) == sorted([f"{ids['cohort_a2']}: kept-private", f"{ids['cohort_a2']}: Lamps Night"])


def test_the_cohort_overview_counts_actions_done_and_overdue_on_adopted_maps(app, world, shared_world):
    """A1: one adopted map with 1 of 3 actions done, one overdue; a draft map's actions and a dropped one do not
    count. The operator's cohort overview shows them next to the maps adopted."""
    from hromada.plugin_api import Action, ActionStatus

    ids = shared_world
    draft = make_map(ids["a1"], world.a.programme.id, marker="draft")
    with_actions(ids["a1"], draft["map_id"], marker="Draft", done=2, open_=2, overdue=2)
    dropped = with_actions(ids["a1"], ids["map_id"], marker="Dropped", done=0, open_=1, overdue=1)
    with system_scope():
        for action in db.session.scalars(select(Action).where(Action.milestone_id == dropped)):
            action.status = ActionStatus.DROPPED
        db.session.commit()
    operator = signed_in(app, "operator-a")
    cohort = body(operator.get(f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}/cohort"))
    assert "Actions done / total on adopted maps" in cohort and "Overdue actions on adopted maps" in cohort
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*secret-a1(?:(?!</tr>).)*</tr>", cohort, re.S).group(0)
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
    assert "1 / 1" in cells and "1 / 3" in cells
    assert cells[cells.index("1 / 3") + 1] == "1"


def test_in_the_demo_another_community_of_the_programme_reads_the_night_bakers_map(app, runner):
    from hromada.plugin_api import Community

    for _ in range(2):  # loaded twice: shared once
        assert runner.invoke(args=["demo"]).exit_code == 0
    with system_scope():
        communities = dict(db.session.execute(select(Community.name, Community.id)).all())
        assert db.session.scalars(select(MapShare.shown_as)).all() == ["Night Bakers Collective"]
    green = signed_in(app, "zhuravel", "demo-password-2027")  # the demo's published password (README)
    overview = body(green.get(f"/communities/{communities['Green Quarter Initiative']}"))
    assert "Change maps shared in the cohort" in overview
    page = body(green.get(f"/communities/{communities['Green Quarter Initiative']}/civic-course/cohort-maps"))
    assert "Night Bakers Collective" in page and "A night counter at the tram depot" in page
    assert "Signatures and a meeting" in page and "1 overdue" in page
    assert "property office" not in page.lower()  # a stakeholder and an action's title stay the collective's


def test_a_community_that_withdrew_from_the_programme_reads_the_cohort_no_more(app, world, shared_world):
    """Withdrawal is a status of the community's progress, not the end of its enrolment: the page's query and,
    on PostgreSQL, the database's policy read the programmes it still takes part in (civ0008)."""
    from hromada.plugin_api import Enrolment

    ids = shared_world
    share(signed_in(app, "coordinator-a"), ids)
    a2 = signed_in(app, "kestrel")
    assert "The underpass is lit" in body(a2.get(ids["cohort_a2"]))
    with system_scope():
        enrolment = db.session.scalars(select(Enrolment).where(Enrolment.tenant_id == ids["a2"],
                                                               Enrolment.programme_id == world.a.programme.id)).one()
        enrolment_id, stage_id = enrolment.id, enrolment.current_stage_id
        db.session.commit()
    # The operator withdraws the community from the cohort page's form, as on the product.
    operator = signed_in(app, "operator-a")
    path = f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}/enrolments/{enrolment_id}"
    response = operator.post(path + "/withdraw", data={
        "withdraw-csrf_token": csrf_token(operator, path + "/advance"), "withdraw-stage_id": stage_id,
        "withdraw-reason": "moved to another town"})
    assert response.status_code == 303
    db.session.remove()
    response = a2.get(ids["cohort_a2"])
    assert response.status_code in (200, 403, 404) and "The underpass is lit" not in body(response)
    with tenancy_scope(tenant_id=ids["a2"]):
        assert sharing.cohort_shares(ids["a2"]).rows == []
        if db.engine.dialect.name == "postgresql":
            assert list(db.session.scalars(text("SELECT goal FROM civic_map_shares"))) == []
        db.session.commit()
