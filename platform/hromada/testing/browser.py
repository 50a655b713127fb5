"""Pytest fixtures that drive Debian's Chromium through Playwright against a live Hromada.

`page` is a fresh browser tab whose relative URLs go to `live_server`, a real
Hromada app (the `app` fixture's, so on SQLite and on PostgreSQL) served over
HTTP on 127.0.0.1. `page_activity` records what that tab requested and what it
logged as an error, so a test can check that nothing left the server and that
no Content-Security-Policy violation happened. `new_tab()` opens another
person's tab, recorded in the same `page_activity`; `sign_in_as` and `sign_out`
go through the sign-in form and the sign-out button.

Playwright never downloads a browser here: the system's Chromium is used, and
installed with apt when it is missing. Load the fixtures with
`pytest_plugins = ["hromada.testing.browser"]` and mark tests `@pytest.mark.browser`.
"""

from __future__ import annotations

import os
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from hromada.testing import services
from hromada.testing.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # No traffic of Chromium's own: a test sees only what the page asks for.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Schemes that never leave the browser.
LOCAL_SCHEMES = {"data", "blob", "about"}


def _apt_get(*args: str) -> bool:
    environ = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        # Wait for another apt run to finish rather than fail on its lock.
        result = subprocess.run(
            ["apt-get", "-o", "DPkg::Lock::Timeout=300", *args],
            env=environ,
            capture_output=True,
            timeout=900,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def install_chromium() -> str | None:
    """Install Debian's chromium package; return why it failed, or None."""
    if not _apt_get("install", "-y", "chromium"):
        # A first install on a fresh system fails until the package lists exist.
        _apt_get("update")
        _apt_get("install", "-y", "chromium")
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing and `apt-get install chromium` did not install it"
    return None


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium, installed on first use when it is missing."""
    if not CHROMIUM.exists():
        reason = install_chromium()
        if reason:
            services.unavailable(reason)
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def browser(chromium_path):
    """A headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def read_to_the_end(app):
    """`app` with each response read whole, and its file closed, before the server writes it.

    Werkzeug's development server leaves a static file open when the browser drops the
    connection halfway (a tab closed while its favicon loads): its clean-up raises first.
    The open file then surfaces in a later test as an unraisable ResourceWarning, which
    this project's warnings-as-errors turns into a failure of an unrelated test.
    """

    def application(environ, start_response):
        response = app(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            if hasattr(response, "close"):
                response.close()

    return application


@pytest.fixture
def live_server(request, app):
    """The test's app served on 127.0.0.1 on a free port; yields its base URL."""
    from werkzeug.serving import make_server

    from hromada.testing.fixtures import commits_for_real

    # The server's threads have connections of their own: they see only what the test committed.
    assert commits_for_real(request.node), "a test with a live server is marked `browser` (or `real_commits`)"

    # Port 0: the system picks a free port, with no race between choosing and binding it.
    server = make_server("127.0.0.1", 0, read_to_the_end(app), threaded=True)
    # A short poll interval: shutting down waits for the next poll.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="live-server", daemon=True
    )
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@dataclass
class PageActivity:
    """What one tab did: the URLs it requested and the errors it logged."""

    base_url: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def requests_elsewhere(self) -> list[str]:
        """Requests that went to any host other than the live server."""
        home = urlsplit(self.base_url)
        elsewhere = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme not in LOCAL_SCHEMES and (parts.scheme, parts.netloc) != (home.scheme, home.netloc):
                elsewhere.append(url)
        return elsewhere


@pytest.fixture
def page_activity(live_server) -> PageActivity:
    return PageActivity(base_url=live_server)


def _watched_tab(browser, live_server: str, activity: PageActivity):
    """A tab in a context of its own (no cookies shared), whose requests and errors go to `activity`."""
    # English by default whatever the machine's locale, so that a test's starting point is known.
    context = browser.new_context(base_url=live_server, locale="en-GB")
    context.on("request", lambda request: activity.requests.append(request.url))
    page = context.new_page()
    # Content-Security-Policy violations and failed loads are logged as console errors.
    page.on("console", lambda message: message.type == "error" and activity.console_errors.append(message.text))
    page.on("pageerror", lambda error: activity.console_errors.append(str(error)))
    return context, page


@pytest.fixture
def page(browser, live_server, page_activity):
    """A new tab in its own context (no cookies shared); `page.goto("/")` opens the live server."""
    context, page = _watched_tab(browser, live_server, page_activity)
    yield page
    context.close()


@pytest.fixture
def new_tab(browser, live_server, page_activity):
    """Call it for another person's tab: its own context like `page`'s, recorded in the same `page_activity`."""
    contexts = []

    def open_tab():
        context, tab = _watched_tab(browser, live_server, page_activity)
        contexts.append(context)
        return tab

    yield open_tab
    for context in contexts:
        context.close()


def sign_in_as(page, handle: str, password: str = PASSWORD) -> None:
    """Sign in through the form (with a code of the authenticator app computed here, for a person who has
    one: every staff member) and wait until the page says who is signed in."""
    from playwright.sync_api import expect

    page.goto("/sign-in")
    page.get_by_label("Handle or e-mail").fill(handle)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    enter_second_factor(page, handle)
    expect(page.get_by_text(f"Signed in as {handle}")).to_be_visible()


def enter_second_factor(page, handle: str) -> None:
    """On the second step of signing in (when it comes), type the code the person's app would show now."""
    from playwright.sync_api import expect

    from hromada.modules.factors.testing import forget_used_codes, totp_code

    page.wait_for_load_state()
    if "/sign-in/second-factor" not in page.url:
        return
    forget_used_codes(handle)  # the same person may sign in more than once a minute in a test
    expect(page.get_by_role("heading", name="Second factor")).to_be_visible()
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(totp_code())
    page.get_by_role("button", name="Sign in").click()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
