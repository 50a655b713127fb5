"""A small browser for the benchmarks: signs in through the real forms and reads other forms as sent.

`run.py` signs in with it to get the Cookie header that wrk sends; `mixed.py` also opens the
forms that the mixed run sends (attendance, a lesson read, a consultation logged, an action
done) and reads their fields, CSRF token included, as a browser would submit them.
Only the standard library: it runs in the benchmark's own process, before wrk starts.
"""

from __future__ import annotations

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser

LOOPBACK = "127.0.0.1"
SIGN_IN = "/sign-in"
SECOND_STEP = "/sign-in/second-factor"
# Input types whose value a browser sends as it stands (buttons send only when clicked: never here).
VALUE_INPUTS = {"hidden", "text", "number", "date", "datetime-local", "time", "email", "url", "search", "tel",
                "password", ""}


class BenchmarkError(RuntimeError):
    """The benchmark could not run (not: a page was too slow)."""


class LoopbackCookiePolicy(http.cookiejar.DefaultCookiePolicy):
    """Production cookies are `Secure`; send them back over plain HTTP to the loopback server only."""

    def return_ok_secure(self, cookie, request):
        return urllib.parse.urlsplit(request.get_full_url()).hostname == LOOPBACK or super().return_ok_secure(cookie, request)


@dataclass
class Form:
    """One <form> of a page: where it posts and what a browser would send without the user changing anything."""

    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    # The values each <select> offers, in the page's order, and every checkbox (name, value, checked).
    options: dict[str, list[str]] = field(default_factory=dict)
    checkboxes: list[tuple[str, str, bool]] = field(default_factory=list)

    def value(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key == name), None)

    def body(self, changes: dict[str, str | list[str]] | None = None) -> str:
        """The urlencoded body: the fields as shown, each named in `changes` replaced by its value(s)."""
        changes = changes or {}
        sent = [(key, value) for key, value in self.fields if key not in changes]
        for key, value in changes.items():
            sent += [(key, item) for item in ([value] if isinstance(value, str) else value)]
        return urllib.parse.urlencode(sent)


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, list[str], list[str]] | None = None  # name, values, the selected ones
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {key: value if value is not None else "" for key, value in attrs}
        if tag == "form":
            self._form = Form(action=attributes.get("action", ""), method=attributes.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is None or "disabled" in attributes:
            return
        elif tag == "input" and attributes.get("name"):
            kind = attributes.get("type", "").lower()
            name, value = attributes["name"], attributes.get("value", "")
            if kind == "checkbox":
                self._form.checkboxes.append((name, value or "on", "checked" in attributes))
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self._form.fields.append((name, value or "on"))
            elif kind in VALUE_INPUTS:
                self._form.fields.append((name, value))
        elif tag == "select" and attributes.get("name"):
            self._select = (attributes["name"], [], [])
        elif tag == "option" and self._select is not None:
            value = attributes.get("value", "")
            self._select[1].append(value)
            if "selected" in attributes:
                self._select[2].append(value)
        elif tag == "textarea" and attributes.get("name"):
            self._textarea = (attributes["name"], [])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, values, selected = self._select
            self._form.options[name] = values
            chosen = selected[-1:] or values[:1]
            self._form.fields += [(name, value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, parts = self._textarea
            # A browser drops the one line break that may follow <textarea> (WTForms writes one).
            text = "".join(parts)
            self._form.fields.append((name, text[2:] if text.startswith("\r\n") else text.removeprefix("\n")))
            self._textarea = None


def forms_of(page: str) -> list[Form]:
    reader = _FormReader()
    reader.feed(page)
    reader.close()
    return reader.forms


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One sign-in session: its own cookies, kept as the server sets them (the CSRF secret among them)."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar(policy=LoopbackCookiePolicy())
        cookies = urllib.request.HTTPCookieProcessor(self.jar)
        self._following = urllib.request.build_opener(cookies)
        self._staying = urllib.request.build_opener(cookies, _NoRedirect)

    def open(self, path: str, data: str | None = None, *, follow: bool = True,
             timeout: float = 60) -> tuple[int, str, str]:
        """(status, the path it landed on, the page) of a GET, or of a POST of `data` (urlencoded)."""
        opener = self._following if follow else self._staying
        try:
            with opener.open(self.base_url + path, data=data.encode() if data is not None else None,
                             timeout=timeout) as response:
                return response.status, urllib.parse.urlsplit(response.geturl()).path, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, urllib.parse.urlsplit(error.geturl()).path, error.read().decode(errors="replace")

    def page(self, path: str) -> str:
        """The page at `path`, which must answer 200 itself (not by way of the sign-in page)."""
        status, landed, page = self.open(path, follow=False)
        if status != 200:
            raise BenchmarkError(f"{path} answered {status}, not 200")
        return page

    def form(self, path: str, action: str | None = None) -> Form:
        """The form of the page at `path` that posts to `action` (default: to `path` itself)."""
        action = action or path
        # A form without an action posts to its own page.
        found = [form for form in forms_of(self.page(path))
                 if form.method == "post" and (form.action or path) == action]
        if not found:
            raise BenchmarkError(f"no form posting to {action} on {path}")
        return found[0]

    def sign_in(self, handle: str, password: str, totp_secret: str | None = None) -> Browser:
        """Sign in with the sign-in form and its CSRF token; staff then give a code of their authenticator."""
        form = self.form(SIGN_IN)
        status, landed, page = self.open(SIGN_IN, form.body({"login": handle, "password": password}))
        if landed == SECOND_STEP:
            if totp_secret is None:
                raise BenchmarkError(f"{handle} is asked for a second factor, and there is no secret to answer")
            import pyotp

            second = next((f for f in forms_of(page) if (f.action or landed) == SECOND_STEP), None)
            if second is None:
                raise BenchmarkError("no form on the second-factor page")
            status, landed, _page = self.open(SECOND_STEP, second.body({"code": pyotp.TOTP(totp_secret).now()}))
        if landed.startswith(SIGN_IN) or status >= 400:
            raise BenchmarkError(f"signing in as {handle} failed ({status} at {landed})")
        return self

    def cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.jar)
