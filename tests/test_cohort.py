"""The operator's cohort overview: rows, filters, sorting, CSV export, the funnel and its cost,
on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event, select, update

from hromada import tenancy
from hromada.contributions import CohortColumn, Outcome, Requirement
from hromada.extensions import db
from hromada.hookspecs import hookimpl
from hromada.modules.audit.models import AuditEvent
from hromada.modules.communities.models import Community
from hromada.modules.progress.testing import add_communities, add_stages, enrolment_of, name_first_stages, set_enrolment
from hromada.testing.browser import enter_second_factor
from hromada.testing.factories import sign_in
from hromada.testing.fixtures import csrf_token


@pytest.fixture
def enabled_plugins():
    # The core only: no stage plugin adds requirements or sections these tests do not set up.
    return []


def cohort_reads() -> list[AuditEvent]:
    """The cohort reads recorded, in order: the audit log is readable to system work only, here."""
    with tenancy.system_scope():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "staff.read_cohort")
                                       .order_by(AuditEvent.id)))


@pytest.fixture
def world(world):
    name_first_stages(world)  # pages name the stages without their stage type plugin
    return world


@pytest.fixture
def operator(app, world):
    client = app.test_client()
    sign_in(client, "operator-a")
    return client


def cohort_path(world, suffix="cohort") -> str:
    return f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}/{suffix}"


def advance(client, world, enrolment_id, stage_id, override=False):
    path = (f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}"
            f"/enrolments/{enrolment_id}/advance")
    data = {"advance-csrf_token": csrf_token(client, path), "advance-stage_id": stage_id}
    if override:
        data.update({"advance-override": "y", "advance-reason": "for the test"})
    response = client.post(path, data=data)
    assert response.status_code == 303
    return response


def withdraw(client, world, enrolment_id, stage_id):
    path = (f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}"
            f"/enrolments/{enrolment_id}/withdraw")
    token = csrf_token(client, path.replace("/withdraw", "/advance"))
    response = client.post(path, data={"withdraw-csrf_token": token, "withdraw-stage_id": stage_id,
                                       "withdraw-reason": "moved away"})
    assert response.status_code == 303


def rename(community_id: int, name: str) -> None:
    with tenancy.system_scope():
        db.session.execute(update(Community).where(Community.id == community_id).values(name=name))
        db.session.commit()


def table_rows(page: str) -> list[str]:
    """The names in the cohort table, in order."""
    body = page.split('<table class="cohort"', 1)[1]
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', body)


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


class ReportColumn:
    """A test plugin: a stage requirement met by even enrolment ids, and a text column."""

    @hookimpl
    def hromada_stage_requirements(self, stage):
        def evaluate(stage, enrolments):
            return {e.id: Outcome(e.id % 2 == 0, "no report yet") for e in enrolments}

        return [Requirement("test.report", "A report is written", evaluate)]

    @hookimpl
    def hromada_cohort_columns(self, programme, enrolments):
        return [CohortColumn("test.motto", "Motto", {e.id: f"=cmd|' /C calc'!A{e.id}" for e in enrolments})]


def test_the_cohort_lists_every_community_with_its_stage_and_requirements(own_app, app, world, operator):
    app.extensions["hromada.plugins"].register(ReportColumn(), name="test-report")
    first, second = add_stages(world.a, "Accelerator")
    a1, a2 = (enrolment_of(c.id, world.a.programme.id) for c in world.a.communities)
    set_enrolment(a1.id, last_activity_at=datetime(2026, 11, 1, 12, tzinfo=timezone.utc))
    response = operator.get(cohort_path(world))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "secret-a1" in page and "secret-a2" in page and "secret-b" not in page
    assert "Motto" in page  # a plugin's column
    even = a1 if a1.id % 2 == 0 else a2
    odd = a2 if even is a1 else a1
    assert page.count("<td>1 of 1</td>") == 1 and page.count("<td>0 of 1</td>") == 1
    # One action per row, a link (no form): the page where the operator advances or withdraws it.
    table = page.split('<table class="cohort"', 1)[1].split("</table>", 1)[0]
    assert "<form" not in table
    for enrolment in (even, odd):
        assert f'/enrolments/{enrolment.id}/advance?next=' in table
    assert "Page 1 of 1" in page and 'rel="next"' not in page and 'rel="prev"' not in page
    assert "Nov 1, 2026" in page and "none yet" in page
    events = cohort_reads()
    assert len(events) == 1
    assert events[0].organisation_id == world.a.organisation.id
    assert events[0].details["communities"] == sorted([a1.tenant_id, a2.tenant_id])


def test_only_the_organisations_operators_open_the_cohort(app, world):
    for handle, status in (("mentor-a", 403), ("facilitator-a", 403), ("coordinator-a", 404),
                           ("member-a", 404), ("operator-b", 404), ("platform-admin", 404)):
        client = app.test_client()
        sign_in(client, handle)
        for suffix in ("cohort", "cohort.csv"):
            response = client.get(cohort_path(world, suffix))
            assert response.status_code == status, (handle, suffix)
            assert "secret-a" not in response.get_data(as_text=True)


def test_filters_and_sorting(app, world, operator):
    first, second = add_stages(world.a, "Accelerator")
    a1, a2 = (enrolment_of(c.id, world.a.programme.id) for c in world.a.communities)
    extra = add_communities(world.a, 2, prefix="Zebra")
    rename(world.a.communities[0].id, "Alpha secret-a1")
    rename(world.a.communities[1].id, "Beta secret-a2")
    advance(operator, world, a2.id, first.id)
    withdraw(operator, world, extra[0].id, first.id)
    now = datetime.now(timezone.utc)
    set_enrolment(a1.id, last_activity_at=now - timedelta(days=40))
    set_enrolment(extra[1].id, last_activity_at=now - timedelta(days=1))

    def names(**query):
        response = operator.get(cohort_path(world), query_string=query)
        assert response.status_code == 200, response.get_data(as_text=True)
        return table_rows(response.get_data(as_text=True))

    assert names(sort="community") == ["Alpha secret-a1", "Beta secret-a2", "Zebra 000", "Zebra 001"]
    assert names(sort="community", order="desc") == ["Zebra 001", "Zebra 000", "Beta secret-a2", "Alpha secret-a1"]
    assert names(stage=str(second.id)) == ["Beta secret-a2"]
    assert names(status="withdrawn") == ["Zebra 000"]
    assert names(stage=str(first.id), sort="community") == ["Alpha secret-a1", "Zebra 000", "Zebra 001"]
    assert names(q="zEbRa", sort="community") == ["Zebra 000", "Zebra 001"]
    # Stalled: no activity for the programme's 14 days, never-active ones counted from their enrolment.
    assert names(stalled="y") == ["Alpha secret-a1"]
    # Rows without a value come last, whichever the order.
    assert names(sort="last_activity") == ["Alpha secret-a1", "Zebra 001", "Beta secret-a2", "Zebra 000"]
    assert names(sort="last_activity", order="desc") == ["Zebra 001", "Alpha secret-a1", "Beta secret-a2", "Zebra 000"]
    assert names(sort="status")[-1] == "Zebra 000"


@pytest.mark.parametrize("query, message", [
    ({"status": "lost"}, "Choose a status from the list."),
    ({"stage": "999999"}, "Choose a stage from the list."),
    ({"stage": "abc"}, "Choose a stage from the list."),
    ({"sort": "password_hash"}, "Choose a column from the list."),
    ({"order": "sideways"}, "Choose an order from the list."),
    ({"q": "x" * 101}, "At most 100 characters."),
])
def test_bad_filters_are_refused_with_a_message(app, world, operator, query, message):
    page = operator.get(cohort_path(world), query_string=query)
    assert page.status_code == 400 and message in page.get_data(as_text=True)
    assert '<table class="cohort"' not in page.get_data(as_text=True)
    export = operator.get(cohort_path(world, "cohort.csv"), query_string=query)
    assert export.status_code == 400 and message in export.get_data(as_text=True)


def test_the_csv_export_has_the_filtered_rows_and_runs_no_formula(own_app, app, world, operator):
    app.extensions["hromada.plugins"].register(ReportColumn(), name="test-report")
    first, second = add_stages(world.a, "Accelerator")
    a1, a2 = (enrolment_of(c.id, world.a.programme.id) for c in world.a.communities)
    rename(world.a.communities[0].id, "=HYPERLINK(\"http://evil.example\",\"click\")")
    rename(world.a.communities[1].id, "@SUM(1+1) secret-a2")
    with tenancy.system_scope():
        from hromada.modules.programmes.models import Programme

        db.session.execute(update(Programme).where(Programme.id == world.a.programme.id)
                           .values(slug='programme-a"; evil=1'))
        db.session.commit()
    set_enrolment(a1.id, last_activity_at=datetime(2026, 11, 2, tzinfo=timezone.utc))

    response = operator.get(cohort_path(world, "cohort.csv"), query_string={"sort": "community"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="cohort-programme-a-evil-1-\d{4}-\d{2}-\d{2}\.csv"', disposition)
    rows = read_csv(response)
    assert rows[0][:5] == ["Community", "Stage", "Status", "Requirements met", "Last activity"]
    motto = rows[0].index("Motto")  # a plugin's column, after the built-in ones
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"'=HYPERLINK(\"http://evil.example\",\"click\")", "'@SUM(1+1) secret-a2"}
    first_row = by_name["'=HYPERLINK(\"http://evil.example\",\"click\")"]
    assert first_row[1] == "Incubator" and first_row[2] == "Admitted"
    assert first_row[3] in ("0/1", "1/1") and first_row[4] == "2026-11-02"
    assert first_row[motto].startswith("'=cmd|")
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)

    only_a2 = read_csv(operator.get(cohort_path(world, "cohort.csv"), query_string={"q": "secret-a2"}))
    assert [row[0] for row in only_a2[1:]] == ["'@SUM(1+1) secret-a2"]
    audit = cohort_reads()
    assert [event.details["view"] for event in audit] == ["csv", "csv"]


def test_the_funnel_counts_who_entered_and_completed_each_stage(app, world, operator):
    first, second, third = add_stages(world.a, "Accelerator", "Civic course")
    a1, a2 = (enrolment_of(c.id, world.a.programme.id) for c in world.a.communities)
    extra = add_communities(world.a, 3, prefix="Extra")
    advance(operator, world, a1.id, first.id)
    advance(operator, world, a1.id, second.id)
    advance(operator, world, a1.id, third.id)  # completed the programme
    advance(operator, world, a2.id, first.id)
    withdraw(operator, world, a2.id, second.id)
    advance(operator, world, extra[0].id, first.id)
    withdraw(operator, world, extra[1].id, first.id)

    page = operator.get(cohort_path(world)).get_data(as_text=True)
    funnel = page.split('<table class="funnel-table">', 1)[1].split("</table>", 1)[0]
    counts = re.findall(r"<tr><th scope=\"row\">\d+\. ([^<]+)</th><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td></tr>", funnel)
    assert counts == [
        ("Incubator", "5", "3", "1"),
        ("Accelerator", "3", "1", "1"),
        ("Civic course", "1", "1", "0"),
    ]
    chart = page.split('<dl class="funnel-rows">', 1)[1].split("</dl>", 1)[0]
    bars = re.findall(r'<dt[^>]*>([^<]+)</dt>.*?(\d+)<span class="visually-hidden"> entered</span>'
                      r'.*?(\d+)<span class="visually-hidden"> completed</span>', chart, re.S)
    assert bars == [("1. Incubator", "5", "3"), ("2. Accelerator", "3", "1"), ("3. Civic course", "1", "1")]
    completed = operator.get(cohort_path(world), query_string={"status": "completed"}).get_data(as_text=True)
    assert table_rows(completed) == ["Community A1 secret-a1"]


def page_links(page: str) -> dict[str, str]:
    """rel -> href of the cohort's page links."""
    return {rel: href.replace("&amp;", "&") for rel, href in re.findall(r'<a rel="(next|prev)" href="([^"]+)"', page)}


def test_a_large_cohort_is_shown_a_page_at_a_time_in_the_chosen_order(app, world, operator):
    app.config["HROMADA_COHORT_PAGE_SIZE"] = 2
    add_communities(world.a, 3, prefix="Zebra")  # 5 communities: 3 pages of 2
    rename(world.a.communities[0].id, "Alpha secret-a1")
    rename(world.a.communities[1].id, "Beta secret-a2")

    first = operator.get(cohort_path(world), query_string={"sort": "community"}).get_data(as_text=True)
    assert table_rows(first) == ["Alpha secret-a1", "Beta secret-a2"]
    assert "Page 1 of 3" in first and "5 communities are enrolled." in first
    links = page_links(first)
    assert set(links) == {"next"}
    second = operator.get(links["next"]).get_data(as_text=True)
    assert table_rows(second) == ["Zebra 000", "Zebra 001"]
    assert "Page 2 of 3" in second and set(page_links(second)) == {"prev", "next"}
    third = operator.get(page_links(second)["next"]).get_data(as_text=True)
    assert table_rows(third) == ["Zebra 002"] and set(page_links(third)) == {"prev"}
    assert table_rows(operator.get(page_links(third)["prev"]).get_data(as_text=True)) == ["Zebra 000", "Zebra 001"]

    # Sorted the other way, the first community is on the last page; a sort link starts again at page 1.
    backwards = operator.get(cohort_path(world), query_string={"sort": "community", "order": "desc", "page": "3"})
    assert table_rows(backwards.get_data(as_text=True)) == ["Alpha secret-a1"]
    header = re.search(r'<a href="([^"]+)">Community ↓</a>', backwards.get_data(as_text=True)).group(1)
    assert "page=" not in header
    # A page past the end shows the last one; a page that is not a number is refused.
    assert "Page 3 of 3" in operator.get(cohort_path(world), query_string={"page": "9"}).get_data(as_text=True)
    refused = operator.get(cohort_path(world), query_string={"page": "two"})
    assert refused.status_code == 400 and "There is no such page." in refused.get_data(as_text=True)
    # Only the communities on the page are recorded as read.
    audit = cohort_reads()
    assert len(audit[0].details["communities"]) == 2 and audit[0].details["page"] == 1


def test_filters_and_the_order_stay_on_every_page(app, world, operator):
    app.config["HROMADA_COHORT_PAGE_SIZE"] = 2
    add_communities(world.a, 4, prefix="Zebra")
    add_communities(world.a, 2, prefix="Yak")
    query = {"q": "zebra", "sort": "community", "order": "desc"}
    first = operator.get(cohort_path(world), query_string=query).get_data(as_text=True)
    assert table_rows(first) == ["Zebra 003", "Zebra 002"]
    assert "4 communities match these filters." in first and "Page 1 of 2" in first
    following = page_links(first)["next"]
    assert all(f"{key}={value}" in following for key, value in query.items())
    assert table_rows(operator.get(following).get_data(as_text=True)) == ["Zebra 001", "Zebra 000"]


def test_sorting_by_a_computed_column_orders_the_whole_cohort_before_cutting_it_into_pages(
        own_app, app, world, operator):
    app.extensions["hromada.plugins"].register(ReportColumn(), name="test-report")
    app.config["HROMADA_COHORT_PAGE_SIZE"] = 2
    extra = add_communities(world.a, 4, prefix="Zebra")
    enrolments = [enrolment_of(c.id, world.a.programme.id) for c in world.a.communities] + extra
    met = sorted((e for e in enrolments if e.id % 2 == 0), key=lambda e: e.id)  # the test requirement's rule
    names = []
    path = cohort_path(world) + "?sort=requirements&order=desc"
    while path:
        page = operator.get(path).get_data(as_text=True)
        assert "Download 6 rows as CSV" in page  # every matching row, not the page's two
        names += table_rows(page)
        path = page_links(page).get("next")
    # Page after page, every community whose requirement is met comes before every one whose requirement is
    # open (as in the export, which has the same order), whichever page it would be on sorted by name.
    full = operator.get(cohort_path(world, "cohort.csv"), query_string={"sort": "requirements", "order": "desc"})
    csv_rows = read_csv(full)[1:]
    assert [row[0] for row in csv_rows] == names and len(names) == 6
    assert [row[3] for row in csv_rows] == ["1/1"] * len(met) + ["0/1"] * (6 - len(met))


class WordColumn:
    """A test plugin: a text column with upper- and lower-case words and rows without a value."""

    @hookimpl
    def hromada_cohort_columns(self, programme, enrolments):
        words = ("bravo", None, "Alpha", "charlie")
        return [CohortColumn("test.word", "Word", {e.id: words[e.id % 4] for e in enrolments})]


def test_sorting_by_a_text_column_pages_through_the_same_order_as_the_export(own_app, app, world, operator):
    """Sorted by a plugin's text column, kept in the read model or evaluated, page after page: the export's order
    (the value without regard to case, then the name; rows without a value last, in either direction)."""
    app.extensions["hromada.plugins"].register(WordColumn(), name="test-word")
    app.config["HROMADA_COHORT_PAGE_SIZE"] = 3
    extra = add_communities(world.a, 6, prefix="Zebra")

    def paged(order: str) -> list[str]:
        names, path = [], cohort_path(world) + f"?sort=test.word&order={order}"
        while path:
            page = operator.get(path).get_data(as_text=True)
            names += table_rows(page)
            path = page_links(page).get("next")
        return names

    for order in ("asc", "desc"):
        exported = read_csv(operator.get(cohort_path(world, "cohort.csv"),
                                         query_string={"sort": "test.word", "order": order}))
        column = exported[0].index("Word")
        words = [row[column] for row in exported[1:]]
        expected = sorted((w for w in words if w), key=str.casefold, reverse=order == "desc")
        assert words == expected + [""] * words.count("")  # without a value: last, either way
        first = paged(order)  # the first views evaluate the rows and keep what they found
        assert first == [row[0] for row in exported[1:]] and len(first) == 8
        assert paged(order) == first  # read back from the read model: the same order
    set_enrolment(extra[0].id, last_activity_at=datetime(2026, 11, 1, 12, tzinfo=timezone.utc))
    assert paged("asc") == [row[0] for row in read_csv(operator.get(
        cohort_path(world, "cohort.csv"), query_string={"sort": "test.word"}))[1:]]  # one row out of date


def test_the_csv_has_every_matching_row_whatever_the_page(app, world, operator):
    app.config["HROMADA_COHORT_PAGE_SIZE"] = 2
    add_communities(world.a, 5, prefix="Zebra")
    rows = read_csv(operator.get(cohort_path(world, "cohort.csv"), query_string={"sort": "community", "page": "2"}))
    assert [row[0] for row in rows[1:]] == ["Community A1 secret-a1", "Community A2 secret-a2"] + [
        f"Zebra {number:03d}" for number in range(5)]
    filtered = read_csv(operator.get(cohort_path(world, "cohort.csv"), query_string={"q": "zebra"}))
    assert len(filtered) == 1 + 5


def count_statements(client, path) -> int:
    statements = []

    def count(_connection, _cursor, statement, *_rest):
        statements.append(statement)

    client.application.config["HROMADA_PAGE_CACHE_SIZE"] = 0  # count what rendering the page costs
    client.get(path)  # warm up: the first request may touch the session row
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(statements)


def test_the_cohort_costs_the_same_number_of_queries_for_3_and_30_communities(own_app, app, world, operator):
    app.extensions["hromada.plugins"].register(ReportColumn(), name="test-report")
    first, second = add_stages(world.a, "Accelerator")
    extra = add_communities(world.a, 1)
    advance(operator, world, extra[0].id, first.id, override=True)
    small = {suffix: count_statements(operator, cohort_path(world, suffix)) for suffix in ("cohort", "cohort.csv")}

    more = add_communities(world.a, 27, prefix="More")
    for enrolment in more[:9]:
        advance(operator, world, enrolment.id, first.id, override=True)
    for enrolment in more[9:14]:
        set_enrolment(enrolment.id, last_activity_at=datetime.now(timezone.utc))
    large = {suffix: count_statements(operator, cohort_path(world, suffix)) for suffix in ("cohort", "cohort.csv")}
    assert large == small


@pytest.mark.browser
def test_an_operator_overrides_from_the_cohort_in_a_browser(own_app, app, world, page, page_activity):
    from playwright.sync_api import expect  # waits for the page, where a bare is_visible() raced the redirect

    from hromada.testing.factories import PASSWORD

    app.extensions["hromada.plugins"].register(ReportColumn(), name="test-report")
    first, second = add_stages(world.a, "Accelerator")
    a1 = enrolment_of(world.a.communities[0].id, world.a.programme.id)
    odd = a1 if a1.id % 2 else enrolment_of(world.a.communities[1].id, world.a.programme.id)
    name = "Community A1 secret-a1" if odd is a1 else "Community A2 secret-a2"

    page.goto("/sign-in")
    page.get_by_label("Handle or e-mail").fill("operator-a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    enter_second_factor(page, "operator-a")  # a code of the operator's authenticator app, computed here
    page.goto(cohort_path(world))
    expect(page.get_by_role("figure", name="Communities that entered and completed each stage")).to_be_visible()
    page.get_by_role("link", name=f"Advance or withdraw — {name}").click()
    expect(page.get_by_text("no report yet")).to_be_visible()
    page.get_by_role("button", name="Advance to the next stage").click()
    expect(page.get_by_text("Some requirements of this stage are still open.")).to_be_visible()
    page.get_by_label("Advance although requirements are open (override)").check()
    page.locator("#advance-reason").fill("Reported at the meeting")
    page.get_by_role("button", name="Advance to the next stage").click()
    expect(page.get_by_text("The community has moved to the next stage.")).to_be_visible()
    assert "/cohort" in page.url  # back where the operator came from

    page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("img", name="Stages of the programme")).to_be_visible()
    expect(page.get_by_text("Reported at the meeting")).to_be_visible()
    assert page_activity.requests_elsewhere() == []
    # The refused first attempt answered 400, as it should; nothing else (no CSP violation) was logged.
    assert [e for e in page_activity.console_errors if "status of 400" not in e] == []
    assert len(page_activity.console_errors) == 1
