"""Security headers on every response."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict

# Everything the pages load comes from this host; no inline script or style.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]
)


def strip_nul_characters() -> None:
    """No text a person types contains NUL, and PostgreSQL cannot store it: drop it from the input.

    Done once here, so that no form or query parameter can turn it into a 500.
    """
    for name in ("form", "args"):
        values = getattr(request, name)
        if any("\x00" in value for items in values.listvalues() for value in items):
            cleaned = [(key, value.replace("\x00", "")) for key, value in values.items(multi=True)]
            setattr(request, name, ImmutableMultiDict(cleaned))


def configure_security_headers(app: Flask) -> None:
    app.before_request(strip_nul_characters)
    production = app.config["HROMADA_ENV"] == "production"

    @app.after_request
    def add_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if current_user and current_user.is_authenticated:
            # A signed-in page must not stay in a shared computer's cache.
            response.headers["Cache-Control"] = "no-store"
        if production:
            response.headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        return response
