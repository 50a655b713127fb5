"""Kept pages (hromada.caching): a progress page or cohort seen again is not rendered again, and yet
every change shows on the next view, whoever made it and however; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import delete, event, select, update

from hromada import tenancy
from hromada.caching import pages
from hromada.caching.versions import DataVersion, PLATFORM, cohort_name
from hromada.extensions import db
from hromada.modules.accounts.models import CommunityMembership, CommunityRole, StaffMembership
from hromada.modules.audit.models import AuditEvent
from hromada.modules.communities.activity import record_activity
from hromada.modules.communities.models import Community, Enrolment
from hromada.modules.programmes.models import Stage
from hromada.modules.progress.testing import add_stages, enrolment_of, name_first_stages
from hromada.testing.factories import signed_in
from hromada.testing.fixtures import csrf_token


@pytest.fixture
def enabled_plugins():
    return []


@pytest.fixture
def world(world):
    name_first_stages(world)  # pages name the stages without their stage type plugin
    add_stages(world.a)
    return world


def progress_path(world, community=0) -> str:
    return f"/communities/{world.a.communities[community].id}/programmes/{world.a.programme.id}/progress"


def cohort_path(world) -> str:
    return f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}/cohort"


def viewed(client, path) -> tuple[str, int]:
    """The page's text and how many SQL statements it took."""
    statements = []

    def count(*_arguments):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200, path
    return response.get_data(as_text=True), len(statements)


def main_of(page: str) -> str:
    return page[page.index("<main"):page.index("</main>")]


def navigation_of(page: str) -> str:
    return page[page.index("<header"):page.index("</header>")]


def rename(community_id: int, name: str) -> None:
    """The community's coordinator renames it: a write in the community's own context."""
    with tenancy.scope(tenant_id=community_id):
        db.session.get(Community, community_id).name = name
        db.session.commit()


def test_a_page_seen_again_is_served_without_being_rendered_again(app, world):
    member = signed_in(app, "member-a")
    viewed(member, progress_path(world))  # the first view of a session touches its row
    member.application.extensions.pop("hromada.pages", None)
    first, rendering = viewed(member, progress_path(world))
    again, kept = viewed(member, progress_path(world))
    assert main_of(again) == main_of(first)
    assert kept < rendering, (kept, rendering)


def test_every_change_to_a_community_shows_on_its_next_view(app, world):
    member = signed_in(app, "member-a")
    a1 = world.a.communities[0]
    assert "admitted since" in viewed(member, progress_path(world))[0]

    rename(a1.id, "Renamed by its coordinator")  # the community's own row
    assert "Renamed by its coordinator" in viewed(member, progress_path(world))[0]

    with tenancy.scope(tenant_id=a1.id):  # a bulk UPDATE in the community's context (its activity)
        record_activity(when=datetime.now(timezone.utc))
        db.session.commit()
    assert "active since" in viewed(member, progress_path(world))[0]

    with tenancy.system_scope():  # the operator's programme, not the community's rows
        first = db.session.scalars(select(Stage).where(Stage.programme_id == world.a.programme.id)
                                   .order_by(Stage.position)).first()
        first.title = "Incubator, renamed"
        db.session.commit()
    assert "Incubator, renamed" in viewed(member, progress_path(world))[0]


def test_a_change_by_the_operator_shows_on_the_next_view(app, world):
    operator = signed_in(app, "operator-a")
    a2 = world.a.communities[1]
    assert "mentor-a" not in viewed(operator, progress_path(world, community=1))[0]
    enrolment = enrolment_of(a2.id, world.a.programme.id)
    staff = (f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}"
             f"/enrolments/{enrolment.id}/staff")
    mentor = db.session.scalar(select(StaffMembership.id).where(
        StaffMembership.user_id == world.a.people["mentor"].id))
    response = operator.post(staff, data={"csrf_token": csrf_token(operator, staff), "membership": mentor})
    assert response.status_code == 303
    page = viewed(operator, progress_path(world, community=1))[0]
    assert "mentor-a" in page.split('<ul class="supporters">')[1].split("</ul>")[0]


def test_the_cohort_shows_every_change_and_audits_every_view(app, world):
    operator = signed_in(app, "operator-a")
    viewed(operator, cohort_path(world))
    operator.application.extensions.pop("hromada.pages", None)
    first, rendering = viewed(operator, cohort_path(world))
    again, kept = viewed(operator, cohort_path(world))
    assert main_of(again) == main_of(first) and kept < rendering
    with tenancy.system_scope():
        reads = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "staff.read_cohort")).all()
        assert len(reads) == 3  # a kept page is audited like a rendered one, naming the same communities
        assert reads[-1].details["communities"] == reads[-2].details["communities"] != []
        db.session.rollback()

    rename(world.a.communities[1].id, "Renamed while the cohort was kept")
    assert "Renamed while the cohort was kept" in viewed(operator, cohort_path(world))[0]
    # A filtered view is a page of its own.
    filtered = operator.get(cohort_path(world), query_string={"q": "renamed while"}).get_data(as_text=True)
    assert "1 community matches these filters." in filtered


def test_a_kept_page_is_only_served_to_the_session_it_was_rendered_for(app, world):
    operator = signed_in(app, "operator-a")
    assert "Move the community on" in viewed(operator, progress_path(world))[0]
    member = signed_in(app, "member-a")
    page = viewed(member, progress_path(world))[0]
    assert "Move the community on" not in page and "csrf_token" not in main_of(page)
    # The operator in a new session (another device) gets its own page, with its own form token.
    again = signed_in(app, "operator-a")
    token = csrf_token(again, progress_path(world))
    assert f'value="{token}"' in main_of(again.get(progress_path(world)).get_data(as_text=True))


def test_a_kept_page_is_rendered_again_once_its_time_is_up(app, world, monkeypatch):
    member = signed_in(app, "member-a")
    viewed(member, progress_path(world))
    member.application.extensions.pop("hromada.pages", None)
    rendering = viewed(member, progress_path(world))[1]
    assert viewed(member, progress_path(world))[1] < rendering
    later = pages.clock() + app.config["HROMADA_PAGE_CACHE_SECONDS"] + 1
    monkeypatch.setattr(pages, "clock", lambda: later)
    assert viewed(member, progress_path(world))[1] == rendering


def test_the_navigation_of_a_kept_page_shows_every_change_too(app, world):
    a1, b1 = world.a.communities[0], world.b.communities[0]
    with tenancy.scope(tenant_id=b1.id):  # A's coordinator coordinates B1 as well
        db.session.add(CommunityMembership(user_id=world.a.people["coordinator"].id, role=CommunityRole.COORDINATOR))
        db.session.commit()
    coordinator = signed_in(app, "coordinator-a")
    assert "secret-b1" in navigation_of(viewed(coordinator, progress_path(world))[0])  # "Applications: Community B1…"
    rename(b1.id, "B1 renamed in its own context")  # moves B1's version, not A1's or the platform's
    navigation = navigation_of(viewed(coordinator, progress_path(world))[0])
    assert "B1 renamed in its own context" in navigation and "secret-b1" not in navigation


def test_a_message_waiting_is_shown_once_on_a_kept_page(app, world):
    member = signed_in(app, "member-a")
    viewed(member, progress_path(world))
    member.application.extensions.pop("hromada.pages", None)
    rendering = viewed(member, progress_path(world))[1]
    kept = viewed(member, progress_path(world))[1]
    response = member.post("/language", data={"csrf_token": csrf_token(member, "/"), "language": "xx",
                                              "next": progress_path(world)})
    assert response.status_code == 302
    message = "That language is not available."
    page, statements = viewed(member, progress_path(world))
    assert message in page and statements >= kept
    page, statements = viewed(member, progress_path(world))
    assert message not in page
    assert statements == kept < rendering  # kept again once the message was shown


def platform_version() -> int:
    with tenancy.system_scope():
        version = db.session.scalar(select(DataVersion.version).where(DataVersion.name == PLATFORM)) or 0
        db.session.rollback()
        return version


def community_versions(*community_ids) -> list[int]:
    with tenancy.system_scope():
        versions = [db.session.scalar(select(Enrolment.data_version).where(Enrolment.tenant_id == community_id))
                    for community_id in community_ids]
        db.session.rollback()
        return versions


def test_which_version_a_write_moves(app, world):
    a1, a2 = (community.id for community in world.a.communities[:2])
    platform, (one, two) = platform_version(), community_versions(a1, a2)

    rename(a1, "One community's write")  # moves that community's version only
    assert (platform_version(), community_versions(a1, a2)) == (platform, [one + 1, two])

    with tenancy.system_scope():  # two communities in one transaction: the platform's
        for community_id in (a1, a2):
            db.session.get(Community, community_id).name = f"Both {community_id}"
        db.session.commit()
    assert (platform_version(), community_versions(a1, a2)) == (platform + 1, [one + 1, two])

    with tenancy.scope(tenant_id=a1):  # rolled back: nothing moves
        db.session.get(Community, a1).name = "Never saved"
        db.session.flush()
        db.session.rollback()
    from hromada.modules.audit.log import record

    record("test.nothing_a_page_shows")  # the audit log is on no kept page
    db.session.commit()
    assert (platform_version(), community_versions(a1, a2)) == (platform + 1, [one + 1, two])

    with tenancy.system_scope():  # a bulk statement whose rows cannot be told: the platform's
        db.session.execute(update(Enrolment).where(Enrolment.tenant_id == a2).values(last_activity_at=None))
        db.session.commit()
    assert platform_version() == platform + 2

    table = Enrolment.__table__
    with tenancy.scope(tenant_id=a1):  # on the table, not the model: the ORM wall does not scope it
        db.session.execute(update(table).where(table.c.tenant_id == a1).values(last_activity_at=None))
        db.session.commit()
    assert platform_version() == platform + 3


def cohort_version(programme_id: int) -> int:
    with tenancy.system_scope():
        version = db.session.scalar(select(DataVersion.version).where(DataVersion.name == cohort_name(programme_id)))
        db.session.rollback()
        return version or 0


def test_a_cohort_version_moves_with_each_of_its_communities_and_nothing_else(app, world):
    a1, b1 = world.a.communities[0].id, world.b.communities[0].id
    programme_a, programme_b = world.a.programme.id, world.b.programme.id
    before = platform_version(), cohort_version(programme_a), cohort_version(programme_b)

    rename(a1, "A1, in its own context")
    assert (platform_version(), cohort_version(programme_a), cohort_version(programme_b)) == (
        before[0], before[1] + 1, before[2])
    rename(b1, "B1, in its own context")
    assert (cohort_version(programme_a), cohort_version(programme_b)) == (before[1] + 1, before[2] + 1)

    with tenancy.scope(tenant_id=a1):  # the community's own bulk UPDATE of its enrolment (its activity)
        record_activity(when=datetime.now(timezone.utc))
        db.session.commit()
    assert platform_version() == before[0] and cohort_version(programme_a) > before[1] + 1


def test_a_community_that_leaves_a_cohort_leaves_its_kept_page(app, world):
    operator = signed_in(app, "operator-a")
    a2 = world.a.communities[1]
    assert "secret-a2" in viewed(operator, cohort_path(world))[0]
    platform = platform_version()
    with tenancy.system_scope():  # no row of the community is left to move its versions
        db.session.delete(db.session.scalars(select(Enrolment).where(Enrolment.tenant_id == a2.id)).one())
        db.session.commit()
    assert platform_version() == platform + 1
    assert "secret-a2" not in viewed(operator, cohort_path(world))[0]

    with tenancy.system_scope():  # the same by a bulk statement
        db.session.execute(delete(Enrolment).where(Enrolment.tenant_id == world.a.communities[0].id))
        db.session.commit()
    assert platform_version() == platform + 2
