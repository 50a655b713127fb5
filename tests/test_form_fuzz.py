"""No input makes a form fail: every posting form, filled with what an attacker or a broken client sends.

One test per route that takes a POST, on PostgreSQL (whose integers overflow where
SQLite's do not). The forms are found as a person finds them: as each role of side B
of the test world (with the objects every module and plugin adds through
`hromada_isolation_arguments`), every page is opened and every `<form method="post">`
read with its fields. Each form is then sent with every field set to a number no
column holds, a value with control characters (CR, LF, tab, NUL), bytes that are not
UTF-8, and a very long text. The answer must be a page or a redirect: never a 500, and
never an exception (in tests Flask raises it instead of answering 500).
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest

from hromada import create_app
from hromada.extensions import db
from hromada.testing.factories import sign_in
from hromada.testing.fixtures import FIRST_PARTY_PLUGINS, csrf_token

ROLES = ("anonymous", "platform-admin", "operator-b", "mentor-b", "expert-b", "facilitator-b", "coordinator-b", "member-b")
# What posting them does to the client would end the walk; each is fuzzed by the tests of its own module.
NOT_FUZZED = {"accounts.sign_out"}
FUZZ = {
    "a number no column holds": str(2**63),
    "a negative number no column holds": "-" + "9" * 30,
    "control characters": "line\r\nX-Injected: 1\t\x00end",
    "a very long text": "x" * 20_000,
}
NOT_UTF8 = b"%FF%FE%C0%AF"


def post_endpoints() -> list[str]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "HROMADA_PLUGINS": FIRST_PARTY_PLUGINS})
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    with app.app_context():
        db.engine.dispose()
    return sorted(endpoints - NOT_FUZZED)


class Forms(HTMLParser):
    """The posting forms of a page: action and field names (with the value the page gave each)."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._fields: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "get").lower() == "post":
            self._fields = {}
            self.forms.append((attributes.get("action") or "", self._fields))
        elif tag in {"input", "select", "textarea", "button"} and self._fields is not None and attributes.get("name"):
            self._fields.setdefault(attributes["name"], attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None


def page_forms(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = Forms()
    parser.feed(html)
    parser.close()
    return parser.forms


def url_values(app, world) -> list[dict]:
    """Ids of side B's objects for every URL argument a route of the app takes.

    Several sets: the objects every module adds for the isolation matrix (a consultation held);
    the same with a consultation that is only scheduled, whose page shows other forms; with a draft
    programme in two languages (its page shows the publish form, its texts page a field per language);
    and two with a funded scholarship whose report pages show the report forms.
    """
    from hromada import tenancy
    from hromada.modules.consultations.models import ConsultationStatus
    from hromada.modules.programmes.models import Programme
    from hromada.modules.scholarships.testing import reporting_arguments
    from hromada.testing.builders import add_consultation

    arguments = {"foreign": {}, "unreachable": {}}
    app.extensions["hromada.plugins"].hook.hromada_isolation_arguments(world=world, arguments=arguments)
    scheduled = add_consultation(world.b.communities[0].id, status=ConsultationStatus.SCHEDULED,
                                 staff_id=world.b.people["mentor"].id, duration_minutes=None)
    scheduled_id = scheduled.id
    with tenancy.system_scope():
        draft = Programme(organisation_id=world.b.organisation.id, slug="draft-b", title="Draft B",
                          languages=["en", "uk"], language="en", translations={})
        db.session.add(draft)
        db.session.commit()
        draft_id = draft.id
    db.session.remove()
    reporting = reporting_arguments(world)
    db.session.remove()
    values = {"community_id": world.b.communities[0].id, "organisation_id": world.b.organisation.id,
              "token": "a-token-that-was-never-issued", **arguments["foreign"]}
    return [values, {**values, "consultation_id": scheduled_id}, {**values, "programme_id": draft_id},
            *({**values, **more} for more in reporting)]


# Which role's which page shows forms that post to each endpoint: found once per test process by
# opening every page as every role, then reused (each test builds its world again, so ids differ:
# the pages are kept by route, not by path).
DISCOVERED: dict[str, list[tuple[str, str]]] = {}


def signed_in_client(app, role: str):
    client = app.test_client()
    if role != "anonymous":
        assert sign_in(client, role).status_code == 302, role
    return client


def path_of(rule, values: dict) -> str:
    return rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]


def page_rules(app, values: dict) -> list:
    return [rule for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and rule.endpoint != "static" and not set(rule.arguments) - set(values)]


def posting_endpoint(app, action: str) -> str | None:
    try:
        return app.url_map.bind("localhost").match(urlsplit(action).path, method="POST")[0]
    except Exception:  # a form that posts off the app's routes is not this test's
        return None


def discover(app, value_sets: list[dict]) -> None:
    for role in ROLES:
        client = signed_in_client(app, role)
        for index, values in enumerate(value_sets):
            # After the first set, only the pages that take an id the set changes: the others are the same pages
            # (opening them again would only hold more locks in the test's one transaction).
            changed = {name for name, value in values.items() if value != value_sets[0].get(name)}
            for rule in page_rules(app, values):
                if index and not set(rule.arguments) & changed:
                    continue
                path = path_of(rule, values)
                response = client.get(path)
                if response.status_code != 200 or response.mimetype != "text/html":
                    continue
                for action, _fields in page_forms(response.get_data(as_text=True)):
                    endpoint = posting_endpoint(app, action or path)
                    if endpoint and (role, rule.endpoint, index) not in DISCOVERED.setdefault(endpoint, []):
                        DISCOVERED[endpoint].append((role, rule.endpoint, index))
    DISCOVERED.setdefault("", [])  # done, even if nothing was found


def forms_of(app, client, role: str, endpoint: str, value_sets: list[dict]) -> list[tuple[str, dict[str, str]]]:
    found = []
    for page_role, page_endpoint, index in DISCOVERED.get(endpoint, []):
        rules = {rule.endpoint: rule for rule in page_rules(app, value_sets[index])}
        if page_role != role or page_endpoint not in rules:
            continue
        path = path_of(rules[page_endpoint], value_sets[index])
        for action, fields in page_forms(client.get(path).get_data(as_text=True)):
            if posting_endpoint(app, action or path) == endpoint and (action or path, fields) not in found:
                found.append((action or path, fields))
    return found


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
@pytest.mark.parametrize("endpoint", post_endpoints())
def test_no_input_makes_the_form_fail(app, world, endpoint):
    value_sets = url_values(app, world)
    if not DISCOVERED:
        discover(app, value_sets)
    sent = 0
    for role in sorted({role for role, _page, _index in DISCOVERED.get(endpoint, [])}):
        client = signed_in_client(app, role)
        token = csrf_token(client)  # one per session: the form's own would be the same
        for action, fields in forms_of(app, client, role, endpoint, value_sets):
            names = [name for name in fields if name != "csrf_token"]
            # One field at a time, the others as the page filled them (so validation of the others does
            # not hide what this one does), then every field at once.
            payloads = [(f"{name} = {what}", {**fields, name: value}) for name in names for what, value in FUZZ.items()]
            payloads += [(f"every field = {what}", {name: value for name in names}) for what, value in FUZZ.items()]
            for what, data in payloads:
                response = client.post(action, data={**data, "csrf_token": token})
                assert response.status_code < 500, f"{role} {action} with {what}: {response.status_code}"
                sent += 1
            for name in names:
                encoded = [f"{quote(key)}={quote(value)}" for key, value in fields.items()
                           if key not in (name, "csrf_token")]
                body = "&".join([f"csrf_token={quote(token)}", f"{quote(name)}={NOT_UTF8.decode()}",
                                 *encoded])
                response = client.post(action, data=body.encode(), content_type="application/x-www-form-urlencoded")
                assert response.status_code < 500, f"{role} {action} with {name} not UTF-8: {response.status_code}"
                sent += 1
    if sent == 0:
        pytest.skip(f"no page shows a form that posts to {endpoint} in the test world")
