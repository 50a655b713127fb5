"""Accounts: sign-in, sessions, invitations, rate limits and the audit log, as people meet them."""

import base64
import os
import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select, update

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.accounts.models import CommunityMembership, StaffInvitation, StaffMembership, User, UserSession
from hromada.clock import now
from hromada.modules.audit.models import AuditEvent
from hromada.modules.factors.testing import set_up_totp
from hromada.testing.factories import PASSWORD, make_user, sign_in
from hromada.testing.fixtures import csrf_token



def signed_in_as(client) -> str | None:
    match = re.search(r"Signed in as ([^<]+)<", client.get("/").get_data(as_text=True))
    return match.group(1).strip() if match else None


def audit_actions():
    with tenancy.system_scope():
        return [event.action for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_sign_in_with_handle_or_email(world, client):
    with tenancy.system_scope():
        db.session.execute(update(User).where(User.handle == "mentor-a").values(email="mentor@example.org"))
        db.session.commit()
    response = sign_in(client, "Mentor-A")
    assert response.status_code == 302
    assert signed_in_as(client) == "mentor-a"
    client.post("/sign-out", data={"csrf_token": csrf_token(client)})
    sign_in(client, "mentor@example.org")
    assert signed_in_as(client) == "mentor-a"


def test_a_wrong_password_is_refused_with_a_message_and_audited(world, client):
    response = sign_in(client, "mentor-a", "not the password at all")
    assert response.status_code == 200
    assert "The handle or password is not right." in response.get_data(as_text=True)
    assert signed_in_as(client) is None
    assert "sign_in_failed" in audit_actions()
    # An unknown handle gets the very same answer: nobody learns who has an account.
    other = sign_in(client, "nobody-here", "not the password at all")
    assert "The handle or password is not right." in other.get_data(as_text=True)


def test_sign_out_ends_the_session_on_the_server(world, client, app):
    sign_in(client, "coordinator-a")
    stolen = client.get_cookie("hromada_session").value
    client.post("/sign-out", data={"csrf_token": csrf_token(client)})
    assert signed_in_as(client) is None
    # Someone who copied the cookie before sign-out gets nothing with it.
    thief = app.test_client()
    thief.set_cookie("hromada_session", stolen)
    assert signed_in_as(thief) is None
    assert thief.get(f"/communities/{world.a.communities[0].id}").status_code == 302


def test_sign_in_starts_a_new_session(world, client):
    client.get("/sign-in")
    before = client.get_cookie("hromada_session").value
    sign_in(client, "member-a")
    assert client.get_cookie("hromada_session").value != before
    with tenancy.system_scope():
        assert db.session.query(UserSession).count() == 1


@pytest.mark.parametrize("field, age", [("last_seen_at", timedelta(minutes=31)), ("created_at", timedelta(hours=13))])
def test_idle_and_absolute_timeouts_end_the_session(world, client, field, age):
    sign_in(client, "member-a")
    assert signed_in_as(client) == "member-a"
    db.session.execute(update(UserSession).values({field: now() - age}))
    db.session.commit()
    assert signed_in_as(client) is None
    assert db.session.query(UserSession).count() == 0


def test_session_cookie_flags(world, client, app):
    response = sign_in(client, "member-a")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert app.config["SESSION_COOKIE_SECURE"] is False  # development serves plain HTTP on 127.0.0.1


def test_production_cookies_are_secure_and_pages_send_hsts(monkeypatch, tmp_path):
    from hromada import create_app

    monkeypatch.setenv("HROMADA_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "production-secret-from-the-environment")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite3'}")
    monkeypatch.setenv("HROMADA_MASTER_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode())
    app = create_app({"HROMADA_PLUGINS": []})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-hromada_session"
    response = app.test_client().get("/no-such-page")
    assert "max-age" in response.headers["Strict-Transport-Security"]


def test_signed_in_pages_are_not_cached(world, client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    sign_in(client, "member-a")
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_forms_without_a_csrf_token_are_refused(world, client):
    response = client.post("/sign-in", data={"login": "member-a", "password": PASSWORD})
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)
    assert signed_in_as(client) is None


def test_sign_out_is_never_a_get(world, client):
    sign_in(client, "member-a")
    assert client.get("/sign-out").status_code == 405
    assert signed_in_as(client) == "member-a"


def test_sign_in_attempts_are_limited_per_account(world, client, app):
    for _ in range(5):
        sign_in(client, "operator-a", "wrong password, again and again")
    response = sign_in(client, "operator-a", PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts. You can try again in 1 minute." in response.get_data(as_text=True)
    assert 0 < int(response.headers["Retry-After"]) <= 60
    # Another account from the same address is not locked out by it.
    assert sign_in(app.test_client(), "mentor-a").status_code == 302


def invite_link(page: str) -> str:
    match = re.search(r'value="http://localhost(/invitations/[^"]+)"', page)
    assert match, "no invitation link on the page"
    return match.group(1)


def accept(client, path, handle, password=PASSWORD, email=""):
    token = csrf_token(client, path)
    return client.post(path, data={"csrf_token": token, "handle": handle, "email": email,
                                   "password": password, "confirm": password})


def test_admin_invites_an_operator_who_invites_staff(world, client, app):
    sign_in(client, "platform-admin")
    page = client.post("/admin/organisations", data={"csrf_token": csrf_token(client), "name": "Open Doors"})
    link = invite_link(page.get_data(as_text=True))
    client.post("/sign-out", data={"csrf_token": csrf_token(client)})

    newcomer = app.test_client()
    response = accept(newcomer, link, "Kalyna")
    assert response.status_code == 302
    # Staff set up a second factor before any other page.
    assert "/account/second-factors/app" in newcomer.get("/").location
    set_up_totp(newcomer)
    assert signed_in_as(newcomer) == "kalyna"
    with tenancy.system_scope():
        membership = db.session.scalar(select(StaffMembership).join(User).where(User.handle == "kalyna"))
        assert membership.role.value == "operator"
        organisation_id = membership.organisation_id

    page = newcomer.post(f"/organisations/{organisation_id}/staff",
                         data={"csrf_token": csrf_token(newcomer), "role": "mentor", "note": ""})
    assert page.status_code == 200
    assert "/invitations/staff/" in page.get_data(as_text=True)
    actions = audit_actions()
    assert actions.count("invitation_created") == 2 and "invitation_accepted" in actions


def test_an_invitation_works_once(world, client, app):
    sign_in(client, "coordinator-a")
    community_id = world.a.communities[0].id
    page = client.post(f"/communities/{community_id}/invitations",
                       data={"csrf_token": csrf_token(client), "role": "member"})
    link = invite_link(page.get_data(as_text=True))
    assert accept(app.test_client(), link, "first-person").status_code == 302
    second = accept(app.test_client(), link, "second-person")
    assert second.status_code == 404
    assert "This invitation cannot be used" in second.get_data(as_text=True)
    tenancy.set_tenant(community_id)
    handles = {m.user.handle for m in db.session.scalars(select(CommunityMembership))}
    assert "first-person" in handles and "second-person" not in handles


def test_an_expired_invitation_is_refused(world, client, app):
    sign_in(client, "operator-a")
    page = client.post(f"/organisations/{world.a.organisation.id}/staff",
                       data={"csrf_token": csrf_token(client), "role": "expert"})
    link = invite_link(page.get_data(as_text=True))
    db.session.execute(update(StaffInvitation).values(expires_at=now() - timedelta(minutes=1)))
    db.session.commit()
    assert accept(app.test_client(), link, "too-late").status_code == 404


def test_a_member_invitation_link_for_another_community_opens_nothing(world, client, app):
    sign_in(client, "coordinator-a")
    page = client.post(f"/communities/{world.a.communities[0].id}/invitations",
                       data={"csrf_token": csrf_token(client), "role": "member"})
    link = invite_link(page.get_data(as_text=True))
    forged = re.sub(r"/community/\d+/", f"/community/{world.b.communities[0].id}/", link)
    assert accept(app.test_client(), forged, "sneaky").status_code == 404


@pytest.mark.parametrize("length, accepted", [(11, False), (12, True), (128, True)])
def test_password_length(world, client, app, length, accepted):
    sign_in(client, "operator-a")
    page = client.post(f"/organisations/{world.a.organisation.id}/staff",
                       data={"csrf_token": csrf_token(client), "role": "mentor"})
    link = invite_link(page.get_data(as_text=True))
    passphrase = ("river yard lantern quiet meadow owls " * 8)[:length]
    response = accept(app.test_client(), link, "pw-tester", password=passphrase)
    assert (response.status_code == 302) is accepted
    if not accepted:
        assert "A password needs 12 to 256 characters." in response.get_data(as_text=True)


def test_no_real_name_is_needed(world, client, app):
    sign_in(client, "coordinator-a")
    page = client.post(f"/communities/{world.a.communities[0].id}/invitations",
                       data={"csrf_token": csrf_token(client), "role": "member"})
    link = invite_link(page.get_data(as_text=True))
    form = app.test_client().get(link).get_data(as_text=True)
    assert 'name="handle"' in form and 'name="email"' in form
    assert "real name" in form  # the page says it is not needed
    assert accept(app.test_client(), link, "owl.at.night").status_code == 302


def page_language(client) -> str:
    return re.search(r'<html lang="([^"]+)"', client.get("/").get_data(as_text=True)).group(1)


def test_the_accounts_language_is_where_every_new_session_starts(world, client, app):
    sign_in(client, "member-a")
    client.post("/account", data={"csrf_token": csrf_token(client, "/account"), "display_name": "",
                                  "language": "uk"})
    client.post("/sign-out", data={"csrf_token": csrf_token(client)})
    other_device = app.test_client()
    sign_in(other_device, "member-a")
    assert page_language(other_device) == "uk"


def test_switching_the_language_in_one_session_leaves_the_others_alone(world, app):
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, "member-a")
    sign_in(phone, "member-a")
    phone.post("/language", data={"csrf_token": csrf_token(phone), "language": "ru", "next": "/"})
    assert page_language(phone) == "ru"
    assert page_language(laptop) == "en"
    later = app.test_client()
    sign_in(later, "member-a")  # the account's own language is unchanged
    assert page_language(later) == "en"


def test_operators_read_their_organisations_audit_and_no_other(world, client):
    sign_in(client, "operator-a")
    client.get(f"/communities/{world.a.communities[1].id}")  # a staff read, audited
    page = client.get(f"/organisations/{world.a.organisation.id}/audit")
    assert page.status_code == 200
    assert "Staff opened a community" in page.get_data(as_text=True), page.get_data(as_text=True)[-1500:]
    assert client.get(f"/organisations/{world.b.organisation.id}/audit").status_code == 404
    assert client.get("/admin/audit").status_code == 403


def test_the_platform_admin_reads_the_whole_audit_log(world, client):
    sign_in(client, "operator-b")
    client.post("/sign-out", data={"csrf_token": csrf_token(client)})
    sign_in(client, "platform-admin")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "operator-b" in page and "Signed in" in page


def test_staff_see_only_their_communities(world, client):
    sign_in(client, "mentor-a")
    page = client.get("/staff/communities").get_data(as_text=True)
    assert "secret-a1" in page
    assert "secret-a2" not in page and "secret-b" not in page
    assert client.get(f"/communities/{world.a.communities[1].id}").status_code == 404


def test_a_member_cannot_invite(world, client):
    sign_in(client, "member-a")
    response = client.post(f"/communities/{world.a.communities[0].id}/invitations",
                           data={"csrf_token": csrf_token(client), "role": "coordinator"})
    assert response.status_code == 403


def test_create_admin_command(app, runner):
    result = runner.invoke(args=["accounts", "create-admin", "Root-Person"], input="a long enough password\n" * 2)
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.handle == "root-person"))
    assert user.is_platform_admin
    short = runner.invoke(args=["accounts", "create-admin", "another"], input="short\nshort\n")
    assert short.exit_code != 0
    assert make_user  # factories stay importable for plugin tests


@pytest.mark.parametrize("target", [
    "/%09/evil.example/",  # a browser drops the tab and goes to //evil.example/
    "/%0a/evil.example/",
    "%2F%2Fevil.example/",
    "/%5Cevil.example/",
    "https://evil.example/",
    "/%0d%0aSet-Cookie:%20x=1",  # a header of its own, were it let through
])
def test_after_signing_in_next_never_leaves_the_site(world, client, target):
    token = csrf_token(client, "/sign-in")
    response = client.post(f"/sign-in?next={target}", data={"csrf_token": token, "login": "member-a",
                                                             "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Set-Cookie: x" not in str(response.headers)


@pytest.mark.parametrize("target", ["/\t/evil.example/", "/programmes\r\nX: 1", "//evil.example", "/\\evil.example"])
def test_the_language_form_never_sends_a_person_elsewhere(world, client, target):
    token = csrf_token(client, "/")
    response = client.post("/language", data={"csrf_token": token, "language": "uk", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_path_on_the_site_is_where_signing_in_leads(world, client):
    token = csrf_token(client, "/sign-in")
    response = client.post("/sign-in?next=/account%3Ftab%3D1", data={"csrf_token": token, "login": "member-a",
                                                                    "password": PASSWORD})
    assert response.headers["Location"] == "/account?tab=1"


def test_strangers_wrong_passwords_never_lock_the_person_out_of_their_own_browser(world, client, app):
    """Device cookies (OWASP): the per-account limit binds unknown browsers only."""
    assert sign_in(client, "operator-a").status_code == 302  # the person's own browser, once
    client.post("/sign-out", data={"csrf_token": csrf_token(client)})
    stranger = app.test_client()
    for _ in range(6):
        sign_in(stranger, "operator-a", "guessing, guessing, guessing")
    assert sign_in(stranger, "operator-a", PASSWORD).status_code == 429
    assert sign_in(app.test_client(), "operator-a", PASSWORD).status_code == 429  # any unknown browser
    assert sign_in(client, "operator-a").status_code == 302  # but not the person's own


def test_a_known_browser_is_limited_too(world, client, app):
    assert sign_in(client, "operator-a").status_code == 302
    client.post("/sign-out", data={"csrf_token": csrf_token(client)})
    for _ in range(5):
        sign_in(client, "operator-a", "a wrong password, five times")
    assert sign_in(client, "operator-a", PASSWORD).status_code == 429
    # The cookie names only the account it was earned for: another account is an unknown one here.
    assert sign_in(client, "mentor-a").status_code == 302


def test_a_forged_device_cookie_counts_as_an_unknown_browser(world, client, app):
    stranger = app.test_client()
    stranger.set_cookie("hromada_device", "forged.value.here")
    for _ in range(5):
        sign_in(stranger, "operator-a", "guessing, guessing, guessing")
    assert sign_in(stranger, "operator-a", PASSWORD).status_code == 429


def test_signing_in_many_times_from_one_address_is_not_an_attack(world, app):
    # A workshop behind one address: only failed attempts count against it.
    for _ in range(25):
        assert sign_in(app.test_client(), "member-a").status_code == 302


def test_a_breached_limit_is_logged_without_the_login_or_the_address(world, client, caplog):
    caplog.set_level("INFO", logger="flask-limiter")
    for _ in range(7):
        sign_in(client, "operator-a", "guessing, guessing, guessing")
    logged = caplog.text
    assert "exceeded" in logged  # the breach is logged...
    assert "operator-a" not in logged and "127.0.0.1" not in logged  # ...naming nobody


def test_request_lines_lose_the_address_and_invitation_tokens():
    import logging

    from hromada.logs import PersonalDataFilter

    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '%s - - [06/Dec/2026 10:00:00] "%s" 200 -',
                               ("192.0.2.7", "GET /invitations/community/12/Zk3v9_abcDEFghiJKLmnop HTTP/1.1"), None)
    PersonalDataFilter().filter(record)
    assert record.getMessage() == '- - - [06/Dec/2026 10:00:00] "GET /invitations/community/12/… HTTP/1.1" 200 -'


@pytest.mark.parametrize("path, kept", [
    ("/erase-certificates/Qm9vX2hvb2tfc2VjcmV0XzE/certificate.json", "/erase-certificates/…/certificate.json"),
    ("/manifestos/7/c2VjcmV0LW1hbmlmZXN0by10b2tlbg", "/manifestos/7/…"),
])
def test_request_lines_lose_the_tokens_of_every_secret_link(path, kept):
    import logging

    from hromada.logs import PersonalDataFilter

    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '- - - [06/Dec/2026 10:00:00] "%s" 200 -',
                               (f"GET {path} HTTP/1.1",), None)
    PersonalDataFilter().filter(record)
    assert record.getMessage() == f'- - - [06/Dec/2026 10:00:00] "GET {kept} HTTP/1.1" 200 -'


FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"
SAFARI_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                 "Version/17.1 Mobile/15E148 Safari/604.1")


def browser_signed_in(app, handle: str, user_agent: str):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    assert sign_in(client, handle).status_code == 302
    return client


def test_a_person_sees_where_they_are_signed_in_and_ends_one_or_every_other_session(world, app):
    laptop = browser_signed_in(app, "member-a", FIREFOX_LINUX)
    phone = browser_signed_in(app, "member-a", SAFARI_IPHONE)
    other = browser_signed_in(app, "member-a", FIREFOX_LINUX)
    page = laptop.get("/account/sessions").get_data(as_text=True)
    assert page.count("Firefox · Linux") == 2 and "Mobile Safari · iOS" in page
    assert page.count("End this session") == 2 and "This browser" in page  # its own is ended by signing out
    assert "Mozilla/5.0" not in page  # the full description is not kept

    with tenancy.system_scope():
        phone_session = db.session.scalars(select(UserSession).where(UserSession.device.like("%iOS%"))).one()
    # Asked again who it is first (ASVS 7.5.2): without the password, nothing ends.
    refused = laptop.post(f"/account/sessions/{phone_session.id}/end", data={"csrf_token": csrf_token(laptop)})
    assert refused.status_code == 400 and "no session was ended" in refused.get_data(as_text=True)
    wrong = laptop.post(f"/account/sessions/{phone_session.id}/end",
                        data={"csrf_token": csrf_token(laptop), "password": "not the password at all"})
    assert wrong.status_code == 400 and signed_in_as(phone) == "member-a"
    response = laptop.post(f"/account/sessions/{phone_session.id}/end",
                           data={"csrf_token": csrf_token(laptop), "password": PASSWORD})
    assert response.status_code == 302
    assert signed_in_as(phone) is None and signed_in_as(other) == "member-a"

    laptop.post("/account/sessions/end-others", data={"csrf_token": csrf_token(laptop), "password": PASSWORD})
    assert signed_in_as(other) is None and signed_in_as(laptop) == "member-a"
    assert "End every other session" not in laptop.get("/account/sessions").get_data(as_text=True)


def test_a_second_factor_confirmed_minutes_ago_ends_sessions_without_the_password(world, app):
    laptop = browser_signed_in(app, "mentor-a", FIREFOX_LINUX)  # signed in with a code just now
    phone = browser_signed_in(app, "mentor-a", SAFARI_IPHONE)
    assert "Ending a session asks for your password" not in laptop.get("/account/sessions").get_data(as_text=True)
    assert laptop.post("/account/sessions/end-others", data={"csrf_token": csrf_token(laptop)}).status_code == 302
    assert signed_in_as(phone) is None
    with time_machine.travel(now() + timedelta(minutes=11), tick=False):
        asked = laptop.post("/account/sessions/end-others", data={"csrf_token": csrf_token(laptop)})
        assert asked.status_code == 400 and "no session was ended" in asked.get_data(as_text=True)


def test_nobody_ends_another_persons_session(world, app):
    victim = browser_signed_in(app, "coordinator-a", FIREFOX_LINUX)
    with tenancy.system_scope():
        victims = db.session.scalar(select(UserSession.id).join(User).where(User.handle == "coordinator-a"))
    attacker = browser_signed_in(app, "member-a", FIREFOX_LINUX)
    attacker.post(f"/account/sessions/{victims}/end", data={"csrf_token": csrf_token(attacker), "password": PASSWORD})
    assert signed_in_as(victim) == "coordinator-a"


@pytest.mark.parametrize("password", [" " * 12, "p" * 20, "password1234", "qwertyuiop12", "pw-tester123456", "iloveyou1234"])
def test_a_password_easy_to_guess_is_refused_whatever_its_length(world, client, app, password):
    sign_in(client, "operator-a")
    page = client.post(f"/organisations/{world.a.organisation.id}/staff",
                       data={"csrf_token": csrf_token(client), "role": "mentor"})
    link = invite_link(page.get_data(as_text=True))
    response = accept(app.test_client(), link, "pw-tester", password=password)
    assert response.status_code == 200
    assert "This password is easy to guess" in response.get_data(as_text=True)
    with tenancy.system_scope():
        assert db.session.scalar(select(User.id).where(User.handle == "pw-tester")) is None


def test_a_new_password_easy_to_guess_is_refused_and_the_old_one_kept(world, client):
    sign_in(client, "member-a")
    response = client.post("/account/password", data={
        "csrf_token": csrf_token(client, "/account"), "password-current_password": PASSWORD,
        "password-password": "aaaaaaaaaaaaaaaa", "password-confirm": "aaaaaaaaaaaaaaaa"})
    assert "This password is easy to guess" in response.get_data(as_text=True)
    client.post("/sign-out", data={"csrf_token": csrf_token(client)})
    assert sign_in(client, "member-a").status_code == 302


def test_an_operator_reads_their_communities_fifty_a_page_and_finds_the_cohorts(world, client):
    """An operator supports every community of the organisation (20,000 rows read and rendered took over a
    second): they are listed 50 a page by name, with links to each programme's cohort overview."""
    from hromada.modules.progress.testing import add_communities

    add_communities(world.a, 53, prefix="Zebra")  # with A1 and A2: 55 communities
    sign_in(client, "operator-a")
    first = client.get("/staff/communities").get_data(as_text=True)
    cohort = f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}/cohort"
    assert "Programmes you run" in first and f'href="{cohort}"' in first
    assert "55 communities that you support, by name." in first and "Page 1 of 2" in first
    assert "secret-a1" in first and "secret-b" not in first and first.count("Zebra") == 48
    second = client.get("/staff/communities?page=2").get_data(as_text=True)
    assert second.count("Zebra") == 5 and "secret-a1" not in second


def test_the_staff_page_lists_fifty_people_a_page_by_role(world, app):
    from hromada.modules.accounts.models import StaffRole
    from hromada.testing.factories import signed_in

    with tenancy.system_scope():
        for number in range(56):  # with the side's four: 60 people, 50 and 10
            user = make_user(f"extra-mentor-{number:02d}")
            db.session.add(StaffMembership(organisation_id=world.a.organisation.id, user_id=user.id,
                                           role=StaffRole.MENTOR))
        db.session.commit()
    operator = signed_in(app, "operator-a")
    path = f"/organisations/{world.a.organisation.id}/staff"
    first = operator.get(path).get_data(as_text=True)
    last = operator.get(path, query_string={"page": 2}).get_data(as_text=True)
    rows = lambda page: page.split("<tbody>")[1].split("</tbody>")[0].count("<tr>")  # noqa: E731
    assert "60 people on the staff, by role" in first and rows(first) == 50 and rows(last) == 10
    assert "operator-a" in first and "extra-mentor-55" in last and "extra-mentor-55" not in first
    assert f'href="{path}?page=2"' in first and f'href="{path}?page=1"' in last


def test_the_audit_log_is_read_fifty_entries_a_page_back_to_the_first(world, app):
    from hromada.modules.audit.log import record
    from hromada.testing.factories import signed_in

    with tenancy.system_scope():
        for number in range(60):
            record("staff.read_community", organisation_id=world.a.organisation.id, community_id=number + 1)
        db.session.commit()
    operator = signed_in(app, "operator-a")
    path = f"/organisations/{world.a.organisation.id}/audit"
    rows = lambda page: page.split("<tbody>")[1].split("</tbody>")[0].count("<tr>")  # noqa: E731
    seen, page, links = 0, operator.get(path).get_data(as_text=True), 0
    assert "The newest first, 50 a page." in page and "The newest entries" not in page
    while True:
        seen += rows(page)
        found = re.search(r'href="([^"]*before=\d+)"[^>]*>Older entries', page.replace('rel="next" ', ""))
        if not found:
            break
        links += 1
        page = operator.get(found.group(1).replace("&amp;", "&")).get_data(as_text=True)
        assert "The newest entries" in page
    with tenancy.system_scope():
        total = db.session.scalar(select(func.count()).select_from(AuditEvent)
                                  .where(AuditEvent.organisation_id == world.a.organisation.id))
    # Every entry of the organisation, each once, a page at a time: nothing older than the last 50 is lost.
    assert total >= 60 and seen == total and links == (total - 1) // 50
    assert rows(operator.get(path, query_string={"before": "abc"}).get_data(as_text=True)) == 50  # the newest
