"""Objects of the scholarships module for the isolation matrix (tests/test_isolation_matrix.py) and tests.

Side B runs a call with a question; B's first community has submitted an application whose answers
carry its secret marker. Side A runs a call too; A's second community has applied to it.
"""

from __future__ import annotations

from datetime import timedelta

from hromada import tenancy
from hromada.clock import now, today
from hromada.extensions import db
from hromada.modules.programmes.models import Stage
from hromada.modules.questionnaires import operations as questionnaires
from hromada.modules.questionnaires.models import QuestionKind
from hromada.modules.questionnaires.operations import QuestionFields
from hromada.modules.scholarships import tranches
from hromada.modules.scholarships.models import (
    Criterion,
    Review,
    ReviewStatus,
    ScholarshipApplication,
    ReportKind,
    ReportStatus,
    ScholarshipCall,
    ScholarshipReport,
    ScholarshipStatus,
)


def make_call(programme, *, title: str = "Seed grants", budget_minor: int = 10_000_000,
              max_minor: int = 2_500_000, currency: str = "UAH", stage_id: int | None = None,
              days_open: int = 30, question: str | None = "What will you do with it?") -> ScholarshipCall:
    """An open call of the programme (written as its operators would), with one long-text question."""
    if stage_id is None:
        stage_id = db.session.query(Stage.id).filter_by(programme_id=programme.id).order_by(Stage.position).first()[0]
    questionnaire = questionnaires.create(programme.organisation_id)
    if question:
        questionnaires.add_question(questionnaire, QuestionFields(label=question, help_text="",
                                                                  kind=QuestionKind.LONG_TEXT, required=True),
                                    expected_count=None)
    call = ScholarshipCall(organisation_id=programme.organisation_id, programme_id=programme.id, stage_id=stage_id,
                           title=title, purpose="Small grants for the community's first project.",
                           budget_minor=budget_minor, budget_currency=currency, max_per_community_minor=max_minor,
                           opens_on=today() - timedelta(days=1), closes_on=today() + timedelta(days=days_open),
                           questionnaire_id=questionnaire.id)
    db.session.add(call)
    db.session.flush()
    return call


def make_application(call: ScholarshipCall, community_id: int, *, answer: str = "A playground",
                     requested_minor: int = 1_000_000, status=ScholarshipStatus.SUBMITTED) -> ScholarshipApplication:
    questions = call.questionnaire.questions
    with tenancy.scope(tenant_id=community_id):
        application = ScholarshipApplication(
            tenant_id=community_id, organisation_id=call.organisation_id, call_id=call.id, status=status,
            requested_minor=requested_minor, requested_currency=call.budget_currency,
            answers={str(questions[0].id): answer} if questions else {},
            questions_version=call.questionnaire.version,
            submitted_at=now() if status != ScholarshipStatus.DRAFT else None)
        db.session.add(application)
        db.session.flush()
    return application


def approved_with_tranches(application: ScholarshipApplication, call: ScholarshipCall) -> list:
    """`application` approved for what it asked, with its schedule by the call's plan (first tranche released)."""
    application.approved_minor = application.requested_minor
    with tenancy.scope(tenant_id=application.tenant_id):
        found = tranches.create_schedule(application, application.approved_minor, call.tranche_plan,
                                         call.budget_currency)
        db.session.flush()
    return found


def make_report(application: ScholarshipApplication, kind: ReportKind = ReportKind.PROGRESS, *,
                answers: dict | None = None, status: ReportStatus = ReportStatus.SUBMITTED) -> ScholarshipReport:
    with tenancy.scope(tenant_id=application.tenant_id):
        report = ScholarshipReport(
            tenant_id=application.tenant_id, organisation_id=application.organisation_id,
            call_id=application.call_id, application_id=application.id, kind=kind, status=status,
            answers=answers or {}, submissions=0 if status == ReportStatus.DRAFT else 1,
            submitted_at=None if status == ReportStatus.DRAFT else now())
        db.session.add(report)
        db.session.flush()
    return report


def matrix_arguments(world) -> dict:
    with tenancy.system_scope():
        a, b = world.a, world.b
        b_call = make_call(b.programme, title="Call of B")
        b_application = make_application(b_call, b.communities[0].id, answer="secret-b1 plans")
        a_call = make_call(a.programme, title="Call of A")
        a_application = make_application(a_call, a.communities[1].id, answer="secret-a2 plans")
        b_criterion = Criterion(call_id=b_call.id, position=0, title="Impact", weight=1, guidance=[])
        db.session.add(b_criterion)
        # B's mentor reviews B1's application; A's operator reviews A2's (nobody else of A reaches that review).
        b_review = Review(organisation_id=b.organisation.id, call_id=b_call.id, application_id=b_application.id,
                          reviewer_id=b.people["mentor"].id, status=ReviewStatus.REVIEWING)
        a_review = Review(organisation_id=a.organisation.id, call_id=a_call.id, application_id=a_application.id,
                          reviewer_id=a.people["operator"].id, status=ReviewStatus.REVIEWING)
        db.session.add_all([b_review, a_review])
        # B2's application is approved and paid in tranches; so is A2's (only A's operators reach its tranche).
        b_approved = make_application(b_call, b.communities[1].id, answer="secret-b2 plans",
                                      status=ScholarshipStatus.APPROVED)
        b_tranche = approved_with_tranches(b_approved, b_call)[0]
        a_application.status = ScholarshipStatus.APPROVED
        a_tranche = approved_with_tranches(a_application, a_call)[0]
        # Both approved applications have a submitted progress report.
        for call in (a_call, b_call):
            call.progress_report_due = today() + timedelta(days=60)
        make_report(b_approved, answers={"1": "secret-b2 report"})
        make_report(a_application, answers={"1": "secret-a2 report"})
        db.session.commit()
        return {
            "foreign": {"call_id": b_call.id, "scholarship_application_id": b_application.id,
                        "criterion_id": b_criterion.id, "review_id": b_review.id, "tranche_id": b_tranche.id,
                        "report_kind": "progress"},
            "unreachable": {"scholarship_application_id": a_application.id, "review_id": a_review.id,
                            "tranche_id": a_tranche.id},
        }


def reporting_arguments(world) -> list[dict]:
    """Side B's objects whose pages show the report forms (for the form fuzz test): a call asking for both
    reports, B's first community approved in it (a tranche waiting for a milestone of its action plan), its
    progress report submitted and its final one not started. Two sets: one per kind of report."""
    from hromada.modules.action_plans import operations as plans
    from hromada.modules.scholarships.reports import report_questionnaire

    b = world.b
    community_id = b.communities[0].id
    with tenancy.system_scope():
        call = make_call(b.programme, title="Reporting call of B")
        call.tranche_plan = [{"share": 50, "condition": "on_approval"}, {"share": 50, "condition": "milestone_done"}]
        call.progress_report_due = today() + timedelta(days=30)
        call.final_report_due = today() + timedelta(days=90)
        questionnaires.add_question(report_questionnaire(call), QuestionFields(
            label="What was done?", help_text="", kind=QuestionKind.LONG_TEXT, required=True), expected_count=None)
        application = make_application(call, community_id, answer="secret-b1 plans", status=ScholarshipStatus.APPROVED)
        tranche = approved_with_tranches(application, call)[1]
        make_report(application, answers={"1": "secret-b1 report"})
        values = {"call_id": call.id, "scholarship_application_id": application.id, "tranche_id": tranche.id}
        programme_id = b.programme.id
        db.session.commit()
    with tenancy.scope(tenant_id=community_id):
        plan = plans.create_plan(community_id, "fuzz", 1, "Plan of B", programme_id=programme_id)
        plans.add_milestone(plan, title="First milestone")
        db.session.commit()
    return [{**values, "report_kind": "progress"}, {**values, "report_kind": "final"}]
