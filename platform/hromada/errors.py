"""Error pages: translated, in the site's layout, never a traceback."""

from __future__ import annotations

import math
import time

from flask import Flask, render_template
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from hromada.i18n import lazy_gettext as _l

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please go back and try again.")),
    403: (_l("Not allowed"), _l("You do not have access to this page.")),
    404: (_l("Page not found"), _l("There is no page at this address. It may have moved, or the link may be wrong.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    413: (_l("Too large"), _l("What you sent is too large.")),
    429: (_l("Too many attempts"), _l("Too many attempts. Please wait a little and try again.")),
    503: (_l("Try again in a moment"), _l("The service is unavailable for a moment. Please try again shortly.")),
    500: (_l("Something went wrong"), _l("Something went wrong on our side. Nothing you did caused it; please try again later.")),
}


def render_error(code: int, message=None):
    title, default_message = MESSAGES.get(code, MESSAGES[500 if code >= 500 else 400])
    return render_template("errors/error.html", code=code, title=title, message=message or default_message), code


def _too_many_attempts():
    """The refusal says when to try again: when the limit that was reached lets the next attempt through."""
    from hromada.extensions import limiter

    limit = limiter.current_limit
    if limit is None:
        return render_error(429)
    seconds = max(int(limit.reset_at - time.time()), 1)
    minutes = math.ceil(seconds / 60)
    message = ngettext("Too many attempts. You can try again in %(num)d minute.",
                       "Too many attempts. You can try again in %(num)d minutes.", minutes)
    body, code = render_error(429, message)
    return body, code, {"Retry-After": str(seconds)}


def configure_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _l("The form had expired or was sent from another page. Please try again."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if error.code == 429:
            return _too_many_attempts()
        return render_error(error.code)

    @app.errorhandler(InternalServerError)
    def server_error(error):
        # Flask has logged the traceback already; the page never shows it.
        return render_error(500)
