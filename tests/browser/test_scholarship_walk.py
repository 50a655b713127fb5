"""A scholarship call from application to the second tranche, in Debian's Chromium (issue 15's browser test).

An ineligible community sees why it cannot send; an eligible one applies; two reviewers declare no conflict
and score blind; the operator approves part of the amount; the first tranche is paid; the community submits
its progress report; the operator approves it and the second tranche is released. The call, its rubric and
its report question are made by the factories (the pages that make them have their own tests); the
eligibility rule is a probe plugin's, met by A's first community only.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from hromada import tenancy
from hromada.clock import today
from hromada.extensions import db
from hromada.hookspecs import hookimpl
from hromada.i18n import lazy_gettext as _l
from hromada.contributions import EligibilityCondition
from hromada.modules.accounts.models import CommunityMembership, CommunityRole
from hromada.modules.programmes.models import Programme
from hromada.modules.questionnaires import operations as questionnaires
from hromada.modules.questionnaires.models import QuestionKind
from hromada.modules.questionnaires.operations import QuestionFields
from hromada.modules.scholarships.models import Criterion
from hromada.modules.scholarships.reports import report_questionnaire
from hromada.modules.scholarships.testing import make_call
from hromada.testing.browser import sign_in_as, sign_out
from hromada.testing.factories import build_world, make_user
from hromada.testing.fixtures import FIRST_PARTY_PLUGINS

pytestmark = pytest.mark.browser

CALL = "Neighbourhood grants 2027"


class StrategyAdopted:
    """A stage's rule, as the accelerator's: met by the community whose id the test names."""

    eligible: set[int] = set()

    def __init__(self, folder):
        self.folder = folder

    @hookimpl
    def hromada_scholarship_eligibility(self, call, stage, community_id):
        met = community_id in StrategyAdopted.eligible
        return [EligibilityCondition("probe.strategy", _l("Strategic goals adopted"), met,
                                     _l("Adopted, with a vision and a mission.") if met else
                                     _l("Your community has not adopted its strategic goals yet."))]


@pytest.fixture
def enabled_plugins(probe_plugin) -> list[str]:
    return [*FIRST_PARTY_PLUGINS, probe_plugin]


def the_call(world) -> None:
    """A's call: 60 % on approval, 40 % when the progress report is approved; one question, one criterion, one
    report question; a coordinator for A's second community too."""
    with tenancy.system_scope():
        call = make_call(db.session.get(Programme, world.a.programme.id), title=CALL,
                         question="What will you build?")
        call.tranche_plan = [{"share": 60, "condition": "on_approval"},
                             {"share": 40, "condition": "progress_report_approved"}]
        call.progress_report_due = today() + timedelta(days=30)
        db.session.add(Criterion(call_id=call.id, position=0, title="Impact", weight=2,
                                 guidance=["None", "Little", "Some", "Fair", "Good", "Strong"]))
        questionnaires.add_question(report_questionnaire(call), QuestionFields(
            label="What has been done so far?", help_text="", kind=QuestionKind.LONG_TEXT, required=True),
            expected_count=None)
        second = make_user("coordinator-a-two")
        db.session.add(CommunityMembership(tenant_id=world.a.communities[1].id, user_id=second.id,
                                           role=CommunityRole.COORDINATOR))
        StrategyAdopted.eligible = {world.a.communities[0].id}
        db.session.commit()


def open_the_call(page) -> None:
    page.get_by_role("link", name="Scholarships", exact=True).click()
    page.get_by_role("link", name=CALL).click()
    expect(page.get_by_role("heading", name=CALL)).to_be_visible()


def review(page, handle: str, score: str, comment: str, *, sees_other: str | None) -> None:
    """The reviewer declares no conflict and scores; before submitting nobody else's score is in sight."""
    sign_in_as(page, handle)
    page.get_by_role("link", name="My reviews", exact=True).click()
    page.get_by_role("link", name=re.compile(CALL)).click()
    page.get_by_label("No conflict of interest").check()
    page.get_by_role("button", name="Declare").click()
    expect(page.get_by_text("We will build a playground by the school.")).to_be_visible()
    expect(page.get_by_text("You see the other reviewers' scores once you have submitted yours.")).to_be_visible()
    if sees_other:
        expect(page.get_by_text(sees_other)).to_have_count(0)  # blind: the first reviewer's comment is hidden
    page.get_by_label(re.compile(rf"^{score}: ")).check()
    page.get_by_label("Comment on “Impact” (optional)").fill(comment)
    page.get_by_label("Fund", exact=True).check()
    page.get_by_role("button", name="Submit the review").click()
    expect(page.get_by_role("heading", name="Scores")).to_be_visible()
    if sees_other:
        expect(page.get_by_text(sees_other)).to_be_visible()  # submitted: now the other's scores show
    sign_out(page)


@pytest.mark.probe(plugin=StrategyAdopted)
def test_a_scholarship_call_from_application_to_the_second_tranche(app, page, page_activity):
    world = build_world()
    the_call(world)
    with tenancy.system_scope():
        calls_url = f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}/scholarships"
        community_name = world.a.communities[0].name
        reviewer_ids = [world.a.people[role].id for role in ("mentor", "expert")]
    db.session.remove()

    # A's second community is not eligible: it sees why and cannot send.
    sign_in_as(page, "coordinator-a-two")
    open_the_call(page)
    expect(page.get_by_text("Your community has not adopted its strategic goals yet.")).to_be_visible()
    expect(page.get_by_role("button", name="Send the application")).to_be_disabled()
    sign_out(page)

    # A's first community is: it applies for 20,000.
    sign_in_as(page, "coordinator-a")
    open_the_call(page)
    expect(page.get_by_text("Adopted, with a vision and a mission.")).to_be_visible()
    page.get_by_label("Amount requested").fill("20000")
    page.get_by_label(re.compile("What will you build?")).fill("We will build a playground by the school.")
    page.get_by_role("button", name="Send the application").click()
    expect(page.get_by_text("The application is sent.")).to_be_visible()
    sign_out(page)

    # The operator assigns two reviewers.
    sign_in_as(page, "operator-a")
    page.goto(calls_url)
    page.get_by_role("link", name=CALL).click()
    page.get_by_role("link", name=re.compile("with the reviewers' scores")).click()  # the call's applications
    page.get_by_role("link", name=community_name).click()
    application_url = page.url
    for reviewer_id in reviewer_ids:
        page.get_by_label("Reviewer").select_option(value=str(reviewer_id))
        page.get_by_role("button", name="Assign the reviewer").click()
        expect(page.get_by_text("The reviewer is assigned.")).to_be_visible()
    sign_out(page)

    review(page, "mentor-a", "4", "A clear plan, first-reviewer-note", sees_other=None)
    review(page, "expert-a", "3", "Costs look high", sees_other="first-reviewer-note")

    # The operator approves 15,000 of the 20,000 asked and records the first tranche's payment.
    sign_in_as(page, "operator-a")
    page.goto(application_url)
    expect(page.get_by_text("Weighted mean: 3.5 of 5")).to_be_visible()
    page.get_by_label("Approve", exact=True).check()
    page.get_by_label("Amount approved").fill("15000")
    page.get_by_role("button", name="Save the determination").click()
    expect(page.get_by_text("The determination is saved")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Record the payment of tranche 1"))).to_be_visible()
    page.get_by_label("Payment reference").fill("BANK-2027-001")
    page.get_by_role("button", name="Record the payment").click()
    expect(page.get_by_text("The payment is recorded.")).to_be_visible()
    expect(page.get_by_text("Waiting for its condition")).to_be_visible()
    sign_out(page)

    # The community sees its schedule and submits its progress report.
    sign_in_as(page, "coordinator-a")
    open_the_call(page)
    expect(page.get_by_text("reference BANK-2027-001")).to_be_visible()
    page.get_by_role("link", name="Progress report").click()
    page.get_by_label(re.compile("What has been done so far?")).fill("The ground is levelled and the swings ordered.")
    page.get_by_role("button", name="Submit the report").click()
    expect(page.get_by_text("The report is submitted")).to_be_visible()
    sign_out(page)

    # The operator approves it: the second tranche is released, its payment can be recorded.
    sign_in_as(page, "operator-a")
    page.goto(application_url)
    page.get_by_role("link", name="Progress report").click()
    expect(page.get_by_text("The ground is levelled and the swings ordered.")).to_be_visible()
    page.get_by_label("Approve the report").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("The tranche waiting for it is released")).to_be_visible()
    page.goto(application_url)
    expect(page.get_by_role("heading", name=re.compile("Record the payment of tranche 2"))).to_be_visible()
    expect(page.get_by_text("Waiting for its condition")).to_have_count(0)

    assert page_activity.requests_elsewhere() == []
    assert page_activity.console_errors == []
