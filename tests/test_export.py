"""A community takes its data with it: a coordinator downloads a ZIP of CSV files (issue 12, section 5).

Run on SQLite and on PostgreSQL (as the app's role, under row-level security). The archive is
validated as a Frictionless Data Package, as a person who received it would.
"""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from frictionless import Package, validate
from sqlalchemy import event, select, update

from hromada import tenancy
from hromada.clock import now
from hromada.extensions import db
from hromada.modules.accounts.models import User
from hromada.modules.audit.models import AuditEvent
from hromada.modules.consultations.testing import add_consultation
from hromada.modules.decisions.models import Proposal, Stance
from hromada.modules.decisions.testing import add_position, make_proposal
from hromada.tenancy import Tenant, is_tenant_owned
from hromada.testing.factories import signed_in
from hromada.modules.factors.testing import give_totp



@pytest.fixture(autouse=True)
def people_of_the_communities_have_a_second_factor(request):
    """Exporting and erasing ask for a second factor confirmed in the last 10 minutes: the communities'
    people here have one (the member may become a second coordinator), and sign in with it."""
    if "world" not in request.fixturenames:
        return
    world = request.getfixturevalue("world")
    for side in (world.a, world.b):
        for role in ("coordinator", "member"):
            give_totp(side.people[role].id)
    db.session.commit()
    db.session.remove()

def export_path(community_id: int) -> str:
    return f"/communities/{community_id}/export.zip"


def seed(world) -> dict:
    """Side A's first community with decisions and a consultation; side B's with its own secrets."""
    a1, b1 = world.a.communities[0].id, world.b.communities[0].id
    coordinator, member = world.a.people["coordinator"], world.a.people["member"]
    with tenancy.system_scope():
        db.session.execute(update(User).where(User.id == coordinator.id).values(email="coordinator-a@example.org"))
        db.session.execute(update(User).where(User.id == member.id).values(email="member-a@example.org"))
        closed = make_proposal(a1, coordinator, title="Closed proposal", opened_days_ago=10, days=7)
        closed.closed_at, closed.passed = now(), True
        add_position(closed, member, Stance.CONSENT, "closed-position-reason")
        still_open = make_proposal(a1, coordinator, title="Open proposal")
        add_position(still_open, member, Stance.OBJECT, "open-position-reason")
        make_proposal(b1, world.b.people["coordinator"], title="secret-b1 proposal")
        db.session.commit()
    add_consultation(a1, staff_id=world.a.people["expert"].id, requested_by_id=coordinator.id,
                     marker="consultation-a1", notes="confidential-note-text")
    return {"a1": a1, "b1": b1}


def unzip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(response.get_data()))


def rows(archive: zipfile.ZipFile, table: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(f"data/{table}.csv").decode("utf-8"))))


def test_every_tenant_owned_table_is_in_the_export(app):
    """A module or plugin that adds a community's table without exporting it fails here."""
    registered = {table.name for table in app.extensions["hromada.export_tables"]}
    models = [model for listed in app.extensions["hromada.plugins"].hook.hromada_models() for model in listed]
    owned = {model.__table__.name for model in models if is_tenant_owned(model) or issubclass(model, Tenant)}
    assert owned - registered == set()
    assert "decision_positions" in owned and "civic_problem_dots" in owned  # the walk found the plugins' tables


def test_a_coordinator_downloads_everything_the_community_has(app, world, tmp_path):
    ids = seed(world)
    client = signed_in(app, "coordinator-a")
    response = client.get(export_path(ids["a1"]))
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith(f'attachment; filename="community-{ids["a1"]}-')
    archive = unzip(response)
    names = set(archive.namelist())
    assert {"README.txt", "datapackage.json", "data/communities.csv", "data/decision_proposals.csv",
            "data/consultations.csv", "data/accelerator_charter_values.csv"} <= names
    everything = b"".join(archive.read(name) for name in names).decode("utf-8")

    assert [row["name"] for row in rows(archive, "communities")] == [world.a.communities[0].name]
    assert sorted(row["title"] for row in rows(archive, "decision_proposals")) == ["Closed proposal", "Open proposal"]
    # Side B's rows are nowhere, nor the other community of side A.
    assert "secret-b1" not in everything and "secret-a2" not in everything
    # People by handle; the coordinator's own e-mail address only, in their own row.
    memberships = {row["user"]: row for row in rows(archive, "community_memberships")}
    assert memberships["coordinator-a"]["email"] == "coordinator-a@example.org"
    assert memberships["member-a"]["email"] == ""
    assert "member-a@example.org" not in everything
    assert {row["proposed_by"] for row in rows(archive, "decision_proposals")} == {"coordinator-a"}
    # The member's position on the closed proposal, not the one on the proposal the coordinator has
    # not taken a position on: the coordinator does not read it on the pages either.
    assert [row["reason"] for row in rows(archive, "decision_positions")] == ["closed-position-reason"]
    assert "open-position-reason" not in everything
    # The consultation is there, its confidential notes are not, and the README says so.
    (consultation,) = rows(archive, "consultations")
    assert consultation["summary"] == "Summary consultation-a1" and "private_notes" not in consultation
    assert "confidential-note-text" not in everything
    readme = archive.read("README.txt").decode("utf-8")
    assert "Confidential notes of consultations" in readme
    assert "data_keys: the community's key" in readme

    # The archive is a valid Frictionless Data Package: every CSV matches its schema.
    archive.extractall(tmp_path)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = Package(str(tmp_path / "datapackage.json"))
    assert {resource.name for resource in package.resources} >= {"decision_positions", "community_memberships"}


def test_the_readme_is_in_the_coordinators_language(app, world):
    ids = seed(world)
    with tenancy.system_scope():
        db.session.execute(update(User).where(User.handle == "coordinator-a").values(language="uk"))
        db.session.commit()
    archive = unzip(signed_in(app, "coordinator-a").get(export_path(ids["a1"])))
    readme = archive.read("README.txt").decode("utf-8")
    assert "Дані громади" in readme and "Конфіденційні нотатки" in readme


def test_the_export_is_audited(app, world):
    ids = seed(world)
    signed_in(app, "coordinator-a").get(export_path(ids["a1"])).get_data()
    with tenancy.system_scope():
        entries = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export.downloaded")).all()
        assert [(entry.community_id, entry.actor_id) for entry in entries] == [
            (ids["a1"], world.a.people["coordinator"].id)]


@pytest.mark.parametrize("handle", ["member-a", "mentor-a", "operator-a", "coordinator-b", "platform-admin"])
def test_only_the_communitys_coordinators_export_it(app, world, handle):
    ids = seed(world)
    client = signed_in(app, handle)
    for path in (export_path(ids["a1"]), f"/communities/{ids['a1']}/export"):
        assert client.get(path).status_code in (403, 404), (handle, path)


def test_the_coordinator_finds_the_page_from_the_community(app, world):
    ids = seed(world)
    client = signed_in(app, "coordinator-a")
    overview = client.get(f"/communities/{ids['a1']}").get_data(as_text=True)
    assert f'href="/communities/{ids["a1"]}/export"' in overview
    page = client.get(f"/communities/{ids['a1']}/export").get_data(as_text=True)
    assert f'href="/communities/{ids["a1"]}/export.zip"' in page
    assert f'href="/communities/{ids["a1"]}/export"' not in signed_in(app, "member-a").get(
        f"/communities/{ids['a1']}").get_data(as_text=True)


def _statements_of_an_export(app, community_id: int) -> int:
    client = signed_in(app, "coordinator-a")
    statements: list[str] = []

    def count(_connection, _cursor, statement, *_rest):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        client.get(export_path(community_id)).get_data()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_the_export_needs_no_more_statements_for_more_rows(app, world):
    ids = seed(world)
    coordinator = world.a.people["coordinator"]
    before = _statements_of_an_export(app, ids["a1"])
    with tenancy.system_scope():
        for number in range(60):
            make_proposal(ids["a1"], coordinator, title=f"Proposal {number}")
        db.session.commit()
    after = _statements_of_an_export(app, ids["a1"])
    assert after == before
    with tenancy.system_scope():
        assert db.session.scalar(select(db.func.count(Proposal.id)).where(Proposal.tenant_id == ids["a1"])) == 62


def test_a_coordinator_without_a_second_factor_sets_one_up_before_exporting(app, world):
    from hromada.modules.accounts.models import CommunityMembership, CommunityRole
    from hromada.testing.factories import make_user

    with tenancy.system_scope():
        newcomer = make_user("coordinator-new")
        db.session.add(CommunityMembership(tenant_id=world.a.communities[0].id, user_id=newcomer.id,
                                           role=CommunityRole.COORDINATOR))
        db.session.commit()
    client = signed_in(app, "coordinator-new")
    for path in (export_path(world.a.communities[0].id), export_path(world.a.communities[0].id)[:-len(".zip")]):
        response = client.get(path)
        assert response.status_code == 302 and "/account/second-factors/app" in response.location, path
