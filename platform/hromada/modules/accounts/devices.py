"""Device cookies: wrong passwords typed by strangers never lock a person out of their account.

A per-account limit on sign-in attempts protects an account from guessing, but it is
also a switch anyone can flip: five wrong passwords a minute, from anywhere, and the
real person cannot sign in either. OWASP's answer is a device cookie: a browser in which
someone signed in to an account keeps a signed cookie that names the account (by a keyed hash
of the login, never the login itself). Attempts from such a browser are counted per
browser and account; attempts from every other browser share the account's limit. A
stranger then locks out only other unknown browsers, never the person's own device.
"""

from __future__ import annotations

import secrets

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from hromada.digests import keyed_digest

MAX_AGE_SECONDS = 180 * 24 * 3600
MAX_ACCOUNTS = 5  # a shared computer remembers the last few accounts signed in on it


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="hromada.device")


def _cookie_name() -> str:
    return current_app.config["HROMADA_DEVICE_COOKIE_NAME"]


def login_digest(login: str) -> str:
    return keyed_digest(login.strip().lower())


def _read() -> dict | None:
    raw = request.cookies.get(_cookie_name())
    if not raw:
        return None
    try:
        value = _serializer().loads(raw, max_age=MAX_AGE_SECONDS)
    except BadSignature:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("device"), str) or not isinstance(value.get("logins"), list):
        return None
    return value


def device_for(login: str) -> str | None:
    """This browser's device id, if someone signed in here to the account named by `login`."""
    value = _read()
    if value is None or login_digest(login) not in value["logins"]:
        return None
    return value["device"]


def remember(response: Response, login: str) -> None:
    """After a successful sign-in: this browser is a device of the account."""
    value = _read() or {"device": secrets.token_urlsafe(16), "logins": []}
    digest = login_digest(login)
    logins = [digest, *(known for known in value["logins"] if known != digest)][:MAX_ACCOUNTS]
    response.set_cookie(
        _cookie_name(), _serializer().dumps({"device": value["device"], "logins": logins}),
        max_age=MAX_AGE_SECONDS, secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True,
        samesite="Lax", path="/",
    )
