"""Second factors as people meet them: signing in with a code, staff sent to set one up, recovery codes,
the recent second factor before confidential notes, resets by an operator or a coordinator."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from hromada import tenancy
from hromada.clock import now
from hromada.extensions import db
from hromada.modules.accounts.models import StaffMembership, StaffRole, UserSession
from hromada.modules.audit.models import AuditEvent
from hromada.modules.consultations.testing import add_consultation
from hromada.modules.factors import state
from hromada.modules.factors.models import RecoveryCode, SecondFactor
from hromada.modules.factors.testing import forget_used_codes, set_up_totp, totp_code
from hromada.modules.notifications.models import Notification
from hromada.testing.factories import PASSWORD, make_user, sign_in
from hromada.testing.fixtures import csrf_token

SECOND_STEP = "/sign-in/second-factor"
SETUP = "/account/second-factors/app"


def body(response) -> str:
    return response.get_data(as_text=True)


def password_step(client, login: str, password: str = PASSWORD):
    return client.post("/sign-in", data={"csrf_token": csrf_token(client, "/sign-in"), "login": login,
                                         "password": password})


def code_step(client, code: str):
    return client.post(SECOND_STEP, data={"csrf_token": csrf_token(client, SECOND_STEP), "code": code})


def signed_in_as(client) -> str | None:
    match = re.search(r"Signed in as ([^<]+)<", body(client.get("/")))
    return match.group(1).strip() if match else None


def audit_actions() -> list[str]:
    with tenancy.system_scope():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def notices_of(user_id: int) -> list[str]:
    with tenancy.system_scope():
        return list(db.session.scalars(select(Notification.message).where(Notification.user_id == user_id)))


def test_staff_sign_in_asks_for_a_code_and_refuses_a_wrong_one(world, client):
    first = password_step(client, "operator-a")
    assert first.status_code == 302 and first.location.endswith(SECOND_STEP)
    assert signed_in_as(client) is None  # a right password alone signs nobody in

    wrong = code_step(client, "000000" if totp_code() != "000000" else "111111")
    assert wrong.status_code == 400
    assert "This code is not right" in body(wrong)
    assert signed_in_as(client) is None
    assert "second_factor_failed" in audit_actions()

    assert code_step(client, totp_code()).status_code == 302
    assert signed_in_as(client) == "operator-a"


def test_a_totp_code_is_never_accepted_twice(world, client, app):
    forget_used_codes("mentor-a")
    code = totp_code()
    password_step(client, "mentor-a")
    assert code_step(client, code).status_code == 302

    # Someone who watched the code being typed, with the password, a second later:
    other = app.test_client()
    password_step(other, "mentor-a")
    replay = code_step(other, code)
    assert replay.status_code == 400 and "used already" in body(replay)
    assert signed_in_as(other) is None


def test_the_code_typed_to_set_up_an_app_cannot_sign_in(world, client, app):
    person = make_user("newcomer-one")
    db.session.commit()
    sign_in(client, "newcomer-one")
    secret = set_up_totp(client)
    code = pyotp.TOTP(secret).now()
    other = app.test_client()
    password_step(other, "newcomer-one")
    assert code_step(other, code).status_code == 400
    assert person.id


def test_a_member_may_turn_a_factor_on_and_a_recovery_code_works_once(world, client, app):
    member = world.a.people["member"]
    assert sign_in(client, "member-a").location.endswith("/")  # no factor: the password is enough
    set_up_page = client.get(SETUP)
    assert set_up_page.status_code == 200 and "<svg" in body(set_up_page)  # the QR code, drawn here
    secret_match = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', body(set_up_page))
    secret = secret_match.group(1).replace(" ", "")
    codes_page = client.post(SETUP, data={"csrf_token": csrf_token(client, SETUP),
                                          "code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<li><code>([a-z0-9-]{14})</code></li>", body(codes_page))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "factor_added" in audit_actions()
    assert any("second factor was added" in notice for notice in notices_of(member.id))
    with tenancy.system_scope():
        stored = db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == member.id)).all()
        factor = db.session.scalar(select(SecondFactor).where(SecondFactor.user_id == member.id))
    assert len(stored) == 10 and all(code_hash.startswith("$argon2id$") for code_hash in stored)
    assert not any(code in code_hash for code in codes for code_hash in stored)
    assert secret.encode() not in bytes(factor.secret_sealed)  # sealed, not stored as typed

    # Now signing in asks for the second factor; a recovery code (typed in capitals, without dashes) works once.
    phone_lost = app.test_client()
    assert password_step(phone_lost, "member-a").location.endswith(SECOND_STEP)
    assert code_step(phone_lost, codes[0].replace("-", "").upper()).status_code == 302
    assert signed_in_as(phone_lost) == "member-a"
    assert "recovery_code_used" in audit_actions()
    assert any("recovery code was used" in notice for notice in notices_of(member.id))

    again = app.test_client()
    password_step(again, "member-a")
    assert code_step(again, codes[0]).status_code == 400
    assert code_step(again, codes[1]).status_code == 302


def test_staff_without_a_factor_are_sent_to_set_one_up_and_reach_no_staff_page_by_url(world, client, app):
    organisation_id = world.a.organisation.id
    with tenancy.system_scope():
        newcomer = make_user("new-operator")
        db.session.add(StaffMembership(organisation_id=organisation_id, user_id=newcomer.id,
                                       role=StaffRole.OPERATOR))
        db.session.commit()
    response = sign_in(client, "new-operator")
    assert response.status_code == 302  # the password; then every page sends them to set a factor up
    for path in (f"/organisations/{organisation_id}/staff", "/", f"/communities/{world.a.communities[0].id}",
                 "/account", "/notifications"):
        answer = client.get(path)
        assert answer.status_code == 302 and SETUP in answer.location, path
    posted = client.post(f"/organisations/{organisation_id}/staff",
                         data={"csrf_token": csrf_token(client, SETUP), "role": "mentor"})
    assert posted.status_code == 302 and SETUP in posted.location
    assert "Staff need a second factor" in body(client.get(SETUP))

    set_up_totp(client)
    assert client.get(f"/organisations/{organisation_id}/staff").status_code == 200


def test_staff_cannot_remove_their_last_factor(world, client):
    sign_in(client, "expert-a")
    with tenancy.system_scope():
        factor_id = db.session.scalar(select(SecondFactor.id).where(
            SecondFactor.user_id == world.a.people["expert"].id))
    response = client.post(f"/account/second-factors/{factor_id}/remove",
                           data={"csrf_token": csrf_token(client, "/account/second-factors")})
    assert response.status_code == 302
    with tenancy.system_scope():
        assert db.session.get(SecondFactor, factor_id) is not None


def _age_factor(client, minutes: int) -> None:
    with client.session_transaction() as session:
        session[state.VERIFIED_AT] = (now() - timedelta(minutes=minutes)).timestamp()


def test_confidential_notes_need_a_second_factor_confirmed_in_the_last_ten_minutes(world, client):
    community_id = world.a.communities[0].id
    expert = world.a.people["expert"]
    consultation = add_consultation(community_id, staff_id=expert.id, notes="Private notes cf-123")
    path = f"/communities/{community_id}/consultations/{consultation.id}/notes"
    sign_in(client, "expert-a")
    assert "cf-123" in body(client.get(path))  # just signed in with a code

    _age_factor(client, 11)
    asked = client.get(path)
    assert asked.status_code == 302 and "/account/second-factors/confirm" in asked.location
    assert "cf-123" not in body(asked)
    confirm_page = asked.location
    wrong = client.post(confirm_page, data={"csrf_token": csrf_token(client, confirm_page), "code": "12345"})
    assert wrong.status_code == 400
    forget_used_codes("expert-a")
    back = client.post(confirm_page, data={"csrf_token": csrf_token(client, confirm_page), "code": totp_code()})
    assert back.status_code == 302 and back.location.endswith(path)
    assert "cf-123" in body(client.get(path))


def test_adding_a_factor_needs_a_recent_one_and_ends_other_sessions(world, client, app):
    other_device = app.test_client()
    sign_in(other_device, "facilitator-a")
    forget_used_codes("facilitator-a")
    sign_in(client, "facilitator-a")
    _age_factor(client, 30)
    asked = client.get(SETUP)
    assert asked.status_code == 302 and "/confirm" in asked.location

    _age_factor(client, 1)
    set_up_totp(client)  # replaces their app
    assert other_device.get("/").status_code == 200 and signed_in_as(other_device) is None
    assert signed_in_as(client) == "facilitator-a"
    with tenancy.system_scope():
        assert len(db.session.scalars(select(UserSession).where(
            UserSession.user_id == world.a.people["facilitator"].id)).all()) == 1


def test_an_operator_resets_a_staff_members_factors(world, client, app):
    mentor = world.a.people["mentor"]
    mentor_client = app.test_client()
    sign_in(mentor_client, "mentor-a")
    forget_used_codes("operator-a")
    sign_in(client, "operator-a")
    staff_page = body(client.get(f"/organisations/{world.a.organisation.id}/staff"))
    path = f"/organisations/{world.a.organisation.id}/staff/{mentor.id}/second-factors"
    assert path in staff_page
    assert client.post(path, data={"csrf_token": csrf_token(client, path)}).status_code == 302
    with tenancy.system_scope():
        assert db.session.scalar(select(SecondFactor.id).where(SecondFactor.user_id == mentor.id)) is None
    assert signed_in_as(mentor_client) is None  # signed out everywhere
    assert "factors_reset" in audit_actions()
    assert any("reset by" in notice for notice in notices_of(mentor.id))
    # At the next sign-in the password alone leads to setting up a new factor.
    again = app.test_client()
    sign_in(again, "mentor-a")
    assert SETUP in again.get("/").location


def test_a_coordinator_resets_a_members_factors_but_not_staffs(world, client, app):
    member = world.a.people["member"]
    community_id = world.a.communities[0].id
    with tenancy.system_scope():
        from hromada.modules.factors.published import ensure_totp

        ensure_totp(member.id)
        ensure_totp(world.a.people["coordinator"].id)
        db.session.commit()
    sign_in(client, "coordinator-a")
    path = f"/communities/{community_id}/members/{member.id}/second-factors"
    assert path in body(client.get(f"/communities/{community_id}/members"))
    assert client.post(path, data={"csrf_token": csrf_token(client, path)}).status_code == 302
    with tenancy.system_scope():
        assert db.session.scalar(select(SecondFactor.id).where(SecondFactor.user_id == member.id)) is None
    # The community's mentor is staff, not a member: not the coordinator's to reset.
    mentor_path = f"/communities/{community_id}/members/{world.a.people['mentor'].id}/second-factors"
    assert client.post(mentor_path, data={"csrf_token": csrf_token(client, path)}).status_code == 404


def test_wrong_codes_are_rate_limited_per_person(world, client):
    password_step(client, "operator-a")
    statuses = [code_step(client, "99999" + str(attempt)).status_code for attempt in range(7)]
    assert statuses[:5] == [400] * 5 and 429 in statuses[5:]


@pytest.mark.parametrize("payload", [None, {}, {"credential": "x"}, {"credential": {"id": "a", "rawId": "%%%"}},
                                     {"credential": {"id": "a", "rawId": "AAAA", "response": {}, "type": "public-key"}},
                                     {"credential": [1, 2], "label": "x" * 20_000, "next": "//evil.example/"}])
def test_passkey_endpoints_refuse_junk_without_failing(world, client, payload):
    sign_in(client, "operator-a")
    token = csrf_token(client, "/account/second-factors")
    headers = {"X-CSRFToken": token}
    client.post("/account/second-factors/passkeys/options", json={}, headers=headers)
    registered = client.post("/account/second-factors/passkeys", json=payload, headers=headers)
    assert registered.status_code == 400 and registered.json["error"]
    client.post("/second-factor/passkey/options", json={}, headers=headers)
    proved = client.post("/second-factor/passkey", json=payload, headers=headers)
    assert proved.status_code == 400 and proved.json["error"]
    with tenancy.system_scope():
        assert db.session.scalar(select(SecondFactor.id).where(SecondFactor.kind == "passkey")) is None


@pytest.mark.parametrize("code", [str(2**63), "line\r\nX: 1\t\x00", "x" * 20_000, "١٢٣٤٥٦", "12 34 56 78"])
def test_the_second_step_refuses_any_odd_code_with_a_message(world, client, code):
    password_step(client, "mentor-a")
    response = code_step(client, code)
    assert response.status_code == 400 and signed_in_as(client) is None


def test_a_coordinator_does_not_reset_a_member_who_is_staff_elsewhere(world, client):
    """Their next sign-in with the password would set up a factor for the organisation too."""
    member = world.a.people["member"]
    community_id = world.a.communities[0].id
    with tenancy.system_scope():
        from hromada.modules.factors.published import ensure_totp

        ensure_totp(member.id)
        ensure_totp(world.a.people["coordinator"].id)
        db.session.add(StaffMembership(organisation_id=world.b.organisation.id, user_id=member.id,
                                       role=StaffRole.MENTOR))
        db.session.commit()
    sign_in(client, "coordinator-a")
    path = f"/communities/{community_id}/members/{member.id}/second-factors"
    answer = client.post(path, data={"csrf_token": csrf_token(client, f"/communities/{community_id}/members")},
                         follow_redirects=True)
    assert "platform&#39;s administrator" in body(answer) or "platform's administrator" in body(answer)
    with tenancy.system_scope():
        assert db.session.scalar(select(SecondFactor.id).where(SecondFactor.user_id == member.id)) is not None


def test_the_administrator_resets_anyones_factors_from_the_command_line(world, app):
    mentor = world.a.people["mentor"]
    result = app.test_cli_runner().invoke(args=["factors", "reset", "mentor-a"])
    assert result.exit_code == 0, result.output
    with tenancy.system_scope():
        assert db.session.scalar(select(SecondFactor.id).where(SecondFactor.user_id == mentor.id)) is None
    assert any("platform's administrator" in notice for notice in notices_of(mentor.id))
    assert app.test_cli_runner().invoke(args=["factors", "reset", "nobody-here"]).exit_code != 0
