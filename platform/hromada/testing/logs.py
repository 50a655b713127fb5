"""Every browser walk checks its own logs: no handle, no marker of a community's text, no address, no token.

An autouse fixture collects every log record written while a `browser`-marked test
runs, the live server's request lines included, and fails the test when one names a
person (any handle in the test's database), carries a community's text (the tests'
`secret-…` markers), a client address or an invitation token.
"""

from __future__ import annotations

import logging
import re

import pytest

ADDRESS = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b|\[?::1\]?\b")
INVITATION_TOKEN = re.compile(r"/invitations/(?:staff|community/\d+)/[A-Za-z0-9_-]{16,}")


class _Collector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name}: {record.getMessage()}")


def _handles(app) -> list[str]:
    if app is None:
        return []
    from sqlalchemy import select

    from hromada import tenancy
    from hromada.extensions import db
    from hromada.modules.accounts.models import User

    with app.app_context(), tenancy.system_scope():
        handles = list(db.session.scalars(select(User.handle)))
        db.session.remove()
    return handles


def personal_data_in(lines: list[str], handles: list[str]) -> list[str]:
    found = []
    for line in lines:
        words = set(re.findall(r"[\w.-]+", line))
        if ADDRESS.search(line) or INVITATION_TOKEN.search(line) or "secret-" in line or words & set(handles):
            found.append(line)
    return found


@pytest.fixture(autouse=True)
def logs_without_personal_data(request):
    if request.node.get_closest_marker("browser") is None:
        yield
        return
    # Asked for now, so that the app and its database are torn down after this fixture reads them.
    app = request.getfixturevalue("app") if "app" in request.fixturenames else None
    collector = _Collector()
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("werkzeug", "flask-limiter", "hromada")}
    root.addHandler(collector)
    for name in levels:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield collector
    finally:
        root.removeHandler(collector)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
    assert collector.lines, "the walk logged nothing: the live server's request lines are missing"
    leaks = personal_data_in(collector.lines, _handles(app))
    assert not leaks, "log lines with personal data:\n" + "\n".join(leaks[:20])
