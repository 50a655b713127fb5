"""A community can be erased: asked, confirmed by a second person, seven days of grace, then a job (issue 12, section 6).

Run on SQLite and on PostgreSQL (as the app's role, under row-level security: there the job
deletes as signed system work, and the audit log is pseudonymised by the owner's function).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, inspect, select, text, update

from hromada import tenancy
from hromada.clock import now
from hromada.extensions import db
from hromada.modules.accounts.models import CommunityMembership, CommunityRole, User
from hromada.modules.audit.models import AuditEvent
from hromada.modules.communities.models import Community
from hromada.modules.confidential.models import DataKey
from hromada.modules.consultations.testing import add_consultation
from hromada.modules.decisions.models import Stance
from hromada.modules.decisions.testing import add_position, make_proposal
from hromada.modules.notifications.models import Notification
from hromada.testing.factories import signed_in
from hromada.testing.fixtures import csrf_token
from hromada.modules.factors.testing import give_totp



@pytest.fixture(autouse=True)
def people_of_the_communities_have_a_second_factor(request):
    """Exporting and erasing ask for a second factor confirmed in the last 10 minutes: the communities'
    people here have one (the member may become a second coordinator), and sign in with it."""
    if "world" not in request.fixturenames:
        return
    world = request.getfixturevalue("world")
    for side in (world.a, world.b):
        for role in ("coordinator", "member"):
            give_totp(side.people[role].id)
    db.session.commit()
    db.session.remove()

def erase_path(community_id: int) -> str:
    return f"/communities/{community_id}/erase"


def post(client, community_id: int, step: str, **data):
    token = csrf_token(client, erase_path(community_id))
    return client.post(f"{erase_path(community_id)}/{step}", data={"csrf_token": token, **data})


def ask(client, community_id: int) -> str:
    """Asks for the erase; returns the certificate's link, shown once."""
    response = post(client, community_id, "ask", understood="y")
    assert response.status_code == 200, response.status_code
    (link,) = re.findall(r"<code[^>]*>(http[^<]+/erase-certificates/[^<]+)</code>", response.get_data(as_text=True))
    return link.split("://", 1)[1].split("/", 1)[1]


def seed(world) -> None:
    a1 = world.a.communities[0].id
    coordinator, member = world.a.people["coordinator"], world.a.people["member"]
    with tenancy.system_scope():
        proposal = make_proposal(a1, coordinator, title="Paint the bench")
        add_position(proposal, member, Stance.CONSENT, "Yes, green")
        make_proposal(world.b.communities[0].id, world.b.people["coordinator"], title="B's proposal")
        db.session.add(Notification(user_id=member.id, key="test:member", message="Hello", params={}))
        db.session.commit()
    add_consultation(a1, staff_id=world.a.people["expert"].id, requested_by_id=coordinator.id, marker="a1",
                     notes="confidential-note-text")


def tenant_tables() -> list[str]:
    existing = set(inspect(db.session.connection()).get_table_names())
    return sorted(table.name for table in db.metadata.sorted_tables if "tenant_id" in table.c and table.name in existing)


def rows_per_community() -> dict[tuple[str, int], int]:
    """{(table, community): rows} over every table with a tenant_id, read as system work."""
    counts = {}
    with tenancy.system_scope():
        for name in tenant_tables():
            for community_id, count in db.session.execute(
                    text(f'SELECT tenant_id, count(*) FROM "{name}" GROUP BY tenant_id')):
                counts[(name, community_id)] = count
        for (community_id,) in db.session.execute(select(Community.id)):
            counts[("communities", community_id)] = 1
        db.session.commit()
    return counts


def everything() -> dict[str, list]:
    """Every row of every table (for "a second run changes nothing")."""
    snapshot = {}
    with tenancy.system_scope():
        for name in sorted(set(inspect(db.session.connection()).get_table_names()) - {"alembic_version", "job_runs"}):
            snapshot[name] = sorted(map(repr, db.session.execute(text(f'SELECT * FROM "{name}"')).all()))
        db.session.commit()
    return snapshot


def tick(runner) -> str:
    result = runner.invoke(args=["erasure", "tick"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    return result.output


def test_an_erase_asked_confirmed_and_past_its_grace_deletes_every_row_of_the_community(app, world, runner):
    seed(world)
    a1 = world.a.communities[0].id
    certificate_path = ask(signed_in(app, "coordinator-a"), a1)
    # A1 has a single coordinator: an operator of the organisation running its programme confirms.
    assert post(signed_in(app, "operator-a"), a1, "confirm", understood="y").status_code == 302
    before = rows_per_community()
    assert before[("decision_positions", a1)] == 1 and before[("consultations", a1)] == 1

    assert "Erase jobs for 0 communities" in tick(runner)  # the grace has not passed
    assert rows_per_community() == before
    assert "has not been erased" in app.test_client().get(certificate_path).get_data(as_text=True)

    with time_machine.travel(now() + timedelta(days=7, minutes=1), tick=False):
        assert "Erase jobs for 1 communities" in tick(runner)
        after = rows_per_community()
        # Not one row of A1 is left, in any table, the plugins' included; every other community is intact.
        assert [key for key in after if key[1] == a1] == []
        assert after == {key: count for key, count in before.items() if key[1] != a1}
        once = everything()
        assert "Erase jobs for 0 communities" in tick(runner)  # the job run again finds nothing to do
        assert everything() == once

        with tenancy.system_scope():
            handles = set(db.session.scalars(select(User.handle)))
            # Accounts of nobody else are gone; staff stay.
            assert {"coordinator-a", "member-a"}.isdisjoint(handles)
            assert {"operator-a", "mentor-a", "expert-a", "coordinator-b"} <= handles
            assert db.session.scalar(select(func.count(Notification.id)).where(Notification.key == "test:member")) == 0
            # The key is gone with the community; nothing can be unsealed from a copy of the notes.
            assert db.session.scalar(select(func.count(DataKey.id)).where(DataKey.tenant_id == a1)) == 0
            entries = db.session.scalars(select(AuditEvent).where(AuditEvent.community_id == a1)
                                         .order_by(AuditEvent.id)).all()
            assert entries and all(entry.actor_id is None for entry in entries)
            completed = [entry for entry in entries if entry.action == "erasure.completed"]
            assert len(completed) == 1 and set(completed[0].details) == {"rows", "accounts"}
            assert all(entry.details == {} for entry in entries if entry is not completed[0])
            db.session.commit()

        page = app.test_client().get(certificate_path)
        body = page.get_data(as_text=True)
        assert page.status_code == 200 and "was erased from this platform" in body
        assert "<td>decision_positions</td><td>1</td>" in body and "<td>consultations</td><td>1</td>" in body
        backups_until = (now() + timedelta(days=app.config["HROMADA_BACKUP_RETENTION_DAYS"])).date()
        data = app.test_client().get(certificate_path + "/certificate.json").get_json()
        assert data["key_destroyed"] is True and data["accounts_removed"] == 2
        assert data["backups_expire_on"] == backups_until.isoformat()
        assert data["deleted_rows"]["communities"] == 1
        assert "Community A1" not in page.get_data(as_text=True) and "coordinator-a" not in body


def test_a_cancelled_erase_deletes_nothing(app, world, runner):
    seed(world)
    a1 = world.a.communities[0].id
    coordinator = signed_in(app, "coordinator-a")
    ask(coordinator, a1)
    assert post(signed_in(app, "operator-a"), a1, "confirm", understood="y").status_code == 302
    # Either may cancel during the grace: here the one who asked.
    assert post(coordinator, a1, "cancel").status_code == 302
    assert "Nothing was deleted" in coordinator.get(erase_path(a1)).get_data(as_text=True)
    before = rows_per_community()
    with time_machine.travel(now() + timedelta(days=8), tick=False):
        assert "Erase jobs for 0 communities" in tick(runner)
    assert rows_per_community() == before
    # A new request may be asked for afterwards.
    ask(coordinator, a1)


def test_the_operator_may_cancel_what_they_confirmed(app, world):
    a1 = world.a.communities[0].id
    ask(signed_in(app, "coordinator-a"), a1)
    operator = signed_in(app, "operator-a")
    assert post(operator, a1, "confirm", understood="y").status_code == 302
    assert post(operator, a1, "cancel").status_code == 302
    with tenancy.system_scope():
        assert db.session.scalar(text("SELECT count(*) FROM erase_requests WHERE cancelled_at IS NULL")) == 0
        db.session.commit()


def make_second_coordinator(world) -> None:
    with tenancy.system_scope():
        db.session.execute(update(CommunityMembership).where(
            CommunityMembership.user_id == world.a.people["member"].id).values(role=CommunityRole.COORDINATOR))
        db.session.commit()


def test_with_two_coordinators_the_second_one_confirms_and_neither_the_asker_nor_the_operator(app, world):
    make_second_coordinator(world)
    a1 = world.a.communities[0].id
    asker = signed_in(app, "coordinator-a")
    ask(asker, a1)
    for client in (asker, signed_in(app, "operator-a")):
        post(client, a1, "confirm", understood="y")
        with tenancy.system_scope():
            assert db.session.scalar(text("SELECT count(*) FROM erase_requests WHERE confirmed_at IS NOT NULL")) == 0
            db.session.commit()
    second = signed_in(app, "member-a")  # now a coordinator too
    assert "Confirm the erase" in second.get(erase_path(a1)).get_data(as_text=True)
    assert post(second, a1, "confirm", understood="y").status_code == 302
    with tenancy.system_scope():
        assert db.session.scalar(text("SELECT count(*) FROM erase_requests WHERE confirmed_at IS NOT NULL")) == 1
        db.session.commit()


def test_asking_needs_the_box_ticked_and_twice_is_refused(app, world):
    a1 = world.a.communities[0].id
    coordinator = signed_in(app, "coordinator-a")
    response = post(coordinator, a1, "ask")
    assert response.status_code == 400
    assert "Tick the box to show that you understand" in response.get_data(as_text=True)
    ask(coordinator, a1)
    response = post(coordinator, a1, "ask", understood="y")
    assert response.status_code == 302
    assert "already been asked for" in coordinator.get(erase_path(a1)).get_data(as_text=True)


@pytest.mark.parametrize("handle", ["member-a", "mentor-a", "expert-a", "facilitator-a", "coordinator-b",
                                    "operator-b", "platform-admin"])
def test_who_may_not_reach_the_erase_of_a_community(app, world, handle):
    a1 = world.a.communities[0].id
    ask(signed_in(app, "coordinator-a"), a1)
    client = signed_in(app, handle)
    assert client.get(erase_path(a1)).status_code in (403, 404)
    for step in ("ask", "confirm", "cancel"):
        response = client.post(f"{erase_path(a1)}/{step}",
                               data={"csrf_token": csrf_token(client), "understood": "y"})
        assert response.status_code in (403, 404), (handle, step)
    with tenancy.system_scope():
        assert db.session.scalar(text("SELECT count(*) FROM erase_requests WHERE confirmed_at IS NOT NULL"
                                      " OR cancelled_at IS NOT NULL")) == 0
        db.session.commit()


def test_an_operator_sees_the_request_but_cannot_ask(app, world):
    a1 = world.a.communities[0].id
    operator = signed_in(app, "operator-a")
    page = operator.get(erase_path(a1)).get_data(as_text=True)
    assert "Nobody has asked to erase the community." in page and "Ask to erase" not in page
    assert post(operator, a1, "ask", understood="y").status_code in (403, 404)


def test_an_unknown_certificate_link_is_not_found(app, world):
    assert app.test_client().get("/erase-certificates/not-a-real-token").status_code == 404


def test_the_people_concerned_hear_of_each_step(app, world):
    a1 = world.a.communities[0].id
    ask(signed_in(app, "coordinator-a"), a1)
    # A single coordinator: the operators of its programme's organisation are asked to confirm.
    operator = signed_in(app, "operator-a")
    assert "a coordinator asks to erase the community" in operator.get("/notifications").get_data(as_text=True)
    assert "erase" not in signed_in(app, "operator-b").get("/notifications").get_data(as_text=True)
    assert post(operator, a1, "confirm", understood="y").status_code == 302
    # Every member is told, in time to save what they want to keep.
    assert "will be erased after" in signed_in(app, "member-a").get("/notifications").get_data(as_text=True)
    assert post(signed_in(app, "coordinator-a"), a1, "cancel").status_code == 302
    assert "was cancelled. Nothing was deleted." in signed_in(app, "member-a").get("/notifications").get_data(
        as_text=True)


def test_members_who_belong_elsewhere_keep_their_account_but_their_sessions_end(app, world, runner):
    from hromada.modules.accounts.models import UserSession

    a1, a2 = world.a.communities[0].id, world.a.communities[1].id
    member = world.a.people["member"]
    with tenancy.system_scope():
        db.session.add(CommunityMembership(tenant_id=a2, user_id=member.id, role=CommunityRole.MEMBER))
        db.session.commit()
    signed_in(app, "member-a")
    ask(signed_in(app, "coordinator-a"), a1)
    assert post(signed_in(app, "operator-a"), a1, "confirm", understood="y").status_code == 302
    with time_machine.travel(now() + timedelta(days=7, minutes=1), tick=False):
        tick(runner)
    with tenancy.system_scope():
        assert db.session.get(User, member.id) is not None  # still a member of A2
        assert db.session.scalar(select(func.count(UserSession.id)).where(UserSession.user_id == member.id)) == 0
        assert db.session.scalar(select(func.count(CommunityMembership.id)).where(
            CommunityMembership.user_id == member.id)) == 1
        db.session.commit()
