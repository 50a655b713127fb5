"""Reports of a funded community (issue 15, slice 4): the operator's report questions, the community's draft,
submission and resubmission, the operator's approval (which releases the tranche waiting for it) or return with a
comment, reminders before and after the due day, a tranche released by a milestone of an action plan, and the
payments the operator keeps when a community is erased."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from hromada import tenancy
from hromada.clock import now, today
from hromada.extensions import db
from hromada.modules.action_plans import operations as plans
from hromada.modules.action_plans.models import Action, ActionPlan, ActionStatus, Milestone
from hromada.modules.audit.models import AuditEvent
from hromada.modules.erasure import erase
from hromada.modules.erasure.models import EraseRequest
from hromada.modules.erasure.testing import ask_as_system
from hromada.modules.notifications.models import Notification
from hromada.modules.notifications.service import render
from hromada.modules.programmes.models import Programme
from hromada.modules.questionnaires import operations as questionnaires
from hromada.modules.questionnaires.models import QuestionKind
from hromada.modules.questionnaires.operations import QuestionFields
from hromada.modules.scholarships import tranches as scheduling
from hromada.modules.scholarships.models import (
    KeptPayment,
    ReportKind,
    ReportStatus,
    ScholarshipCall,
    ScholarshipReport,
    ScholarshipStatus,
    Tranche,
)
from hromada.modules.scholarships.reports import report_questionnaire
from hromada.modules.scholarships.testing import approved_with_tranches, make_application, make_call
from hromada.testing.factories import signed_in
from hromada.testing.fixtures import csrf_token


def errors(response) -> str:
    page = response.get_data(as_text=True)
    return " ".join(re.findall(r'<span class="error"[^>]*>([^<]+)</span>', page) +
                    re.findall(r'<div class="form-errors" role="alert">\s*<p>([^<]+)</p>', page))


def post(client, path, back, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, back), **data})


def funded(world, *, plan=None, status=ScholarshipStatus.APPROVED) -> dict:
    """A's call (60 % on approval, 40 % when the progress report is approved; progress due in 20 days, final in
    60) with one required report question; A1's application approved with its schedule."""
    with tenancy.system_scope():
        call = make_call(db.session.get(Programme, world.a.programme.id))
        call.tranche_plan = plan or [{"share": 60, "condition": "on_approval"},
                                     {"share": 40, "condition": "progress_report_approved"}]
        call.progress_report_due = today() + timedelta(days=20)
        call.final_report_due = today() + timedelta(days=60)
        questionnaires.add_question(report_questionnaire(call), QuestionFields(
            label="What did you do?", help_text="", kind=QuestionKind.LONG_TEXT, required=True), expected_count=None)
        application = make_application(call, world.a.communities[0].id, requested_minor=1_000_000, status=status)
        if status == ScholarshipStatus.APPROVED:
            approved_with_tranches(application, call)
        db.session.commit()
        question_id = call.report_questionnaire.questions[0].id
        base = f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}/scholarships/{call.id}"
        community = f"/communities/{world.a.communities[0].id}/scholarships/{call.id}"
        return {"call": call.id, "application": application.id, "base": base, "field": f"question_{question_id}",
                "apply": community, "write": f"{community}/reports/progress",
                "final": f"{community}/reports/final",
                "page": f"{base}/applications/{application.id}",
                "review": f"{base}/applications/{application.id}/reports/progress"}


def report_of(ids, kind=ReportKind.PROGRESS) -> ScholarshipReport | None:
    db.session.expire_all()
    with tenancy.system_scope():
        found = db.session.scalar(select(ScholarshipReport).where(
            ScholarshipReport.application_id == ids["application"], ScholarshipReport.kind == kind))
    db.session.expunge_all()  # read as it is now, outside the system scope too
    return found


def schedule(ids) -> list[Tranche]:
    db.session.expire_all()
    with tenancy.system_scope():
        found = scheduling.schedule_of(ids["application"])
    db.session.expunge_all()
    return found


def actions() -> list[str]:
    with tenancy.system_scope():
        return [event.action for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def notices(prefix: str) -> list[tuple[int, str]]:
    with tenancy.system_scope():
        rows = db.session.execute(select(Notification.user_id, Notification.key)
                                  .where(Notification.key.like(prefix + "%")).order_by(Notification.key)).all()
    db.session.rollback()
    return [tuple(row) for row in rows]


def test_the_operator_asks_the_report_questions_from_the_call(app, world):
    ids = funded(world)
    operator = signed_in(app, "operator-a")
    call_page = operator.get(ids["base"]).get_data(as_text=True)
    assert f'href="{ids["base"]}/report-questions"' in call_page
    page = operator.get(f"{ids['base']}/report-questions").get_data(as_text=True)
    assert "What did you do?" in page and "Progress report due" in page
    added = post(operator, f"{ids['base']}/report-questions/new", f"{ids['base']}/report-questions",
                 label="How many people took part?", kind="number", question_count="1")
    assert added.status_code == 302
    assert "How many people took part?" in operator.get(f"{ids['base']}/report-questions").get_data(as_text=True)
    # The application's questions are another questionnaire: untouched.
    assert "How many people took part?" not in operator.get(ids["base"]).get_data(as_text=True)
    assert "scholarships.report_questions_changed" in actions()
    assert signed_in(app, "coordinator-a").get(f"{ids['base']}/report-questions").status_code in (403, 404)


def test_a_report_is_drafted_submitted_once_returned_resubmitted_and_approved_releasing_the_tranche(app, world):
    ids = funded(world)
    coordinator, operator = signed_in(app, "coordinator-a"), signed_in(app, "operator-a")
    apply_page = coordinator.get(ids["apply"]).get_data(as_text=True)
    assert f'href="{ids["write"]}"' in apply_page and f'href="{ids["final"]}"' in apply_page

    missing = post(coordinator, ids["write"], ids["write"], action="submit")
    assert missing.status_code == 400 and "Answer this question." in errors(missing) and report_of(ids) is None
    assert post(coordinator, ids["write"], ids["write"], action="save", **{ids["field"]: "Half"}).status_code == 302
    assert report_of(ids).status == ReportStatus.DRAFT
    assert operator.get(ids["review"]).status_code == 404  # a draft stays the community's own

    token = csrf_token(coordinator, ids["write"])
    for _ in range(2):  # the same form sent twice: submitted once, the operators told once
        sent = coordinator.post(ids["write"], data={"csrf_token": token, "action": "submit",
                                                    ids["field"]: "We built the playground."})
        assert sent.status_code == 302
    report = report_of(ids)
    assert (report.status, report.submissions) == (ReportStatus.SUBMITTED, 1)
    report_id = report.id
    assert actions().count("scholarships.report_submitted") == 1
    operator_id = world.a.people["operator"].id
    assert notices("scholarships.report:") == [
        (operator_id, f"scholarships.report:{report_id}:submitted:1:user:{operator_id}")]
    assert "waits for the organisers" in coordinator.get(ids["write"]).get_data(as_text=True)

    page = operator.get(ids["page"]).get_data(as_text=True)
    assert f'href="{ids["review"]}"' in page
    review = operator.get(ids["review"]).get_data(as_text=True)
    assert "We built the playground." in review and "What did you do?" in review
    no_comment = post(operator, f"{ids['review']}/decision", ids["review"], decision="return", comment=" ")
    assert no_comment.status_code == 400 and "Write what the community should change." in errors(no_comment)
    returned = post(operator, f"{ids['review']}/decision", ids["review"], decision="return",
                    comment="Add the receipts, please.")
    assert returned.status_code == 302 and report_of(ids).status == ReportStatus.RETURNED
    assert schedule(ids)[1].released_at is None
    coordinator_id = world.a.people["coordinator"].id
    assert (coordinator_id, f"scholarships.report:{report_id}:returned:1:user:{coordinator_id}") in notices(
        "scholarships.report:")
    returned_page = coordinator.get(ids["write"]).get_data(as_text=True)
    assert "Add the receipts, please." in returned_page and "Submit the report again" in returned_page

    assert post(coordinator, ids["write"], ids["write"], action="submit",
                **{ids["field"]: "We built it; receipts attached."}).status_code == 302
    assert report_of(ids).submissions == 2
    token = csrf_token(operator, ids["review"])
    for _ in range(2):  # approved once, the tranche released once
        assert operator.post(f"{ids['review']}/decision", data={"csrf_token": token, "decision": "approve",
                                                                "comment": ""}).status_code == 302
    first, second = schedule(ids)
    assert report_of(ids).status == ReportStatus.APPROVED and second.released_at is not None
    assert actions().count("scholarships.report_approved") == 1
    assert "Record the payment of tranche 1" in operator.get(ids["page"]).get_data(as_text=True)
    with tenancy.system_scope():
        approved_notice = db.session.scalar(select(Notification).where(
            Notification.key == f"scholarships.report:{report_id}:approved:user:{coordinator_id}"))
    with app.test_request_context("/"):
        assert render(approved_notice) == 'Your progress report for the scholarship call “Seed grants” is approved.'
    # Approved: read only; a late submit changes nothing.
    late = post(coordinator, ids["write"], ids["write"], action="submit", **{ids["field"]: "Changed later"})
    assert late.status_code == 302 and report_of(ids).answers[ids["field"].split("_")[1]] == (
        "We built it; receipts attached.")
    assert "Submit the report" not in coordinator.get(ids["write"]).get_data(as_text=True)


def test_a_report_after_the_schedule_closed_or_without_approval_is_refused(app, world):
    ids = funded(world)
    coordinator, operator = signed_in(app, "coordinator-a"), signed_in(app, "operator-a")
    assert post(coordinator, ids["final"], ids["final"], action="submit", **{ids["field"]: "All done"}
                ).status_code == 302
    final_review = ids["review"].replace("/progress", "/final")
    assert post(operator, f"{final_review}/decision", final_review, decision="approve").status_code == 302
    closed = post(coordinator, ids["write"], ids["write"], action="submit", **{ids["field"]: "Late progress"})
    assert closed.status_code == 400 and "the reporting of this scholarship is closed" in errors(closed)
    assert report_of(ids) is None
    assert "the reporting of this scholarship is closed" in coordinator.get(ids["write"]).get_data(as_text=True)
    assert coordinator.get(ids["write"].replace("/progress", "/yearly")).status_code == 404


def test_a_community_not_approved_cannot_report(app, world):
    ids = funded(world, status=ScholarshipStatus.SUBMITTED)
    coordinator = signed_in(app, "coordinator-a")
    assert "Only an approved scholarship is reported on" in coordinator.get(ids["write"]).get_data(as_text=True)
    refused = post(coordinator, ids["write"], ids["write"], action="submit", **{ids["field"]: "Anything"})
    assert refused.status_code == 400 and "Only an approved scholarship is reported on" in errors(refused)
    assert report_of(ids) is None


@pytest.mark.parametrize("handle", ["member-a", "mentor-a", "expert-a", "coordinator-b", "operator-b"])
def test_nobody_else_reads_or_writes_the_report(app, world, handle):
    ids = funded(world)
    coordinator = signed_in(app, "coordinator-a")
    post(coordinator, ids["write"], ids["write"], action="submit", **{ids["field"]: "secret-a1 report"})
    other = signed_in(app, handle)
    for path in (ids["write"], ids["review"]):
        response = other.get(path)
        assert response.status_code in (403, 404) and "secret-a1 report" not in response.get_data(as_text=True)


def send_reminders(runner) -> str:
    result = runner.invoke(args=["scholarships", "send-reminders"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    return result.output


def test_coordinators_are_reminded_before_the_due_day_and_once_when_overdue(app, world, runner):
    ids = funded(world)
    coordinator_id = world.a.people["coordinator"].id
    assert "Report reminder jobs for 0 communities" in send_reminders(runner)  # due in 20 days: not yet
    with tenancy.system_scope():
        db.session.execute(update(ScholarshipCall).where(ScholarshipCall.id == ids["call"])
                           .values(progress_report_due=today() + timedelta(days=2)))
        db.session.commit()
    assert "1 finished" in send_reminders(runner)
    due_soon = f"scholarships.report-due:{ids['application']}:progress:due-soon:user:{coordinator_id}"
    assert notices("scholarships.report-due:") == [(coordinator_id, due_soon)]
    assert "1 skipped" in send_reminders(runner)  # run again: nothing more
    assert notices("scholarships.report-due:") == [(coordinator_id, due_soon)]

    with tenancy.system_scope():
        db.session.execute(update(ScholarshipCall).where(ScholarshipCall.id == ids["call"])
                           .values(progress_report_due=today() - timedelta(days=1)))
        db.session.commit()
    send_reminders(runner)
    send_reminders(runner)
    overdue = f"scholarships.report-due:{ids['application']}:progress:overdue:user:{coordinator_id}"
    assert notices("scholarships.report-due:") == sorted([(coordinator_id, due_soon), (coordinator_id, overdue)],
                                                         key=lambda row: row[1])
    with tenancy.system_scope():
        notice = db.session.scalar(select(Notification).where(Notification.key == overdue))
    assert notice.link == ids["write"]
    with app.test_request_context("/"):
        assert render(notice) == (f"Your progress report for the scholarship call “Seed grants” was due on "
                                  f"{(today() - timedelta(days=1)).isoformat()} and is not submitted.")

    # Submitted: no reminder for it any more.
    signed_in_coordinator = signed_in(app, "coordinator-a")
    post(signed_in_coordinator, ids["write"], ids["write"], action="submit", **{ids["field"]: "Done"})
    assert "Report reminder jobs for 0 communities" in send_reminders(runner)


def test_a_tranche_is_released_when_the_last_action_of_its_milestone_is_done(app, world):
    ids = funded(world, plan=[{"share": 50, "condition": "on_approval"}, {"share": 50, "condition": "milestone_done"}])
    a1 = world.a.communities[0].id
    with tenancy.scope(tenant_id=a1):
        plan = plans.create_plan(a1, "test-owner", 1, "Operational plan", programme_id=world.a.programme.id)
        milestone = plans.add_milestone(plan, title="Playground built")
        first = plans.add_action(milestone, title="Buy the wood", status=ActionStatus.DONE)
        last = plans.add_action(milestone, title="Paint the fence")
        other = plans.add_milestone(plan, title="Festival")
        plans.add_action(other, title="Invite neighbours")
        db.session.commit()
        milestone_id, other_id, last_id, plan_id = milestone.id, other.id, last.id, plan.id
        assert first.id
    with tenancy.system_scope():  # a plan of another programme is not offered
        foreign_plan = plans.create_plan(a1, "test-owner", 2, "Private plan")
        foreign = plans.add_milestone(foreign_plan, title="Members only")
        db.session.commit()
        foreign_id = foreign.id
    operator = signed_in(app, "operator-a")
    _, tranche = schedule(ids)
    page = operator.get(ids["page"]).get_data(as_text=True)
    assert "Operational plan — Playground built" in page and "Members only" not in page
    choose = f"{ids['page']}/tranches/{tranche.id}/milestone"
    refused = post(operator, choose, ids["page"], milestone_id=str(foreign_id))
    assert refused.status_code == 400 and "Choose one of the community&#39;s milestones." in errors(refused)
    assert post(operator, choose, ids["page"], milestone_id=str(other_id)).status_code == 302
    assert post(operator, choose, ids["page"], milestone_id=str(milestone_id)).status_code == 302
    assert schedule(ids)[1].milestone_id == milestone_id and schedule(ids)[1].released_at is None

    with tenancy.scope(tenant_id=a1):
        action = db.session.get(Action, last_id)
        plan_row = db.session.get(ActionPlan, plan_id)
        milestone_row = db.session.get(Milestone, milestone_id)
        plans.save_action(plan_row, milestone_row, action, title=action.title, owner_id=None, role="",
                          starts_on=None, due_on=None, status=ActionStatus.DONE, result="", evidence="")
        db.session.commit()
    released = schedule(ids)[1]
    assert released.released_at is not None
    assert "scholarships.tranche_released" in actions()
    assert post(operator, choose, ids["page"], milestone_id=str(other_id)).status_code == 400  # released: it stays


def test_an_erased_communitys_paid_tranches_stay_in_the_operators_budget_without_its_name(app, world):
    ids = funded(world)
    first, _ = schedule(ids)
    operator = signed_in(app, "operator-a")
    assert post(operator, f"{ids['page']}/tranches/{first.id}/payment", ids["page"], paid_on=str(today()),
                reference="PAY-77").status_code == 302
    budget_before = operator.get(f"{ids['base']}/budget").get_data(as_text=True)
    assert "UAH6,000.00" in budget_before
    a1 = world.a.communities[0].id
    name = world.a.communities[0].name
    request = ask_as_system(a1, world.a.people["coordinator"].id, "a-token")
    with tenancy.system_scope():
        db.session.execute(update(EraseRequest).where(EraseRequest.id == request.id).values(
            confirmed_at=now() - timedelta(days=8), erase_after=now() - timedelta(days=1)))
        db.session.commit()
        assert erase.erase_community(a1) is not None
        db.session.commit()
        kept = db.session.scalars(select(KeptPayment)).all()
        assert [(row.amount_minor, row.currency, row.paid_on, row.payment_reference, row.call_id) for row in kept] == [
            (600_000, "UAH", today(), "PAY-77", ids["call"])]
        assert db.session.scalars(select(Tranche).where(Tranche.tenant_id == a1)).all() == []
        row = db.session.execute(select(KeptPayment.__table__)).one()
        assert name not in str(tuple(row)) and "tenant_id" not in KeptPayment.__table__.c
    db.session.remove()
    budget_after = operator.get(f"{ids['base']}/budget").get_data(as_text=True)
    assert "UAH6,000.00" in budget_after and name not in budget_after
