"""Every main page issues a bounded number of SQL statements, whatever the size of the data.

Each page is requested on a small generated data set and on one ten times
larger (`hromada.demo.scale`), on SQLite and on PostgreSQL, as the person who
would open it; the test fails when the larger set needs more statements (an
N+1 query, a lazy relationship in a loop). A page whose route is not
registered is skipped with the reason, so this file can name the pages of
modules that are still being written.

Statements are counted with a `before_cursor_execute` listener on the engine,
on the second request of the page (the first may warm caches or touch the
session row). The tenancy context's `set_config` goes straight through the
driver and is not counted here; the round trips of a signed-in request, which
include it, are counted from libpq's trace at the end of this file.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field

import pytest
from sqlalchemy import event

from hromada import create_app
from hromada.demo import scale
from hromada.extensions import db
from hromada.testing.factories import csrf_token, sign_in
from hromada.testing.fixtures import FIRST_PARTY_PLUGINS, OneAppContextPerRequest, _empty_postgres_tables

# Small enough to be quick, large enough that every stage of the main programme has a community
# (a page that queries once per stage then makes the same queries on both sets).
SMALL, LARGE = 10, 100


@dataclass(frozen=True)
class Page:
    name: str
    rule: str  # as in app.url_map
    role: str | None  # a key of ScaleReport.sign_ins; None: nobody signed in
    # URL argument -> key of ScaleReport.ids, where it is not the argument's own name.
    ids: dict = field(default_factory=dict, hash=False, compare=False)
    # URL arguments that are words, not ids of the data (a kind of report).
    words: dict = field(default_factory=dict, hash=False, compare=False)


COMMUNITY = "/communities/<int:community_id>"
PROGRAMME = "/organisations/<int:organisation_id>/programmes/<int:programme_id>"
PAGES = (
    Page("home", "/", None),
    Page("home, signed in", "/", "coordinator"),
    Page("open calls", "/calls", None),
    Page("call", "/calls/<int:programme_id>", None, {"programme_id": "call_programme_id"}),
    Page("programme's public page", "/programmes/<int:programme_id>", None),
    Page("programme's public page, as its operator", "/programmes/<int:programme_id>", "operator"),
    Page("texts of a programme in other languages", PROGRAMME + "/texts", "operator"),
    Page("my communities", "/communities", "coordinator"),
    Page("community overview", COMMUNITY, "coordinator"),
    Page("community overview, as a mentor", COMMUNITY, "mentor"),
    Page("members", COMMUNITY + "/members", "coordinator"),
    Page("the community's data", COMMUNITY + "/export", "coordinator"),
    Page("erase the community", COMMUNITY + "/erase", "coordinator"),
    Page("erase the community, as an operator", COMMUNITY + "/erase", "operator"),
    Page("applications of a community", COMMUNITY + "/applications", "coordinator"),
    Page("progress", COMMUNITY + "/programmes/<int:programme_id>/progress", "coordinator"),
    Page("progress, as a mentor", COMMUNITY + "/programmes/<int:programme_id>/progress", "mentor"),
    Page("progress, as an operator", COMMUNITY + "/programmes/<int:programme_id>/progress", "operator"),
    Page("courses of a community", COMMUNITY + "/courses", "coordinator"),
    Page("course of a community", COMMUNITY + "/courses/<int:course_id>", "coordinator"),
    Page("events of a community", COMMUNITY + "/events", "coordinator"),
    Page("consultations of a community", COMMUNITY + "/consultations", "coordinator"),
    Page("programmes of an organisation", "/organisations/<int:organisation_id>/programmes", "operator"),
    Page("programme", PROGRAMME, "operator"),
    Page("applications to a call", PROGRAMME + "/applications", "operator", {"programme_id": "call_programme_id"}),
    Page("cohort overview", PROGRAMME + "/cohort", "operator"),
    Page("cohort export", PROGRAMME + "/cohort.csv", "operator"),
    Page("courses of a programme", PROGRAMME + "/courses", "operator"),
    Page("course, as an operator", PROGRAMME + "/courses/<int:course_id>", "operator"),
    Page("attendance of a session", PROGRAMME + "/courses/<int:course_id>/sessions/<int:course_session_id>/attendance",
         "operator"),
    Page("events of a programme", PROGRAMME + "/events", "operator"),
    Page("event, as an operator", PROGRAMME + "/events/<int:event_id>", "operator"),
    Page("event KPIs", PROGRAMME + "/events/kpis", "operator"),
    Page("staff list, as an operator", "/staff/communities", "operator"),
    Page("staff list, as a mentor", "/staff/communities", "mentor"),
    Page("consultations, as a mentor", "/staff/consultations", "mentor"),
    Page("notifications", "/notifications", "coordinator"),
    Page("second factors, as an operator", "/account/second-factors", "operator"),
    Page("second factors of a member", "/account/second-factors", "member"),
    Page("sessions", "/account/sessions", "operator"),
    Page("delete your account, as a coordinator", "/account/delete", "coordinator"),
    Page("delete your account, as an operator", "/account/delete", "operator"),
    Page("decisions of a community", COMMUNITY + "/decisions", "coordinator"),
    Page("scholarship calls of a community", COMMUNITY + "/scholarships", "coordinator"),
    Page("scholarship application", COMMUNITY + "/scholarships/<int:call_id>", "coordinator",
         {"call_id": "scholarship_call_id"}),
    Page("scholarship calls of a programme", PROGRAMME + "/scholarships", "operator",
         {"programme_id": "scholarship_programme_id"}),
    Page("scholarship call with its applications", PROGRAMME + "/scholarships/<int:call_id>", "operator",
         {"programme_id": "scholarship_programme_id", "call_id": "scholarship_call_id"}),
    Page("budget of a scholarship call", PROGRAMME + "/scholarships/<int:call_id>/budget", "operator",
         {"programme_id": "scholarship_programme_id", "call_id": "scholarship_call_id"}),
    Page("scholarship application with its tranches, as an operator",
         PROGRAMME + "/scholarships/<int:call_id>/applications/<int:scholarship_application_id>", "operator",
         {"programme_id": "scholarship_programme_id", "call_id": "scholarship_call_id"}),
    Page("report questions of a scholarship call", PROGRAMME + "/scholarships/<int:call_id>/report-questions",
         "operator", {"programme_id": "scholarship_programme_id", "call_id": "scholarship_call_id"}),
    Page("progress report of a community", COMMUNITY + "/scholarships/<int:call_id>/reports/<report_kind>",
         "coordinator", {"call_id": "scholarship_call_id"}, {"report_kind": "progress"}),
    Page("applications of a scholarship call", PROGRAMME + "/scholarships/<int:call_id>/applications", "operator",
         {"programme_id": "scholarship_programme_id", "call_id": "scholarship_call_id"}),
    Page("applications assigned to a reviewer", "/organisations/<int:organisation_id>/reviews", "reviewer"),
    Page("scholarship budget of a programme", PROGRAMME + "/scholarships/budget", "operator",
         {"programme_id": "scholarship_programme_id"}),
    Page("decisions, as a mentor", COMMUNITY + "/decisions", "mentor"),
    Page("proposal", COMMUNITY + "/decisions/<int:proposal_id>", "coordinator"),
    Page("new proposal", COMMUNITY + "/decisions/new", "coordinator"),
    Page("charter", COMMUNITY + "/charter", "coordinator"),
    Page("charter, as a mentor", COMMUNITY + "/charter", "mentor"),
    Page("manifesto", COMMUNITY + "/manifesto", "coordinator"),
    Page("manifesto, as an operator", COMMUNITY + "/manifesto", "operator"),
    Page("strategy", COMMUNITY + "/strategy", "coordinator"),
    Page("strategy, as a mentor", COMMUNITY + "/strategy", "mentor"),
    Page("coordination meeting", COMMUNITY + "/coordination-meeting", "coordinator"),
    Page("coordination meeting, as an operator", COMMUNITY + "/coordination-meeting", "operator"),
    Page("problem-finding meetings", COMMUNITY + "/civic-course/meetings", "coordinator"),
    Page("problem-finding meeting", COMMUNITY + "/civic-course/meetings/<int:meeting_id>", "coordinator"),
    Page("change maps", COMMUNITY + "/civic-course/maps", "coordinator"),
    Page("change map", COMMUNITY + "/civic-course/maps/<int:map_id>", "coordinator"),
    Page("change maps shared in the cohort", COMMUNITY + "/civic-course/cohort-maps", "coordinator"),
    Page("strategic sessions", COMMUNITY + "/civic-course/sessions", "coordinator"),
    Page("strategic session", COMMUNITY + "/civic-course/sessions/<int:session_id>", "coordinator"),
    Page("internships of a community", COMMUNITY + "/civic-course/internships", "coordinator"),
    Page("internships of a programme", PROGRAMME + "/internships", "operator"),
)


@dataclass
class Measurement:
    """Statements of each page (None: its route is not registered) on one data set."""

    communities: int
    statements: dict[str, list[str] | None] = field(default_factory=dict)



def give_coordinator_a_factor(handle: str) -> None:
    from sqlalchemy import select

    from hromada import tenancy
    from hromada.modules.accounts.models import User
    from hromada.modules.factors.testing import give_totp

    with tenancy.system_scope():
        give_totp(db.session.scalar(select(User.id).where(User.handle == handle)))
        db.session.commit()

def measure(database_url: str, n_communities: int, instance_path) -> Measurement:
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "query-counts",
        "HROMADA_PLUGINS": list(FIRST_PARTY_PLUGINS),
        "REDIS_URL": None,
        "HROMADA_PASSWORD_PROFILE": "fast",
        # What rendering each page costs: a kept page (hromada.caching.pages) would hide it.
        "HROMADA_PAGE_CACHE_SIZE": 0,
    })
    app.test_client_class = OneAppContextPerRequest
    measurement = Measurement(communities=n_communities)
    with app.app_context():
        report = scale.generate(n_communities)
        db.session.remove()
        rules = {rule.rule: rule for rule in app.url_map.iter_rules()}
        clients = {}
        statements: list[str] = []

        def count(_connection, _cursor, statement, _parameters, _context, _executemany):
            statements.append(statement)

        for page in PAGES:
            rule = rules.get(page.rule)
            if rule is None:
                measurement.statements[page.name] = None
                continue
            keys = {name: page.ids.get(name, name) for name in rule.arguments if name not in page.words}
            missing = sorted(name for name, key in keys.items() if key not in report.ids)
            assert not missing, f"the scale generator makes no object for {missing} of {page.rule}"
            path = rule.build({**{name: report.ids[key] for name, key in keys.items()}, **page.words},
                              append_unknown=False)[1]
            if page.role not in clients:
                clients[page.role] = app.test_client()
                if page.role == "coordinator":  # the community's data asks for a recent second factor
                    give_coordinator_a_factor(report.sign_ins["coordinator"])
                if page.role is not None:
                    response = sign_in(clients[page.role], report.sign_ins[page.role], scale.SCALE_PASSWORD)
                    assert response.status_code == 302, f"{page.role} cannot sign in"
            client = clients[page.role]
            assert client.get(path).status_code == 200, f"{page.name}: {path}"
            statements.clear()
            event.listen(db.engine, "before_cursor_execute", count)
            try:
                response = client.get(path)
            finally:
                event.remove(db.engine, "before_cursor_execute", count)
            assert response.status_code == 200, f"{page.name}: {path} answered {response.status_code}"
            measurement.statements[page.name] = list(statements)
        db.session.remove()
        db.engine.dispose()
    return measurement


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def measurements(request, tmp_path_factory) -> tuple[Measurement, Measurement]:
    """The statements of every page on the small and on the large data set, on one backend."""
    folder = tmp_path_factory.mktemp(f"query-counts-{request.param}")
    results = []
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        for n in (SMALL, LARGE):
            path = folder / f"{n}.sqlite3"
            shutil.copyfile(template, path)
            results.append(measure(f"sqlite:///{path}", n, folder))
    else:
        owner_url, app_url = request.getfixturevalue("postgres_owner_database")
        try:
            for n in (SMALL, LARGE):
                _empty_postgres_tables(owner_url)
                results.append(measure(app_url, n, folder))
        finally:
            _empty_postgres_tables(owner_url)  # the next test expects empty tables
    return results[0], results[1]


def shown(statements: list[str]) -> str:
    return "\n".join(f"  {number:>3}. {' '.join(statement.split())[:160]}" for number, statement in enumerate(statements, 1))


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_the_page_needs_no_more_queries_on_ten_times_the_data(measurements, page):
    small, large = measurements
    if small.statements[page.name] is None:
        pytest.skip(f"{page.rule} is not registered (its module has not landed yet)")
    before, after = small.statements[page.name], large.statements[page.name]
    assert len(after) <= len(before), (
        f"{page.name} ({page.rule}) issues {len(before)} statements with {small.communities} communities "
        f"and {len(after)} with {large.communities}.\nSmall:\n{shown(before)}\nLarge:\n{shown(after)}"
    )


# Issue 15: the two long lists of scholarships, rendered afresh, in at most this many statements.
SCHOLARSHIP_LISTS = ("applications of a scholarship call", "applications assigned to a reviewer")
SCHOLARSHIP_LIST_STATEMENTS = 12


@pytest.mark.parametrize("name", SCHOLARSHIP_LISTS)
def test_the_scholarship_lists_need_at_most_twelve_statements(measurements, name):
    for measurement in measurements:
        statements = measurement.statements[name]
        assert statements is not None, f"{name} is not registered"
        assert len(statements) <= SCHOLARSHIP_LIST_STATEMENTS, (
            f"{name} issues {len(statements)} statements with {measurement.communities} communities:\n"
            f"{shown(statements)}")


def test_the_main_pages_are_measured(measurements):
    # The file is not vacuous: the pages that exist today are all counted.
    small, _large = measurements
    measured = [name for name, statements in small.statements.items() if statements is not None]
    assert {"home", "community overview", "staff list, as an operator"} <= set(measured)


@pytest.mark.real_commits  # counts every statement the page sends: a savepoint's would count too
def test_the_health_check_runs_one_primary_key_query(app, client):
    statements: list[str] = []

    def count(_connection, _cursor, statement, *_rest):
        statements.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get("/health")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok"
    assert response.mimetype == "text/plain"
    queries = [statement for statement in statements if "set_config" not in statement]  # the tenancy context
    assert len(queries) == 1, statements
    assert queries[0].startswith("SELECT") and "FROM organisations" in queries[0] and "organisations.id =" in queries[0]


def test_the_health_check_says_unavailable_when_the_database_is_gone(monkeypatch, tmp_path):
    monkeypatch.setenv("HROMADA_INSTANCE_PATH", str(tmp_path))
    # A SQLite file in a folder that does not exist cannot be opened.
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing' / 'x.sqlite3'}",
                      "SECRET_KEY": "x", "HROMADA_PLUGINS": []})
    response = app.test_client().get("/health")
    assert response.status_code == 503 and response.get_data(as_text=True) == "unavailable"


# --- The job outbox (issue 18) ---------------------------------------------------------------------------------


def statements_of(action) -> int:
    statements: list[str] = []

    def count(_connection, _cursor, statement, *_rest):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def make_due(jobs, how_many: int) -> None:
    """`how_many` jobs enqueued while Redis was down: due at once."""
    from unittest import mock

    from redis.exceptions import ConnectionError as RedisDown

    with mock.patch.object(type(jobs), "_send", side_effect=RedisDown):
        for number in range(how_many):
            jobs.enqueue("events.reminders", tenant_id=1, as_of=f"2027-01-01T00:{number:02d}:00+00:00")


@pytest.mark.redis
@pytest.mark.real_commits  # counts every statement: a savepoint's would count too
def test_enqueueing_and_sweeping_need_as_many_statements_for_many_jobs_as_for_few(app_config, redis_url, tmp_path,
                                                                                  monkeypatch):
    from hromada.testing.fixtures import delete_own_redis_keys

    monkeypatch.setenv("HROMADA_INSTANCE_PATH", str(tmp_path))
    app = create_app({**app_config, "REDIS_URL": redis_url})
    with app.app_context():
        jobs = app.extensions["hromada.jobs"]
        enqueue = lambda: jobs.enqueue("events.reminders", tenant_id=1, as_of="2027-01-01T12:00:00+00:00")  # noqa: E731
        enqueue()  # warms the statement caches
        alone = statements_of(enqueue)
        make_due(jobs, 30)
        assert statements_of(enqueue) == alone <= 2  # the job's row, and on PostgreSQL the tenancy context

        few = statements_of(jobs.sweep)  # the 30: sent
        make_due(jobs, 3)
        assert statements_of(jobs.sweep) == few
        delete_own_redis_keys(jobs.connection())
        db.session.remove()
        db.engine.dispose()


# --- The fixed cost of a signed-in request (issues 15 and 17) ------------------------------------------------


def statements_of_request(client, path: str) -> list[str]:
    """The SQL a request sends (the tenancy context's set_config aside), on its second run: the first
    may touch the session row or warm caches."""
    assert client.get(path).status_code == 200
    statements: list[str] = []

    def count(_connection, _cursor, statement, *_rest):
        statements.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return [statement for statement in statements if "set_config" not in statement]


@pytest.mark.real_commits  # counts every statement the page sends: a savepoint's would count too
def test_a_signed_in_request_reads_its_session_person_and_roles_in_one_statement(world, app, client):
    sign_in(client, "member-a")

    statements = statements_of_request(client, "/notifications")

    # The session, the person and their roles; then the page's own list.
    assert len(statements) == 2, "\n".join(statements)
    assert all(table in statements[0] for table in ("user_sessions", "staff_memberships", "community_memberships"))
    assert "FROM notifications" in statements[1]


@pytest.mark.real_commits
def test_the_roles_read_with_the_session_are_the_persons_own(world, app, client):
    # A coordinator of A's first community reaches its pages and nothing of B's, through the one statement.
    sign_in(client, "coordinator-a")
    own, other = world.sides[0].communities[0].id, world.sides[1].communities[0].id

    assert client.get(f"/communities/{own}").status_code == 200
    assert client.get(f"/communities/{other}").status_code == 404


@pytest.mark.real_commits
def test_a_cookie_naming_someone_else_gives_the_session_only_its_own_persons_roles(world, app, client):
    # The cookie names whose session it is, so the one statement may read that person's memberships; a
    # cookie that names another person (it is signed, so only the app itself could write one) must not
    # lend their roles to the session.
    sign_in(client, "member-a")
    with client.session_transaction() as session:
        session["hromada_user"] = world.sides[1].people["coordinator"].id
    own, other = world.sides[0].communities[0].id, world.sides[1].communities[0].id

    assert client.get(f"/communities/{other}").status_code == 404
    assert client.get(f"/communities/{own}").status_code == 200
    with client.session_transaction() as session:
        assert session["hromada_user"] == world.sides[0].people["member"].id  # set right for the next request


@pytest.mark.real_commits
def test_a_signed_out_session_is_refused_although_the_cookie_names_its_person(world, app, client):
    sign_in(client, "member-a")
    with client.session_transaction() as session:
        copied = dict(session)
    assert copied["hromada_user"] == world.sides[0].people["member"].id
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/account")})
    with client.session_transaction() as session:
        session.clear()
        session.update(copied)  # the signed-out session's cookie, kept by someone who copied it

    response = client.get("/notifications")

    assert response.status_code == 302 and "/sign-in" in response.location


@pytest.mark.real_commits  # counts the real transactions: the tests' savepoints would add their own
def test_a_signed_in_page_costs_one_round_trip_more_than_the_health_check(world, app, client, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("round trips to PostgreSQL")
    from hromada.testing.round_trips import traced

    sign_in(client, "member-a")
    anonymous = app.test_client()
    with traced(db.engine) as trace:
        anonymous.get("/health")
        client.get("/notifications")
        trace.restart()
        assert anonymous.get("/health").status_code == 200
        health = trace.round_trips()
        trace.restart()
        assert client.get("/notifications").status_code == 200
        page = trace.round_trips()

    # The pool's ping, BEGIN, the one query, COMMIT; the page adds its own query only: BEGIN carries the
    # signed context, and the session, the person and the roles come in one statement.
    assert len(health) == 4, health
    assert len(page) == len(health) + 1, page
    assert page[1].startswith('query "BEGIN; SELECT set_config(') and "app.context_signature" in page[1]


@pytest.mark.real_commits
def test_an_audit_entry_is_one_statement(world, app):
    from hromada import tenancy
    from hromada.modules.audit.log import record

    with app.test_request_context(), tenancy.scope(organisation_id=world.sides[0].organisation.id):
        count = statements_of(lambda: record("staff.read_community", organisation_id=world.sides[0].organisation.id))
        db.session.rollback()

    assert count == 1  # the INSERT, with the id from the sequence inside it rather than asked for first
