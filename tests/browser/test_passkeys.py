"""A staff member adds a passkey and signs in with it, in Chromium with a virtual authenticator.

WebAuthn refuses IP addresses: the pages are opened at http://localhost:<port> (the live server
listens on 127.0.0.1), the relying party id is `localhost`, and the origin setting names that port.
The authenticator is Chromium's own, over the DevTools protocol (WebAuthn.addVirtualAuthenticator).
"""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from hromada.extensions import db
from hromada.testing.browser import enter_second_factor
from hromada.testing.factories import PASSWORD, build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def localhost(own_app, app, live_server) -> str:
    """The live server by name: the origin passkeys are bound to (this app's setting, for this test alone)."""
    origin = f"http://localhost:{urlsplit(live_server).port}"
    app.config["HROMADA_WEBAUTHN_RP_ID"] = "localhost"
    app.config["HROMADA_WEBAUTHN_ORIGIN"] = origin
    return origin


def virtual_authenticator(page) -> None:
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    session.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})


def password_step(page, origin: str, handle: str) -> None:
    page.goto(f"{origin}/sign-in")
    page.get_by_label("Handle or e-mail").fill(handle)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_passkey_is_added_and_then_signs_its_owner_in(app, page, page_activity, localhost):
    build_world()
    db.session.remove()
    virtual_authenticator(page)

    password_step(page, localhost, "operator-a")
    enter_second_factor(page, "operator-a")
    expect(page.get_by_text("Signed in as operator-a")).to_be_visible()
    page.goto(f"{localhost}/account/second-factors")
    page.get_by_label("A name for the passkey (optional)").fill("Work laptop")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("cell", name="Passkey — Work laptop")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    password_step(page, localhost, "operator-a")
    expect(page.get_by_role("heading", name="Second factor")).to_be_visible()
    page.get_by_role("button", name="Use a passkey").click()
    expect(page.get_by_text("Signed in as operator-a")).to_be_visible()

    assert page_activity.console_errors == []
    assert {urlsplit(url).hostname for url in page_activity.requests} <= {"localhost"}
