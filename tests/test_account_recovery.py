"""Account recovery as people meet it: a one-time reset link made by an operator or a coordinator, deleting
one's own account, and ending one's other sessions only after saying it is you."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import time_machine
from sqlalchemy import select

from hromada import tenancy
from hromada.clock import now
from hromada.extensions import db
from hromada.logs import PersonalDataFilter
from hromada.modules.accounts.models import CommunityMembership, CommunityRole, User, UserSession
from hromada.modules.audit.models import AuditEvent
from hromada.modules.factors.models import SecondFactor
from hromada.modules.factors.testing import give_totp
from hromada.modules.notifications.models import Notification
from hromada.testing.factories import PASSWORD, sign_in, signed_in
from hromada.testing.fixtures import csrf_token

NEW_PASSWORD = "violet lanterns drift over quiet harbours"


def body(response) -> str:
    return response.get_data(as_text=True)


def audit_actions() -> list[str]:
    with tenancy.system_scope():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def notices_of(user_id: int) -> list[str]:
    with tenancy.system_scope():
        return list(db.session.scalars(select(Notification.message).where(Notification.user_id == user_id)))


def signed_in_as(client) -> str | None:
    match = re.search(r"Signed in as ([^<]+)<", body(client.get("/")))
    return match.group(1).strip() if match else None


def issue_link(client, path: str, **fields) -> str:
    response = client.post(path, data={"csrf_token": csrf_token(client, path), **fields})
    assert response.status_code == 200, response.status
    match = re.search(r'value="(http://[^"]+/reset/[^"]+)"', body(response))
    assert match, "the link is not shown"
    return match.group(1).replace("http://localhost", "")


def set_password(client, link: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    return client.post(link, data={"csrf_token": csrf_token(client, link), "password": password,
                                   "confirm": password if confirm is None else confirm})


def test_an_operator_makes_a_one_time_link_and_the_staff_member_sets_a_new_password(world, client, app):
    mentor = world.a.people["mentor"]
    mentor_elsewhere = signed_in(app, "mentor-a")
    sign_in(client, "operator-a")
    staff_page = body(client.get(f"/organisations/{world.a.organisation.id}/staff"))
    path = f"/organisations/{world.a.organisation.id}/staff/{mentor.id}/reset-link"
    assert path in staff_page
    link = issue_link(client, path)
    assert any("made a link for you" in notice for notice in notices_of(mentor.id))

    holder = app.test_client()
    page = holder.get(link)
    assert page.status_code == 200 and "mentor-a" in body(page) and page.headers["Cache-Control"] == "no-store"
    weak = set_password(holder, link, "password1234")
    assert weak.status_code == 400 and "easy to guess" in body(weak)
    done = set_password(holder, link)
    assert done.status_code == 302 and "/sign-in" in done.location
    assert signed_in_as(mentor_elsewhere) is None  # signed out everywhere

    # Used once: the link is spent, and the old password is gone.
    assert holder.get(link).status_code == 404
    assert set_password(app.test_client(), link, "another long phrase nobody guesses").status_code == 404
    assert sign_in(app.test_client(), "mentor-a").status_code != 302
    # The new password, then the second factor the mentor still has (staff never skip it).
    again = app.test_client()
    assert sign_in(again, "mentor-a", NEW_PASSWORD).status_code == 302
    assert signed_in_as(again) == "mentor-a"
    actions = audit_actions()
    assert "password_reset_issued" in actions and "password_reset_used" in actions
    assert any("set again with a reset link" in notice for notice in notices_of(mentor.id))


def test_a_coordinator_makes_a_link_that_also_resets_a_members_factors(world, client, app):
    member = world.a.people["member"]
    community_id = world.a.communities[0].id
    give_totp(member.id)
    give_totp(world.a.people["coordinator"].id)
    db.session.commit()
    sign_in(client, "coordinator-a")
    path = f"/communities/{community_id}/members/{member.id}/reset-link"
    assert path in body(client.get(f"/communities/{community_id}/members"))
    link = issue_link(client, path, reset_factors="y")
    with tenancy.system_scope():
        assert db.session.scalar(select(SecondFactor.id).where(SecondFactor.user_id == member.id)) is None
    holder = app.test_client()
    assert set_password(holder, link).status_code == 302
    # No factor left: the new password alone signs the member in.
    assert sign_in(holder, "member-a", NEW_PASSWORD).status_code == 302 and signed_in_as(holder) == "member-a"


def test_links_are_made_only_for_ones_own_people_and_never_for_an_account_that_reaches_further(world, client):
    community_id = world.a.communities[0].id
    give_totp(world.a.people["coordinator"].id)
    member = world.a.people["member"]
    with tenancy.scope(tenant_id=world.a.communities[1].id):
        db.session.add(CommunityMembership(user_id=member.id, role=CommunityRole.MEMBER))
        db.session.commit()
    sign_in(client, "coordinator-a")
    # The community's mentor is staff, not a member: not the coordinator's.
    mentor_path = f"/communities/{community_id}/members/{world.a.people['mentor'].id}/reset-link"
    assert client.post(mentor_path, data={"csrf_token": csrf_token(client, "/")}).status_code == 404
    # The member is in A's second community too: a link would open that one as well.
    path = f"/communities/{community_id}/members/{member.id}/reset-link"
    refused = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert refused.status_code == 409 and "another community" in body(refused)
    assert "password_reset_issued" not in audit_actions()


def test_an_expired_link_and_a_newer_link_leave_the_old_one_useless(world, client, app):
    sign_in(client, "operator-a")
    path = f"/organisations/{world.a.organisation.id}/staff/{world.a.people['expert'].id}/reset-link"
    first = issue_link(client, path)
    second = issue_link(client, path)
    assert app.test_client().get(first).status_code == 404  # a newer one was made
    with time_machine.travel(now() + timedelta(hours=48, minutes=1), tick=False):
        assert set_password(app.test_client(), second).status_code == 404
    assert sign_in(app.test_client(), "expert-a").status_code == 302  # the password did not change


def test_two_uses_racing_with_one_link_cannot_both_pass(world, client, app):
    from hromada.modules.recovery import operations

    sign_in(client, "operator-a")
    link = issue_link(client, f"/organisations/{world.a.organisation.id}/staff/{world.a.people['expert'].id}/reset-link")
    token = link.rsplit("/", 1)[1]
    with app.test_request_context():
        # Both requests found the link unused before either spent it: the conditional UPDATE lets one through.
        first, second = operations.open_link(token), operations.open_link(token)
        assert first is not None and second is not None
        assert operations.use(first, NEW_PASSWORD) is True
        assert operations.use(second, "another long phrase nobody guesses") is False
        db.session.commit()
    assert sign_in(app.test_client(), "expert-a", NEW_PASSWORD).status_code == 302


def test_junk_in_the_reset_forms_is_refused_without_an_error(world, client, app):
    """The form fuzz test finds no page showing these forms (a link is issued once; the coordinator of its
    world has no second factor): the same junk, here."""
    junk = [str(2**63), "line\r\nX-Injected: 1\t\x00end", "x" * 20_000]
    give_totp(world.a.people["coordinator"].id)
    db.session.commit()
    sign_in(client, "coordinator-a")
    issue = f"/communities/{world.a.communities[0].id}/members/{world.a.people['member'].id}/reset-link"
    for value in junk:
        assert client.post(issue, data={"csrf_token": csrf_token(client, issue), "reset_factors": value}).status_code < 500
    link = issue_link(client, issue)
    holder = app.test_client()
    for value in junk:  # (a 19-digit number is a password zxcvbn lets through: the link may be spent by it)
        for fields in ({"password": value}, {"confirm": value}, {"password": value, "confirm": value}):
            assert holder.post(link, data={"csrf_token": csrf_token(holder, link), **fields}).status_code < 500
    not_utf8 = f"csrf_token={csrf_token(holder, link)}&password=%FF%FE%C0%AF&confirm=%FF%FE%C0%AF"
    assert holder.post(link, data=not_utf8.encode(), content_type="application/x-www-form-urlencoded").status_code < 500


def test_a_reset_links_token_stays_out_of_the_request_log():
    line = logging.LogRecord("werkzeug", logging.INFO, "", 0,
                             '127.0.0.1 - - [06/Dec/2026 23:00:00] "GET /reset/SECRETtoken123 HTTP/1.1" 200 -', (), None)
    PersonalDataFilter().filter(line)
    assert "SECRETtoken123" not in line.getMessage() and "/reset/…" in line.getMessage()


# --- Deleting one's own account ------------------------------------------------------------------------


def delete_own_account(client, password: str = PASSWORD):
    path = "/account/delete"
    return client.post(path, data={"csrf_token": csrf_token(client, "/account"), "password": password})


def test_a_member_deletes_their_account_and_their_position_stays_signed_a_former_member(world, client, app):
    from hromada.modules.decisions.models import Stance
    from hromada.modules.decisions.testing import add_position, make_proposal

    member, coordinator = world.a.people["member"], world.a.people["coordinator"]
    community_id = world.a.communities[0].id
    proposal = make_proposal(community_id, coordinator, title="Meet on Thursdays")
    add_position(proposal, member, Stance.AGREE, reason="Thursdays suit me")
    add_position(proposal, coordinator, Stance.AGREE)  # positions are shown to those who took theirs
    proposal_path = f"/communities/{community_id}/decisions/{proposal.id}"
    db.session.commit()
    other_device = signed_in(app, "member-a")
    sign_in(client, "member-a")
    assert "/account/delete" in body(client.get("/account"))

    wrong = delete_own_account(client, "not the password at all")
    assert wrong.status_code == 400 and "not right" in body(wrong)
    done = delete_own_account(client)
    assert done.status_code == 302
    assert signed_in_as(client) is None and signed_in_as(other_device) is None
    assert sign_in(app.test_client(), "member-a").status_code != 302  # the handle is gone

    coordinator_client = signed_in(app, "coordinator-a")
    page = body(coordinator_client.get(proposal_path))
    assert "a former member" in page and "Thursdays suit me" in page and "member-a" not in page
    members = body(coordinator_client.get(f"/communities/{community_id}/members"))
    assert "member-a" not in members and "a former member" not in members  # they left the community
    with tenancy.system_scope():
        row = db.session.get(User, member.id)
        assert row.handle != "member-a" and row.email is None and not row.is_active and row.deleted_at is not None
        assert db.session.scalar(select(UserSession.id).where(UserSession.user_id == member.id)) is None
        assert db.session.scalar(select(Notification.id).where(Notification.user_id == member.id)) is None
        entry = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "account_deleted")).one()
        assert entry.details == {} and entry.actor_id == member.id


def test_a_person_with_a_second_factor_confirms_it_before_deleting(world, client, app):
    from hromada.modules.factors.testing import forget_used_codes, totp_code

    give_totp(world.a.people["member"].id)
    db.session.commit()
    sign_in(client, "member-a")
    with time_machine.travel(now() + timedelta(minutes=11), tick=False):
        asked = delete_own_account(client)
        assert asked.status_code == 302 and "/second-factors/confirm" in asked.location
        forget_used_codes("member-a")
        confirm = "/account/second-factors/confirm"
        client.post(confirm, data={"csrf_token": csrf_token(client, confirm), "code": totp_code()})
        assert delete_own_account(client).status_code == 302
    assert sign_in(app.test_client(), "member-a").status_code != 302


def test_the_only_coordinator_and_the_only_operator_are_told_why_they_cannot_leave(world, client, app):
    sign_in(client, "coordinator-a")
    refused = delete_own_account(client)
    assert refused.status_code == 409 and "only coordinator" in body(refused)
    operator = signed_in(app, "operator-a")
    refused = delete_own_account(operator)
    assert refused.status_code == 409 and "only operator" in body(refused)
    with tenancy.system_scope():
        assert db.session.scalar(select(User.is_active).where(User.handle == "coordinator-a"))
        assert db.session.scalar(select(User.is_active).where(User.handle == "operator-a"))
    # A mentor (not the only operator) may leave.
    mentor = signed_in(app, "mentor-a")
    assert delete_own_account(mentor).status_code == 302
