"""The cohort's read model (issue 17): kept on write, never shown stale, and in step with the tables.

Every test of the suite is also followed by a check that the read model agrees with the full
computation (`hromada.testing.fixtures._check_read_model`); these are the cases a user would notice.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select, update

from hromada import tenancy
from hromada.clock import now, today
from hromada.contributions import CohortColumn, Outcome, Requirement
from hromada.extensions import db
from hromada.hookspecs import hookimpl
from hromada.modules.communities.models import Community
from hromada.modules.programmes.models import Stage
from hromada.modules.progress.standings import keeping
from hromada.modules.progress.standings.model import CohortStanding
from hromada.modules.progress.testing import add_stages, name_first_stages
from hromada.testing.factories import sign_in


@pytest.fixture
def enabled_plugins():
    return []  # the core only, and the test plugins below


@pytest.fixture
def world(world):
    name_first_stages(world)
    return world


@pytest.fixture
def operator(app, world):
    client = app.test_client()
    sign_in(client, "operator-a")
    return client


def cohort(client, world) -> str:
    response = client.get(f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}/cohort")
    assert response.status_code == 200
    return response.get_data(as_text=True)


class Exclaimed:
    """A requirement met by a community whose name ends with "!", and a column with today's date."""

    @hookimpl
    def hromada_stage_requirements(self, stage):
        def evaluate(stage, enrolments):
            names = dict(db.session.execute(select(Community.id, Community.name).where(
                Community.id.in_([e.tenant_id for e in enrolments]))).all())
            return {e.id: Outcome(names.get(e.tenant_id, "").endswith("!"), "not exclaimed") for e in enrolments}

        return [Requirement("test.exclaimed", "Exclaimed", evaluate)]

    @hookimpl
    def hromada_cohort_columns(self, programme, enrolments):
        return [CohortColumn("test.day", "Day", {e.id: f"day {today().isoformat()}" for e in enrolments})]


def rename(community_id: int, name: str) -> None:
    with tenancy.system_scope():
        db.session.execute(update(Community).where(Community.id == community_id).values(name=name))
        db.session.commit()


def test_a_write_that_meets_a_requirement_shows_on_the_next_view(own_app, app, world, operator):
    app.extensions["hromada.plugins"].register(Exclaimed(), name="test-exclaimed")
    add_stages(world.a, "Accelerator")
    first = world.a.communities[0]
    assert cohort(operator, world).count("<td>0 of 1</td>") == 2  # evaluated, and kept
    rename(first.id, first.name + "!")
    page = cohort(operator, world)
    # The rename moved the community's row: its evaluation is made again, the other one is read as kept.
    assert page.count("<td>1 of 1</td>") == 1 and page.count("<td>0 of 1</td>") == 1
    assert first.name + "!" in page


def test_an_evaluation_kept_yesterday_is_made_again_today(own_app, app, world, operator):
    app.extensions["hromada.plugins"].register(Exclaimed(), name="test-exclaimed")
    add_stages(world.a, "Accelerator")
    assert f"day {today().isoformat()}" in cohort(operator, world)
    tomorrow = today() + timedelta(days=1)
    with time_machine.travel(now() + timedelta(days=1), tick=False):
        sign_in(operator, "operator-a")
        page = cohort(operator, world)
    assert f"day {tomorrow.isoformat()}" in page and f"day {(tomorrow - timedelta(days=1)).isoformat()}" not in page
    # Back to today, which the clock never does: what was kept tomorrow no longer counts.
    with tenancy.system_scope():
        keeping.outdate(db.session.connection(), [world.a.programme.id])
        db.session.commit()


def test_a_change_to_what_a_stage_asks_evaluates_every_row_again(own_app, app, world, operator):
    app.extensions["hromada.plugins"].register(Exclaimed(), name="test-exclaimed")
    first, _second = add_stages(world.a, "Accelerator")
    cohort(operator, world)
    with tenancy.system_scope():
        versions = dict(db.session.execute(select(CohortStanding.enrolment_id, CohortStanding.version).where(
            CohortStanding.programme_id == world.a.programme.id)).all())
        db.session.execute(update(Stage).where(Stage.id == first.id).values(title="Renamed stage"))
        db.session.commit()
        moved = dict(db.session.execute(select(CohortStanding.enrolment_id, CohortStanding.version).where(
            CohortStanding.programme_id == world.a.programme.id)).all())
    assert all(moved[enrolment_id] > version for enrolment_id, version in versions.items())
    assert "Renamed stage" in cohort(operator, world)


def test_sorting_by_an_evaluated_column_reads_kept_values_and_evaluates_the_rest(own_app, app, world, operator):
    app.extensions["hromada.plugins"].register(Exclaimed(), name="test-exclaimed")
    add_stages(world.a, "Accelerator")
    first, second = world.a.communities
    rename(second.id, "Zeta!")
    path = f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}/cohort"
    page = operator.get(path + "?sort=requirements&order=desc").get_data(as_text=True)
    assert page.index("Zeta!") < page.index(first.name)
    rename(first.id, "Alpha!")
    rename(second.id, "Zeta")
    page = operator.get(path + "?sort=requirements&order=desc").get_data(as_text=True)
    assert page.index("Alpha!") < page.index("Zeta")
