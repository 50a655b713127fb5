"""What reaches the logs: nothing that identifies a person.

Some communities work under a repressive regime; a log line is copied, shipped and
kept far longer than a page. The development server (`make run`) logs each request
with the client's address and the path, and a path can hold an invitation link's
token (an invitation's, a reset link's): the filter below takes both out. The rate limiter logs a breached limit with
its key, so the keys carry a hash of the login, never the login itself
(`hromada.modules.accounts.blueprint`). In production, gunicorn logs no requests
unless told to: keep it so, or give it a format without `%(h)s` and `%(U)s` (README).
"""

from __future__ import annotations

import logging
import re

from flask import Flask

# Werkzeug's request line: '<address> - - [<time>] "<method> <path> <protocol>" <status> <size>'.
REQUEST_LINE_ADDRESS = re.compile(r"^\S+ - - \[")
# Paths whose last part is a secret: invitation links, reset links, erase certificates, published manifestos.
INVITATION_TOKEN = re.compile(
    r"(/invitations/(?:staff|community/\d+)/|/reset/|/erase-certificates/|/manifestos/\d+/)[^/\s?\"]+")


class PersonalDataFilter(logging.Filter):
    """Rewrites a record's message without the client's address and without the tokens of secret links."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = INVITATION_TOKEN.sub(r"\1…", REQUEST_LINE_ADDRESS.sub("- - - [", message))
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def configure_logging(app: Flask) -> None:
    request_log = logging.getLogger("werkzeug")
    if not any(isinstance(existing, PersonalDataFilter) for existing in request_log.filters):
        request_log.addFilter(PersonalDataFilter())
